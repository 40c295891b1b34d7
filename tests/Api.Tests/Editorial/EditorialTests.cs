using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Paco.Api.Tests.Editorial;

/// <summary>The edit–publish cycle through the API, as an editor and a publisher of one institution do it.</summary>
public sealed class EditorialTests : ApiFixture
{
    private const string Organs = "/api/v1/institutions/editorial/organs";
    private string _editor = "";
    private string _publisher = "";
    private string _admin = "";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Changes:SettleDelay"] = "00:00:00",
    };

    [OneTimeSetUp]
    public async Task CreateInstitutionAndKeysAsync()
    {
        await Content.InstitutionAsync("editorial");
        _editor = await Content.KeyAsync("editor", "editorial", "Editora Ana");
        _publisher = await Content.KeyAsync("publisher", "editorial", "Publicador Bruno");
        _admin = await Content.KeyAsync("admin", "editorial", "Admin Carla");
    }

    internal static JsonObject OrganBody(string slug, string name, params (string? Label, string Text)[] competences) => new()
    {
        ["slug"] = slug,
        ["name"] = name,
        ["acronym"] = null,
        ["kind"] = "secretaria",
        ["parentId"] = null,
        ["displayOrder"] = 1,
        ["statements"] = new JsonObject { ["mission"] = $"Missão da {name}" },
        ["values"] = new JsonArray("Transparência"),
        ["competences"] = new JsonArray(competences.Select(c => (JsonNode)new JsonObject
        {
            ["label"] = c.Label, ["text"] = c.Text, ["group"] = "competences", ["citations"] = new JsonArray(),
        }).ToArray()),
        ["head"] = null,
        ["contact"] = null,
        ["legalBases"] = new JsonArray(),
        ["effective"] = null,
        ["source"] = null,
    };

    private HttpRequestMessage Request(HttpMethod method, string url, string? key, JsonNode? body = null, string? ifMatch = null, string mediaType = "application/json")
    {
        var request = new HttpRequestMessage(method, url);
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, mediaType);
        }
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        return request;
    }

    private async Task<(string ETag, JsonNode Body)> CreateAsync(string slug, string name, params (string? Label, string Text)[] competences)
    {
        using var response = await Client.SendAsync(Request(HttpMethod.Post, Organs, _editor, OrganBody(slug, name, competences)));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (response.Headers.ETag!.Tag, await ReadJsonAsync(response));
    }

    private async Task<(string ETag, JsonNode Body)> SendAsync(HttpRequestMessage request, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await Client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(expected), await response.Content.ReadAsStringAsync());
        return (response.Headers.ETag?.Tag ?? "", await ReadJsonAsync(response));
    }

    [Test]
    public async Task Create_answers_201_with_a_location_that_serves_the_draft()
    {
        using var response = await Client.SendAsync(Request(HttpMethod.Post, Organs, _editor, OrganBody("obras", "Secretaria de Obras", ("I", "Executar obras;"))));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(response.Headers.Location!.ToString(), Is.EqualTo("/api/v1/institutions/editorial/organs/obras/draft"));
        var draft = await SendAsync(Request(HttpMethod.Get, response.Headers.Location.ToString(), _editor));
        Assert.That(draft.ETag, Is.EqualTo(response.Headers.ETag!.Tag));
        Assert.That(draft.Body["revision"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(draft.Body["author"]!.GetValue<string>(), Is.EqualTo("Editora Ana"));
        Assert.That(draft.Body["state"]!["publishedRevision"], Is.Null);
        Assert.That(Guid.Parse(draft.Body["document"]!["competences"]![0]!["id"]!.GetValue<string>()), Is.Not.EqualTo(Guid.Empty), "the server gives new competences an id");
        using var anonymous = await Client.GetAsync($"{Organs}/obras");
        await AssertProblemAsync(anonymous, 404);
    }

    [Test]
    public async Task Edit_publish_edit_diff_restore_publish_is_a_full_cycle()
    {
        var (etag, _) = await CreateAsync("cultura", "Secretaria de Cultura", ("I", "Promover a cultura;"), ("II", "Manter bibliotecas;"));

        // publish revision 1
        (etag, _) = await SendAsync(Request(HttpMethod.Post, $"{Organs}/cultura/publish", _publisher, new JsonObject(), etag));
        var published = await GetJsonAsync($"{Organs}/cultura");
        Assert.That(published["revision"]!["number"]!.GetValue<int>(), Is.EqualTo(1));

        // edit: a merge patch renames it; the public still sees revision 1
        var draft = await SendAsync(Request(HttpMethod.Get, $"{Organs}/cultura/draft", _editor));
        var competences = draft.Body["document"]!["competences"]!.DeepClone().AsArray();
        competences[1]!["text"] = "Manter bibliotecas e museus;";
        var patch = new JsonObject { ["name"] = "Secretaria de Cultura e Turismo", ["competences"] = competences };
        (etag, var edited) = await SendAsync(Request(HttpMethod.Patch, $"{Organs}/cultura", _editor, patch, draft.ETag, "application/merge-patch+json"));
        Assert.That(edited["revision"]!.GetValue<int>(), Is.EqualTo(2));
        Assert.That((await GetJsonAsync($"{Organs}/cultura"))["name"]!.GetValue<string>(), Is.EqualTo("Secretaria de Cultura"));

        // diff 1 → 2 matches the competence by id and says what changed
        var diff = await SendAsync(Request(HttpMethod.Get, $"{Organs}/cultura/diff?from=1&to=2", _editor));
        var summary = diff.Body["summary"]!.AsArray().Select(s => s!.GetValue<string>()).ToList();
        Assert.That(summary, Does.Contain("name changed"));
        Assert.That(summary, Does.Contain("competence II text changed"));
        Assert.That(diff.Body["patch"]!.AsArray().Select(o => o!["path"]!.GetValue<string>()), Does.Contain("/competences/1/text"));

        // restore revision 1 as revision 3, then publish it
        (etag, var restored) = await SendAsync(Request(HttpMethod.Post, $"{Organs}/cultura/restore", _publisher, new JsonObject { ["revision"] = 1 }, etag));
        Assert.That(restored["revision"]!.GetValue<int>(), Is.EqualTo(3));
        Assert.That(restored["note"]!.GetValue<string>(), Is.EqualTo("Restored revision 1"));
        var noChange = await SendAsync(Request(HttpMethod.Get, $"{Organs}/cultura/diff?from=1&to=3", _editor));
        Assert.That(noChange.Body["patch"]!.AsArray(), Is.Empty);
        (etag, _) = await SendAsync(Request(HttpMethod.Post, $"{Organs}/cultura/publish", _publisher, new JsonObject(), etag));

        var final = await GetJsonAsync($"{Organs}/cultura");
        Assert.That(final["revision"]!["number"]!.GetValue<int>(), Is.EqualTo(3));
        Assert.That(final["name"]!.GetValue<string>(), Is.EqualTo("Secretaria de Cultura"));
        var history = await SendAsync(Request(HttpMethod.Get, $"{Organs}/cultura/history", _editor));
        Assert.That(history.Body["revisions"]!.AsArray().Select(r => r!["number"]!.GetValue<int>()), Is.EqualTo(new[] { 3, 2, 1 }));
        Assert.That(history.Body["revisions"]![1]!["events"]!.AsArray(), Is.Empty, "revision 2 was never published");
        var publicHistory = await GetJsonAsync($"{Organs}/cultura/revisions");
        Assert.That(publicHistory["items"]!.AsArray().Select(r => r!["number"]!.GetValue<int>()), Is.EqualTo(new[] { 3, 1 }), "the public sees published revisions only");
    }

    [Test]
    public async Task Write_without_if_match_answers_428()
    {
        await CreateAsync("sem-if-match", "Secretaria A", ("I", "a;"));

        using var response = await Client.SendAsync(Request(HttpMethod.Put, $"{Organs}/sem-if-match", _editor, OrganBody("sem-if-match", "Secretaria A2", ("I", "a;"))));

        await AssertProblemAsync(response, 428, "If-Match");
    }

    [Test]
    public async Task Write_with_a_stale_etag_answers_412_with_the_current_one()
    {
        var (first, _) = await CreateAsync("stale", "Secretaria B", ("I", "b;"));
        var (second, _) = await SendAsync(Request(HttpMethod.Put, $"{Organs}/stale", _editor, OrganBody("stale", "Secretaria B2", ("I", "b;")), first));

        using var response = await Client.SendAsync(Request(HttpMethod.Put, $"{Organs}/stale", _editor, OrganBody("stale", "Secretaria B3", ("I", "b;")), first));

        var problem = await AssertProblemAsync(response, 412, second);
        Assert.That(response.Headers.ETag!.Tag, Is.EqualTo(second));
        Assert.That(problem["currentETag"]!.GetValue<string>(), Is.EqualTo(second));
        var draft = await SendAsync(Request(HttpMethod.Get, $"{Organs}/stale/draft", _editor));
        Assert.That(draft.Body["document"]!["name"]!.GetValue<string>(), Is.EqualTo("Secretaria B2"), "the stale write changed nothing");
    }

    [Test]
    public async Task Concurrent_writes_with_the_same_etag_have_exactly_one_winner_and_gapless_revisions()
    {
        var (etag, _) = await CreateAsync("concorrida", "Secretaria C", ("I", "c;"));

        var attempts = Enumerable.Range(1, 12).Select(async i =>
        {
            using var response = await Client.SendAsync(Request(HttpMethod.Put, $"{Organs}/concorrida", _editor, OrganBody("concorrida", $"Versão {i}", ("I", "c;")), etag));
            return response.StatusCode;
        });
        var statuses = await Task.WhenAll(attempts);

        Assert.That(statuses.Count(s => s == HttpStatusCode.OK), Is.EqualTo(1), string.Join(", ", statuses));
        Assert.That(statuses.Count(s => s == HttpStatusCode.PreconditionFailed), Is.EqualTo(11), string.Join(", ", statuses));
        var numbers = await QueryScalarAsync<int[]>("select array_agg(v.number order by v.number) from revisions v join resources r on r.id = v.resource_id where r.slug = 'concorrida'");
        Assert.That(numbers, Is.EqualTo(new[] { 1, 2 }));
    }

    [Test]
    public async Task Patch_needs_the_merge_patch_media_type()
    {
        var (etag, _) = await CreateAsync("patch-media", "Secretaria D", ("I", "d;"));

        using var response = await Client.SendAsync(Request(HttpMethod.Patch, $"{Organs}/patch-media", _editor, new JsonObject { ["name"] = "X" }, etag, "application/json"));

        await AssertProblemAsync(response, 415, "application/merge-patch+json");
    }

    [Test]
    public async Task Patch_with_null_removes_a_field()
    {
        var body = OrganBody("patch-null", "Secretaria E", ("I", "e;"));
        body["acronym"] = "SE";
        using var created = await Client.SendAsync(Request(HttpMethod.Post, Organs, _editor, body));

        var (_, patched) = await SendAsync(Request(HttpMethod.Patch, $"{Organs}/patch-null", _editor, new JsonObject { ["acronym"] = null }, created.Headers.ETag!.Tag, "application/merge-patch+json"));

        Assert.That(patched["document"]!["acronym"], Is.Null);
        Assert.That(patched["document"]!["name"]!.GetValue<string>(), Is.EqualTo("Secretaria E"));
    }

    [TestCase("{\"slug\":\"x\",\"name\":\"X\",\"kind\":\"secretaria\",\"displayOrder\":1,\"statements\":{},\"values\":[],\"competences\":[],\"legalBases\":[],\"color\":\"blue\"}", 400, "color")]
    [TestCase("{not json", 400, "")]
    [TestCase("[]", 400, "")]
    public async Task Malformed_bodies_answer_400_without_storing_anything(string body, int status, string mention)
    {
        var before = await QueryScalarAsync<long>("select count(*) from revisions");
        using var request = new HttpRequestMessage(HttpMethod.Post, Organs) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _editor);

        using var response = await Client.SendAsync(request);

        await AssertProblemAsync(response, status, mention);
        Assert.That(await QueryScalarAsync<long>("select count(*) from revisions"), Is.EqualTo(before));
    }

    [Test]
    public async Task A_body_of_the_wrong_media_type_answers_415()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Organs) { Content = new StringContent("slug=x", Encoding.UTF8, "text/plain") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _editor);

        using var response = await Client.SendAsync(request);

        await AssertProblemAsync(response, 415);
    }

    [Test]
    public async Task A_body_over_the_limit_answers_413()
    {
        var huge = OrganBody("enorme", "Secretaria Enorme", ("I", new string('a', 1_100_000)));

        using var response = await Client.SendAsync(Request(HttpMethod.Post, Organs, _editor, huge));

        await AssertProblemAsync(response, 413);
    }

    [Test]
    public async Task Validation_errors_point_at_the_json_path_of_each_field()
    {
        var body = OrganBody("Invalido Slug", "", ("I", "ok;"), ("I", ""));
        body["kind"] = "ministerio";
        body["contact"] = new JsonObject
        {
            ["addresses"] = new JsonArray(), ["phones"] = new JsonArray(), ["emails"] = new JsonArray("não-é-email"), ["website"] = "ftp://x",
        };

        using var response = await Client.SendAsync(Request(HttpMethod.Post, Organs, _editor, body));

        var problem = await AssertProblemAsync(response, 400);
        var errors = problem["errors"]!.AsObject().Select(e => e.Key).ToList();
        Assert.That(errors, Is.SupersetOf(new[] { "slug", "name", "kind", "competences[1].text", "contact.emails[0]", "contact.website" }), string.Join(", ", errors));
        Assert.That(problem["errors"]!.ToJsonString(), Does.Contain("appears more than once in group"), "labels are unique within a group");
    }

    [Test]
    public async Task References_must_stay_inside_the_institution()
    {
        var other = await Content.InstitutionAsync("outra");
        var foreignLaw = await Content.ResourceAsync(other, "legal_basis", "lei-1-2020", [TestContent.Law("lei-1-2020", "1", 2020, "Lei nº 1/2020")], publish: 1);
        var foreignOrgan = await Content.ResourceAsync(other, "organ", "alheio", [TestContent.Organ("alheio", "Órgão alheio")], publish: 1);
        var body = OrganBody("referencias", "Secretaria F", ("I", "f;"));
        body["parentId"] = foreignOrgan.ToString();
        body["competences"]![0]!["citations"] = new JsonArray(new JsonObject { ["legalBasisId"] = foreignLaw.ToString(), ["article"] = "1" });
        body["legalBases"] = new JsonArray(new JsonObject { ["legalBasisId"] = foreignLaw.ToString(), ["role"] = "creates" });

        using var response = await Client.SendAsync(Request(HttpMethod.Post, Organs, _editor, body));

        var problem = await AssertProblemAsync(response, 400);
        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key),
            Is.EquivalentTo(new[] { "parentId", "competences[0].citations[0].legalBasisId", "legalBases[0].legalBasisId" }));
    }

    [Test]
    public async Task The_hierarchy_cannot_become_a_cycle()
    {
        var (parentEtag, parent) = await CreateAsync("pai", "Secretaria Pai", ("I", "p;"));
        var childBody = OrganBody("filho", "Núcleo Filho", ("I", "f;"));
        childBody["parentId"] = parent["id"]!.GetValue<string>();
        var (_, child) = await SendAsync(Request(HttpMethod.Post, Organs, _editor, childBody), HttpStatusCode.Created);

        var cyclic = OrganBody("pai", "Secretaria Pai", ("I", "p;"));
        cyclic["parentId"] = child["id"]!.GetValue<string>();
        using var response = await Client.SendAsync(Request(HttpMethod.Put, $"{Organs}/pai", _editor, cyclic, parentEtag));

        await AssertProblemAsync(response, 400, "cycle");
    }

    [Test]
    public async Task Point_in_time_read_shows_what_was_published_then()
    {
        var (etag, _) = await CreateAsync("historica", "Secretaria Histórica", ("I", "i;"));
        var beforeAnything = DateTimeOffset.UtcNow;
        await Task.Delay(50);
        (etag, _) = await SendAsync(Request(HttpMethod.Post, $"{Organs}/historica/publish", _publisher, new JsonObject(), etag));
        await Task.Delay(50);
        var betweenPublications = DateTimeOffset.UtcNow;
        await Task.Delay(50);
        (etag, _) = await SendAsync(Request(HttpMethod.Put, $"{Organs}/historica", _editor, OrganBody("historica", "Secretaria Histórica Nova", ("I", "i;")), etag));
        await SendAsync(Request(HttpMethod.Post, $"{Organs}/historica/publish", _publisher, new JsonObject(), etag));

        var then = await GetJsonAsync($"{Organs}/historica?at={Uri.EscapeDataString(betweenPublications.ToString("O"))}");
        using var tooEarly = await Client.GetAsync($"{Organs}/historica?at={Uri.EscapeDataString(beforeAnything.ToString("O"))}");
        using var future = await Client.GetAsync($"{Organs}/historica?at={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(1).ToString("O"))}");
        using var invalid = await Client.GetAsync($"{Organs}/historica?at=ontem");

        Assert.That(then["name"]!.GetValue<string>(), Is.EqualTo("Secretaria Histórica"));
        Assert.That(then["revision"]!["number"]!.GetValue<int>(), Is.EqualTo(1));
        await AssertProblemAsync(tooEarly, 404, "was not published at");
        await AssertProblemAsync(future, 400, "in the future");
        await AssertProblemAsync(invalid, 400, "'at'");
    }

    [Test]
    public async Task Archived_organ_answers_410_with_when_and_why_and_keeps_its_history()
    {
        var (etag, _) = await CreateAsync("extinta", "Secretaria Extinta", ("I", "j;"));
        (etag, _) = await SendAsync(Request(HttpMethod.Post, $"{Organs}/extinta/publish", _publisher, new JsonObject(), etag));

        await SendAsync(Request(HttpMethod.Post, $"{Organs}/extinta/archive", _publisher, new JsonObject { ["reason"] = "Extinta pela Lei nº 99/2026." }, etag));

        using var gone = await Client.GetAsync($"{Organs}/extinta");
        var problem = await AssertProblemAsync(gone, 410, "Extinta pela Lei nº 99/2026.");
        Assert.That(problem["archivedAt"], Is.Not.Null);
        var list = await GetJsonAsync($"{Organs}?pageSize=100");
        Assert.That(list["items"]!.AsArray().Select(o => o!["slug"]!.GetValue<string>()), Does.Not.Contain("extinta"));
        var revision = await GetJsonAsync($"{Organs}/extinta/revisions/1");
        Assert.That(revision["document"]!["name"]!.GetValue<string>(), Is.EqualTo("Secretaria Extinta"));
    }

    [Test]
    public async Task Unpublish_takes_the_organ_off_and_the_change_feed_lists_each_step()
    {
        var start = (await GetJsonAsync("/api/v1/institutions/editorial/changes?limit=1000"))["nextCursor"]!.GetValue<long>();
        var (etag, created) = await CreateAsync("feed", "Secretaria Feed", ("I", "k;"));
        (etag, _) = await SendAsync(Request(HttpMethod.Post, $"{Organs}/feed/publish", _publisher, new JsonObject(), etag));
        (etag, _) = await SendAsync(Request(HttpMethod.Post, $"{Organs}/feed/unpublish", _publisher, null, etag));

        using var response = await Client.GetAsync($"{Organs}/feed");
        await AssertProblemAsync(response, 404);
        var feed = await GetJsonAsync($"/api/v1/institutions/editorial/changes?after={start}");
        var mine = feed["items"]!.AsArray().Where(c => c!["resourceId"]!.GetValue<string>() == created["id"]!.GetValue<string>()).ToList();
        Assert.That(mine.Select(c => c!["action"]!.GetValue<string>()), Is.EqualTo(new[] { "publish", "unpublish" }));
        Assert.That(mine[0]!["revision"]!.GetValue<int>(), Is.EqualTo(1));
        var next = await GetJsonAsync($"/api/v1/institutions/editorial/changes?after={feed["nextCursor"]}");
        Assert.That(next["items"]!.AsArray(), Is.Empty, "the cursor continues after the last change");
    }

    [Test]
    public async Task The_audit_log_records_who_did_what_and_only_admins_read_it()
    {
        var (etag, created) = await CreateAsync("auditada", "Secretaria Auditada", ("I", "l;"));
        await SendAsync(Request(HttpMethod.Post, $"{Organs}/auditada/publish", _publisher, new JsonObject(), etag));

        var audit = await SendAsync(Request(HttpMethod.Get, "/api/v1/institutions/editorial/audit", _admin));
        using var asEditor = await Client.SendAsync(Request(HttpMethod.Get, "/api/v1/institutions/editorial/audit", _editor));

        var lines = audit.Body["items"]!.AsArray().Where(l => l!["resourceId"]?.GetValue<string>() == created["id"]!.GetValue<string>()).ToList();
        Assert.That(lines.Select(l => (l!["action"]!.GetValue<string>(), l["actor"]!.GetValue<string>())),
            Is.EqualTo(new[] { ("publish", "Publicador Bruno"), ("create", "Editora Ana") }));
        await AssertProblemAsync(asEditor, 403);
    }

    [Test]
    public async Task No_sequence_of_api_calls_alters_or_removes_a_stored_revision()
    {
        const string snapshotSql = "select coalesce(string_agg(resource_id::text || ':' || number || ':' || content_hash || ':' || md5(document::text), ',' order by resource_id, number), '') from revisions";
        var (etag, _) = await CreateAsync("intocavel", "Secretaria Intocável", ("I", "m;"));
        var before = await QueryScalarAsync<string>(snapshotSql);

        (etag, _) = await SendAsync(Request(HttpMethod.Put, $"{Organs}/intocavel", _editor, OrganBody("intocavel", "Renomeada", ("I", "m2;")), etag));
        (etag, _) = await SendAsync(Request(HttpMethod.Post, $"{Organs}/intocavel/publish", _publisher, new JsonObject { ["revision"] = 1 }, etag));
        (etag, _) = await SendAsync(Request(HttpMethod.Post, $"{Organs}/intocavel/restore", _publisher, new JsonObject { ["revision"] = 1 }, etag));
        (etag, _) = await SendAsync(Request(HttpMethod.Post, $"{Organs}/intocavel/unpublish", _publisher, null, etag));
        await SendAsync(Request(HttpMethod.Post, $"{Organs}/intocavel/archive", _publisher, new JsonObject { ["reason"] = "teste" }, etag));
        using (await Client.SendAsync(Request(HttpMethod.Delete, $"{Organs}/intocavel", _admin)))
        {
        }

        var after = await QueryScalarAsync<string>(snapshotSql);
        foreach (var line in before.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.That(after, Does.Contain(line), "every revision that existed is still there, unchanged");
        }
    }
}
