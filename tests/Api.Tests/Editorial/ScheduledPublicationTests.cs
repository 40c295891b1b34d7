using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Paco.Api.Revisions;

namespace Paco.Api.Tests.Editorial;

/// <summary>
/// Publications scheduled for later, on a fake clock: a test schedules over HTTP, moves the clock and runs the app's
/// scheduler itself until nothing is due (what its background loop does at each poll), then looks over HTTP.
/// Nothing here waits on the real clock.
/// </summary>
public sealed class ScheduledPublicationTests : ApiFixture
{
    private const string Organs = "/api/v1/institutions/agenda/organs";

    // A whole second: what is stored (microseconds) and served (HTTP dates) then reads back exactly.
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
    private string _publisher = "";

    // The background loop waits on the fake clock between polls, and the tests move it by hours, never a day: so only the
    // tests' own calls publish. Were it to poll as well, claims are exclusive and a test's outcome would be the same.
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Publishing:PollInterval"] = "1.00:00:00",
    };

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(_clock);

    [OneTimeSetUp]
    public async Task CreateInstitutionAsync()
    {
        await Content.InstitutionAsync("agenda");
        _publisher = await Content.KeyAsync("publisher", "agenda");
    }

    [Test]
    public async Task A_publication_scheduled_for_later_takes_effect_then()
    {
        var etag = await CreateAsync("agendada");
        var at = _clock.GetUtcNow().AddHours(1);

        var (status, _, accepted) = await SendAsync(HttpMethod.Post, $"{Organs}/agendada/publish", new JsonObject { ["at"] = at.ToString("O") }, etag);

        Assert.That(status, Is.EqualTo(HttpStatusCode.Accepted), accepted?.ToJsonString());
        Assert.That(accepted!["state"]!["scheduled"]!.AsArray(), Has.Count.EqualTo(1));
        _clock.Advance(TimeSpan.FromMinutes(59));
        await PublishDueAsync(Factory);
        using (var before = await Client.GetAsync($"{Organs}/agendada"))
        {
            Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "not before its time");
        }
        _clock.Advance(TimeSpan.FromMinutes(1));
        await PublishDueAsync(Factory);
        var published = await GetJsonAsync($"{Organs}/agendada");
        Assert.That(published["revision"]!["publishedAt"]!.GetValue<DateTimeOffset>(), Is.GreaterThanOrEqualTo(at));
    }

    [Test]
    public async Task A_scheduled_publication_survives_a_restart()
    {
        var etag = await CreateAsync("reinicio");
        await using (var before = NewInstance())
        {
            using var client = before.CreateClient();
            var (status, _, body) = await SendAsync(HttpMethod.Post, $"{Organs}/reinicio/publish", new JsonObject { ["at"] = _clock.GetUtcNow().AddHours(1).ToString("O") }, etag, client);
            Assert.That(status, Is.EqualTo(HttpStatusCode.Accepted), body?.ToJsonString());
        }

        // The instance that accepted it is gone; another one starts on the same database, and the fixture's keeps running.
        await using var after = NewInstance();
        using var afterClient = after.CreateClient();
        _clock.Advance(TimeSpan.FromHours(1));
        await PublishDueAsync(after);
        await PublishDueAsync(Factory);

        using var response = await afterClient.GetAsync($"{Organs}/reinicio");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the new instance applied it");
        Assert.That(await QueryScalarAsync<long>("select count(*) from publications p join resources r on r.id = p.resource_id where r.slug = 'reinicio'"), Is.EqualTo(1),
            "applied exactly once although two instances looked for it");
    }

    [Test]
    public async Task A_scheduled_publication_that_cannot_be_applied_is_set_aside_and_does_not_block_the_next()
    {
        var failingEtag = await CreateAsync("agendada-falha");
        var laterEtag = await CreateAsync("agendada-depois");
        var now = _clock.GetUtcNow();
        var (failingStatus, _, _) = await SendAsync(HttpMethod.Post, $"{Organs}/agendada-falha/publish", new JsonObject { ["at"] = now.AddHours(1).ToString("O") }, failingEtag);
        var (laterStatus, _, _) = await SendAsync(HttpMethod.Post, $"{Organs}/agendada-depois/publish", new JsonObject { ["at"] = now.AddHours(1.5).ToString("O") }, laterEtag);
        Assert.That((failingStatus, laterStatus), Is.EqualTo((HttpStatusCode.Accepted, HttpStatusCode.Accepted)));
        // Make the first one impossible: another organ's projection now holds its slug.
        await CreateAsync("ocupante");
        await QueryScalarAsync<int>("""
            insert into organs (resource_id, institution_id, slug, name, kind)
            select id, institution_id, 'agendada-falha', 'Ocupante', 'secretaria' from resources where slug = 'ocupante'
            returning 1
            """);

        _clock.Advance(TimeSpan.FromHours(2));
        await PublishDueAsync(Factory);

        using (var later = await Client.GetAsync($"{Organs}/agendada-depois"))
        {
            Assert.That(later.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the later publication was applied");
        }
        var error = await QueryScalarAsync<string>("select s.last_error from scheduled_publications s join resources r on r.id = s.resource_id where r.slug = 'agendada-falha'");
        Assert.That(error, Is.Not.Empty, "the failing one was set aside with its reason");
    }

    [Test]
    public async Task Unpublishing_cancels_what_was_scheduled()
    {
        var etag = await CreateAsync("cancelada");
        (_, etag, _) = await SendAsync(HttpMethod.Post, $"{Organs}/cancelada/publish", new JsonObject(), etag);
        (_, etag, _) = await SendAsync(HttpMethod.Post, $"{Organs}/cancelada/publish", new JsonObject { ["at"] = _clock.GetUtcNow().AddHours(1).ToString("O") }, etag);

        var (status, _, draft) = await SendAsync(HttpMethod.Post, $"{Organs}/cancelada/unpublish", null, etag);
        _clock.Advance(TimeSpan.FromHours(2));
        await PublishDueAsync(Factory);

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), draft?.ToJsonString());
        Assert.That(draft!["state"]!["scheduled"]!.AsArray(), Is.Empty);
        using var response = await Client.GetAsync($"{Organs}/cancelada");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "the old schedule did not bring it back");
    }

    /// <summary>Another instance of the app on this fixture's database and clock.</summary>
    private PacoFactory NewInstance() => new(ConnectionString, Settings, ConfigureServices);

    /// <summary>Runs the app's scheduler until nothing is due: what its background loop does at each poll.</summary>
    private static async Task PublishDueAsync(PacoFactory app)
    {
        var scheduler = app.Services.GetServices<IHostedService>().OfType<ScheduledPublisher>().Single();
        for (var calls = 1; await scheduler.PublishNextDueAsync(CancellationToken.None); calls++)
        {
            if (calls == 100)
            {
                Assert.Fail("The scheduler never runs out of due publications: one keeps coming back.");
            }
        }
    }

    private async Task<string> CreateAsync(string slug)
    {
        var (status, etag, created) = await SendAsync(HttpMethod.Post, Organs, EditorialTests.OrganBody(slug, $"Órgão {slug}", ("I", "x;")));
        Assert.That(status, Is.EqualTo(HttpStatusCode.Created), created?.ToJsonString());
        return etag;
    }

    private async Task<(HttpStatusCode Status, string ETag, JsonNode? Body)> SendAsync(HttpMethod method, string url, JsonNode? body = null, string? ifMatch = null, HttpClient? via = null)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _publisher);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        using var response = await (via ?? Client).SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.Headers.ETag?.Tag ?? "", text.Length == 0 ? null : JsonNode.Parse(text));
    }
}
