using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Paco.Api.Tests.Editorial;

/// <summary>Edge cases found in review: ordering, cycles, stuck schedules, slugs and inputs PostgreSQL would refuse.</summary>
public sealed class PublishingSafetyTests : ApiFixture
{
    private const string Organs = "/api/v1/institutions/seguranca/organs";
    private string _publisher = "";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Publishing:PollInterval"] = "00:00:00.100",
    };

    [OneTimeSetUp]
    public async Task CreateInstitutionAsync()
    {
        await Content.InstitutionAsync("seguranca");
        _publisher = await Content.KeyAsync("publisher", "seguranca");
    }

    private async Task<(HttpStatusCode Status, string ETag, JsonNode? Body)> SendAsync(HttpMethod method, string url, JsonNode? body = null, string? ifMatch = null,
        string mediaType = "application/json", string? note = null)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _publisher);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, mediaType);
        }
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        if (note is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Change-Note", note);
        }
        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.Headers.ETag?.Tag ?? "", text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private async Task<(string ETag, string Id)> CreateAsync(string slug, string? parentId = null)
    {
        var body = EditorialTests.OrganBody(slug, $"Órgão {slug}", ("I", "x;"));
        body["parentId"] = parentId;
        var (status, etag, created) = await SendAsync(HttpMethod.Post, Organs, body);
        Assert.That(status, Is.EqualTo(HttpStatusCode.Created), created?.ToJsonString());
        return (etag, created!["id"]!.GetValue<string>());
    }

    [Test]
    public async Task A_child_can_be_published_before_its_parent()
    {
        var (_, parent) = await CreateAsync("pai-rascunho");
        var (childEtag, _) = await CreateAsync("filho-publicado", parent);

        var (status, _, body) = await SendAsync(HttpMethod.Post, $"{Organs}/filho-publicado/publish", new JsonObject(), childEtag);

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body?.ToJsonString());
        var tree = await GetJsonAsync("/api/v1/institutions/seguranca/organs/tree");
        Assert.That(tree["organs"]!.AsArray().Select(o => o!["slug"]!.GetValue<string>()), Does.Contain("filho-publicado"), "shown at the top until its parent is published");
    }

    [Test]
    public async Task Publishing_a_revision_that_closes_a_cycle_in_the_published_hierarchy_answers_409()
    {
        var (aEtag, a) = await CreateAsync("ciclo-a");
        var (bEtag, b) = await CreateAsync("ciclo-b", a);
        (_, bEtag, _) = await SendAsync(HttpMethod.Post, $"{Organs}/ciclo-b/publish", new JsonObject(), bEtag);
        (_, aEtag, _) = await SendAsync(HttpMethod.Post, $"{Organs}/ciclo-a/publish", new JsonObject(), aEtag);
        // A's draft moves under B (B's published parent is A): the draft check passes, since B's draft still names A as parent... the cycle only exists among published parents.
        var moved = EditorialTests.OrganBody("ciclo-a", "Órgão ciclo-a", ("I", "x;"));
        moved["parentId"] = b;
        var (putStatus, putEtag, putBody) = await SendAsync(HttpMethod.Put, $"{Organs}/ciclo-a", moved, aEtag);
        if (putStatus == HttpStatusCode.BadRequest)
        {
            Assert.That(putBody!.ToJsonString(), Does.Contain("cycle"), "refused already as a draft");
            return;
        }

        var (status, _, problem) = await SendAsync(HttpMethod.Post, $"{Organs}/ciclo-a/publish", new JsonObject(), putEtag);

        Assert.That(status, Is.EqualTo(HttpStatusCode.Conflict), problem?.ToJsonString());
        Assert.That(problem!["detail"]!.GetValue<string>(), Does.Contain("cycle"));
        var published = await GetJsonAsync($"{Organs}/ciclo-a");
        Assert.That(published["parent"], Is.Null, "the published revision is unchanged");
    }

    [Test]
    public async Task A_slug_another_organ_uses_in_its_draft_is_refused()
    {
        var (etag, _) = await CreateAsync("nome-atual");
        var renamed = EditorialTests.OrganBody("nome-futuro", "Órgão renomeado", ("I", "x;"));
        await SendAsync(HttpMethod.Put, $"{Organs}/nome-atual", renamed, etag);

        var (status, _, problem) = await SendAsync(HttpMethod.Post, Organs, EditorialTests.OrganBody("nome-futuro", "Outro", ("I", "y;")));

        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem!["errors"]!["slug"], Is.Not.Null);
    }

    [Test]
    public async Task A_scheduled_publication_that_cannot_be_applied_is_set_aside_and_does_not_block_the_next()
    {
        var (aEtag, _) = await CreateAsync("agendada-falha");
        var (bEtag, _) = await CreateAsync("agendada-depois");
        var at = DateTimeOffset.UtcNow.AddSeconds(1).ToString("O");
        await SendAsync(HttpMethod.Post, $"{Organs}/agendada-falha/publish", new JsonObject { ["at"] = at }, aEtag);
        await SendAsync(HttpMethod.Post, $"{Organs}/agendada-depois/publish", new JsonObject { ["at"] = DateTimeOffset.UtcNow.AddSeconds(1.5).ToString("O") }, bEtag);
        // Make the first one impossible: another organ's projection now holds its slug.
        var (_, occupant) = await CreateAsync("ocupante");
        await QueryScalarAsync<int>($"""
            insert into organs (resource_id, institution_id, slug, name, kind)
            select id, institution_id, 'agendada-falha', 'Ocupante', 'secretaria' from resources where id = '{occupant}'
            returning 1
            """);

        var deadline = DateTime.UtcNow.AddSeconds(15);
        HttpStatusCode status;
        do
        {
            await Task.Delay(200);
            using var response = await Client.GetAsync($"{Organs}/agendada-depois");
            status = response.StatusCode;
        }
        while (status != HttpStatusCode.OK && DateTime.UtcNow < deadline);

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), "the later publication was applied");
        var error = await QueryScalarAsync<string>("select s.last_error from scheduled_publications s join resources r on r.id = s.resource_id where r.slug = 'agendada-falha'");
        Assert.That(error, Is.Not.Empty, "the failing one was set aside with its reason");
    }

    [Test]
    public async Task Unpublishing_cancels_what_was_scheduled()
    {
        var (etag, _) = await CreateAsync("cancelada");
        (_, etag, _) = await SendAsync(HttpMethod.Post, $"{Organs}/cancelada/publish", new JsonObject(), etag);
        (_, etag, _) = await SendAsync(HttpMethod.Post, $"{Organs}/cancelada/publish", new JsonObject { ["at"] = DateTimeOffset.UtcNow.AddSeconds(1).ToString("O") }, etag);

        var (status, _, draft) = await SendAsync(HttpMethod.Post, $"{Organs}/cancelada/unpublish", null, etag);
        await Task.Delay(1500);

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(draft!["state"]!["scheduled"]!.AsArray(), Is.Empty);
        using var response = await Client.GetAsync($"{Organs}/cancelada");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "the old schedule did not bring it back");
    }

    [Test]
    public async Task Inputs_postgres_would_refuse_answer_400_not_500()
    {
        var (etag, _) = await CreateAsync("entradas");
        var nul = EditorialTests.OrganBody("entradas", "Nome com \u0000 NUL", ("I", "x;"));

        var (nulStatus, _, _) = await SendAsync(HttpMethod.Put, $"{Organs}/entradas", nul, etag);
        var (noteStatus, noteEtag, withNote) = await SendAsync(HttpMethod.Put, $"{Organs}/entradas", EditorialTests.OrganBody("entradas", "Nome", ("I", "x;")), etag, note: "nota%00com%00nul");
        var (nullItemStatus, _, nullItem) = await SendAsync(HttpMethod.Post, Organs, JsonNode.Parse("""{"slug":"nulo","name":"N","kind":"secretaria","displayOrder":1,"statements":{},"values":[],"competences":[null],"legalBases":[]}"""));
        using var duplicate = new HttpRequestMessage(HttpMethod.Patch, $"{Organs}/entradas") { Content = new StringContent("""{"name":"a","name":"b"}""", Encoding.UTF8, "application/merge-patch+json") };
        duplicate.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _publisher);
        duplicate.Headers.TryAddWithoutValidation("If-Match", noteEtag);
        using var duplicateResponse = await Client.SendAsync(duplicate);
        using var hugePage = await Client.GetAsync($"{Organs}?page=21474838&pageSize=100");

        Assert.That((int)nulStatus, Is.EqualTo(400));
        Assert.That(noteStatus, Is.EqualTo(HttpStatusCode.OK), "control characters are dropped from the note");
        Assert.That(withNote!["note"]!.GetValue<string>(), Is.EqualTo("notacomnul"));
        Assert.That((int)nullItemStatus, Is.EqualTo(400), nullItem?.ToJsonString());
        await AssertProblemAsync(duplicateResponse, 400, "twice");
        await AssertProblemAsync(hugePage, 400, "page");
    }
}
