using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Paco.Api.Tests.Editorial;

/// <summary>
/// What an edit and a publish cost in SQL round trips, in an institution of realistic size (20 published organs).
/// A ceiling, not an exact figure: each test prints what it measured, and the commands, in the log.
/// </summary>
public sealed class SqlCostTests : ApiFixture
{
    private const string Organs = "/api/v1/institutions/custo/organs";
    private const int PublishedOrgans = 20;
    private const int PatchCeiling = 8;
    // 12 for the engine; 2 for the institution's compliance score, kept at publish time for the national ranking
    // (one read of the published facts, one upsert).
    private const int PublishCeiling = 14;
    private string _publisher = "";

    // The scheduler polls the fixture's database; once at start-up is all it may do here, or it would be counted.
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Publishing:PollInterval"] = "1.00:00:00",
    };

    [OneTimeSetUp]
    public async Task CreateInstitutionWithPublishedOrgansAsync()
    {
        await Content.InstitutionAsync("custo");
        _publisher = await Content.KeyAsync("publisher", "custo");
        // The organ measured and 19 under it, which show its name: publishing a new name has them to re-render.
        var (measuredEtag, measured) = await CreateAsync("medida", null);
        measuredEtag = await PublishAsync("medida", measuredEtag);
        for (var i = 2; i <= PublishedOrgans; i++)
        {
            var (etag, _) = await CreateAsync($"secretaria-{i}", measured);
            await PublishAsync($"secretaria-{i}", etag);
        }
        var institution = await GetJsonAsync("/api/v1/institutions/custo");
        Assert.That(institution["counts"]!["organs"]!.GetValue<int>(), Is.EqualTo(PublishedOrgans));

        // One-time work (EF's model and query compilation, the key's last-used stamp) is not what is measured.
        await PublishAsync("medida", await PatchAsync(measuredEtag, "Secretaria Medida (aquecimento)"));
    }

    [Test]
    public async Task Patching_a_draft_in_an_institution_of_20_published_organs_costs_at_most_8_sql_commands()
    {
        var etag = await DraftEtagAsync();

        var (_, commands) = await SqlCommandCounter.MeasureAsync(DatabaseName, () => PatchAsync(etag, "Secretaria Medida"));

        Report("PATCH", commands, PatchCeiling);
        Assert.That(commands, Has.Count.LessThanOrEqualTo(PatchCeiling), "SQL commands sent for one PATCH");
    }

    [Test]
    public async Task Publishing_an_organ_in_an_institution_of_20_published_organs_costs_at_most_14_sql_commands()
    {
        // A new name, which the 19 organs under it show as their parent's.
        var etag = await PatchAsync(await DraftEtagAsync(), "Secretaria Medida Renomeada");

        var (_, commands) = await SqlCommandCounter.MeasureAsync(DatabaseName, () => PublishAsync("medida", etag));

        Report("publish", commands, PublishCeiling);
        Assert.That(commands, Has.Count.LessThanOrEqualTo(PublishCeiling), "SQL commands sent for one publish");
        Assert.That((await GetJsonAsync($"{Organs}/secretaria-2"))["parent"]!["name"]!.GetValue<string>(), Is.EqualTo("Secretaria Medida Renomeada"),
            "it was published, and what shows it was rendered again");
    }

    private static void Report(string what, IReadOnlyList<string> commands, int ceiling)
    {
        TestContext.Out.WriteLine($"{what}: {commands.Count} SQL commands (ceiling {ceiling}; COMMIT not counted)");
        for (var i = 0; i < commands.Count; i++)
        {
            TestContext.Out.WriteLine($"  {i + 1,2}. {string.Join(' ', commands[i].Split((char[])['\n', '\r'], StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()))}");
        }
    }

    private async Task<(HttpStatusCode Status, string ETag, JsonNode? Body)> SendAsync(HttpMethod method, string url, JsonNode body, string? ifMatch, string mediaType = "application/json")
    {
        using var request = new HttpRequestMessage(method, url) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, mediaType) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _publisher);
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.Headers.ETag?.Tag ?? "", text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private async Task<(string ETag, string Id)> CreateAsync(string slug, string? parentId)
    {
        var body = EditorialTests.OrganBody(slug, $"Secretaria {slug}", ("I", "Coordenar;"), ("II", "Executar;"));
        body["parentId"] = parentId;
        var (status, etag, created) = await SendAsync(HttpMethod.Post, Organs, body, null);
        Assert.That(status, Is.EqualTo(HttpStatusCode.Created), created?.ToJsonString());
        return (etag, created!["id"]!.GetValue<string>());
    }

    private async Task<string> DraftEtagAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Organs}/medida/draft");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _publisher);
        using var response = await Client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return response.Headers.ETag!.Tag;
    }

    private async Task<string> PublishAsync(string slug, string etag)
    {
        var (status, newEtag, body) = await SendAsync(HttpMethod.Post, $"{Organs}/{slug}/publish", new JsonObject(), etag);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body?.ToJsonString());
        return newEtag;
    }

    private async Task<string> PatchAsync(string etag, string name)
    {
        var (status, newEtag, body) = await SendAsync(HttpMethod.Patch, $"{Organs}/medida", new JsonObject { ["name"] = name }, etag, "application/merge-patch+json");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body?.ToJsonString());
        return newEtag;
    }
}
