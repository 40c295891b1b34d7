using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Paco.Api.Data;
using Paco.Api.Revisions;

namespace Paco.Api.Tests.Hardening;

/// <summary>
/// The database killed (kill -9 of every PostgreSQL process at once) while clients keep reading and writing, then
/// started again. The fixture has a PostgreSQL server of its own, started with the harness's helper in a temporary
/// folder, so killing it disturbs no other fixture.
/// </summary>
public sealed class DatabaseOutageTests
{
    private const string Institution = "apagao";
    private const string Api = "/api/v1/institutions/" + Institution;
    private static readonly string[] ReadOrgans = ["lida-1", "lida-2", "lida-3"];
    private static readonly string[] UnreadOrgans = ["nao-lida-1", "nao-lida-2", "nao-lida-3"];
    private static readonly string[] CachedUrls = [.. ReadOrgans.Select(o => $"{Api}/organs/{o}"), $"{Api}/organs", $"{Api}/organs/tree", Api];

    private readonly LogCapture _logs = new();
    private string _folder = "";
    private EmbeddedPostgres? _server;
    private PacoFactory? _factory;
    private PacoFactory? _otherInstance;
    private HttpClient _client = null!;
    private string _editorKey = "";
    private string _publisherKey = "";
    private volatile Phase _phase = Phase.Before;

    private enum Phase { Before, Killing, Outage, Restarting, Recovered }

    private enum Operation { CachedRead, UncachedRead, Write, Ready }

    private sealed record Outcome(Operation Operation, string Url, Phase Sent, Phase Received, HttpStatusCode Status, string? MediaType,
        TimeSpan? RetryAfter, string Body, string? CreatedSlug);

    [OneTimeSetUp]
    public async Task StartServerAppAndContentAsync()
    {
        _folder = Path.Combine(Path.GetTempPath(), "paco-outage-" + Guid.NewGuid().ToString("N")[..8]);
        // fsync off is safe against a killed server (the kernel keeps what was written); an asynchronous commit is not,
        // so commits stay synchronous, as in production: an acknowledged write must survive the kill.
        _server = await EmbeddedPostgres.StartAsync(_folder, Environment.GetEnvironmentVariable("Postgres__BinDirectory"),
            new Dictionary<string, string> { ["fsync"] = "off" });
        await DatabaseSetup.EnsureDatabaseAsync(_server.ConnectionString(), "paco");
        _factory = new PacoFactory(_server.ConnectionString("paco"), new Dictionary<string, string?> { ["Seed:OnStartup"] = "false" },
            services => services.AddSingleton<ILoggerProvider>(_logs));
        _client = _factory.CreateClient();
        // Another instance on the same database, which publishes once the database is back.
        _otherInstance = new PacoFactory(_server.ConnectionString("paco"), new Dictionary<string, string?> { ["Seed:OnStartup"] = "false" });
        var content = new TestContent(_factory.Services);
        var institutionId = await content.InstitutionAsync(Institution);
        _editorKey = await content.KeyAsync("editor", Institution);
        _publisherKey = await content.KeyAsync("publisher", Institution);
        foreach (var slug in ReadOrgans.Concat(UnreadOrgans))
        {
            await content.ResourceAsync(institutionId, "organ", slug, [TestContent.Organ(slug, $"Secretaria {slug}")], publish: 1);
        }
    }

    [OneTimeTearDown]
    public async Task StopAppAndServerAsync()
    {
        _client?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
        if (_otherInstance is not null)
        {
            await _otherInstance.DisposeAsync();
        }
        if (_server is not null)
        {
            await _server.StopAsync();
        }
        await PostgresProcesses.KillAllAsync(_folder); // whatever a failed run left
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
    }

    [Test]
    public async Task Killed_under_load_cached_reads_still_answer_others_get_503_and_all_recovers_within_5_s_losing_no_acknowledged_write()
    {
        // Published organs read once, so they are in the cache (caching starts once the app's LISTEN connection is up).
        await WaitUntilCachingAsync();
        var before = new Dictionary<string, (string ETag, string Body)>();
        foreach (var url in CachedUrls)
        {
            using var response = await _client.GetAsync(url);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), url);
            before[url] = (response.Headers.ETag!.Tag, await response.Content.ReadAsStringAsync());
        }

        var outcomes = new ConcurrentQueue<Outcome>();
        using var stopLoad = new CancellationTokenSource();
        var workers = Enumerable.Range(1, 4).Select(worker => Task.Run(() => LoadAsync(worker, outcomes, stopLoad.Token))).ToArray();
        await WaitForOutcomesAsync(outcomes, Phase.Before, 40);

        // The crash: every PostgreSQL process killed at once; once this returns nothing can commit any more.
        _phase = Phase.Killing;
        var killedAt = DateTimeOffset.UtcNow;
        await PostgresProcesses.KillAllAsync(_folder);
        _phase = Phase.Outage;

        // What a client sees during the outage, request by request.
        foreach (var url in CachedUrls)
        {
            using var response = await _client.GetAsync(url);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{url} was cached: it is still served");
            Assert.That(response.Headers.ETag?.Tag, Is.EqualTo(before[url].ETag), url);
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo(before[url].Body), url);
        }
        using (var revalidation = new HttpRequestMessage(HttpMethod.Get, CachedUrls[0]))
        {
            revalidation.Headers.TryAddWithoutValidation("If-None-Match", before[CachedUrls[0]].ETag);
            using var notModified = await _client.SendAsync(revalidation);
            Assert.That(notModified.StatusCode, Is.EqualTo(HttpStatusCode.NotModified), "revalidating a cached answer still costs a 304");
        }
        foreach (var organ in UnreadOrgans)
        {
            await AssertUnavailableAsync(await _client.GetAsync($"{Api}/organs/{organ}"), $"{organ} was never read: it needs the database");
        }
        await AssertUnavailableAsync(await _client.SendAsync(CreateRequest("escrita-na-queda")), "a write needs the database");
        await AssertUnavailableAsync(await _client.SendAsync(Authorized(HttpMethod.Get, $"{Api}/organs/{ReadOrgans[0]}/draft")), "drafts are never cached");
        using (var ready = await _client.GetAsync("/health/ready"))
        {
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "not ready without its database");
        }
        using (var live = await _client.GetAsync("/health/live"))
        {
            Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK), "alive all the same");
        }
        await WaitForOutcomesAsync(outcomes, Phase.Outage, 800);

        // The database returns; the app must recover by itself within 5 s.
        _phase = Phase.Restarting;
        Assert.That(await _server!.RestartAsync(), Is.True);
        var back = Stopwatch.StartNew();
        var outageSeconds = (DateTimeOffset.UtcNow - killedAt).TotalSeconds;
        var recovered = false;
        while (!recovered && back.Elapsed < TimeSpan.FromSeconds(5))
        {
            recovered = await SucceedsAsync(HttpStatusCode.OK, () => new HttpRequestMessage(HttpMethod.Get, $"{Api}/organs/{UnreadOrgans[0]}"))
                && await SucceedsAsync(HttpStatusCode.Created, () => CreateRequest($"escrita-na-volta-{back.ElapsedMilliseconds}"))
                && await SucceedsAsync(HttpStatusCode.OK, () => new HttpRequestMessage(HttpMethod.Get, CachedUrls[0]))
                && await SucceedsAsync(HttpStatusCode.OK, () => new HttpRequestMessage(HttpMethod.Get, "/health/ready"));
            if (!recovered)
            {
                await Task.Delay(50);
            }
        }
        var recoveredIn = back.Elapsed;
        Assert.That(recovered, Is.True, "reads, writes and readiness are back within 5 s after the database accepts connections again");

        // The answers kept through the outage are not trusted for ever: a change published by another instance is seen.
        using var otherClient = _otherInstance!.CreateClient();
        await PublishRenameAsync(otherClient, ReadOrgans[1], "Secretaria renomeada depois da queda");
        var changeSeen = Stopwatch.StartNew();
        string name;
        do
        {
            using var read = await _client.GetAsync($"{Api}/organs/{ReadOrgans[1]}");
            name = JsonNode.Parse(await read.Content.ReadAsStringAsync())?["name"]?.GetValue<string>() ?? "";
        }
        while (name != "Secretaria renomeada depois da queda" && changeSeen.Elapsed < TimeSpan.FromSeconds(5) && await Delay());
        Assert.That(name, Is.EqualTo("Secretaria renomeada depois da queda"), "within 5 s, the cache kept through the outage is cleared or notified");
        _phase = Phase.Recovered;
        await WaitForOutcomesAsync(outcomes, Phase.Recovered, 40);
        await stopLoad.CancelAsync();
        await Task.WhenAll(workers);

        var all = outcomes.ToList();
        // (The in-memory test server cannot apply request size limits and says so per request: not an outage line.)
        var outageLogs = _logs.Entries.Where(e => e.At >= killedAt && e.Level >= LogLevel.Warning)
            .Where(e => !e.Message.StartsWith("A request body size limit could not be applied", StringComparison.Ordinal)).ToList();
        Report(all, outageSeconds, recoveredIn, _logs.Entries.Where(e => e.At >= killedAt && e.Level >= LogLevel.Information).ToList());

        Assert.Multiple(() =>
        {
            foreach (var outcome in all)
            {
                var unavailable = outcome.Status == HttpStatusCode.ServiceUnavailable;
                Assert.That(outcome.Status, Is.EqualTo(Expected(outcome.Operation)).Or.EqualTo(HttpStatusCode.ServiceUnavailable),
                    $"{outcome.Operation} {outcome.Url} while {outcome.Sent}: never a 500, whatever the timing ({outcome.Body})");
                if (unavailable && outcome.Operation != Operation.Ready)
                {
                    Assert.That(outcome.MediaType, Is.EqualTo("application/problem+json"), outcome.Url);
                    Assert.That(outcome.RetryAfter, Is.GreaterThan(TimeSpan.Zero), $"{outcome.Url}: a 503 says when to retry");
                }
                var settled = outcome.Sent == outcome.Received && outcome.Sent is Phase.Before or Phase.Outage or Phase.Recovered;
                if (settled)
                {
                    var expected = outcome.Sent == Phase.Outage && outcome.Operation != Operation.CachedRead
                        ? HttpStatusCode.ServiceUnavailable : Expected(outcome.Operation);
                    Assert.That(outcome.Status, Is.EqualTo(expected), $"{outcome.Operation} {outcome.Url} during {outcome.Sent}");
                }
            }
        });

        // No acknowledged write is lost: every 201, before, during or after the crash, is there.
        var acknowledged = all.Where(o => o.Status == HttpStatusCode.Created).Select(o => o.CreatedSlug!).ToList();
        Assert.That(acknowledged, Is.Not.Empty);
        var missing = new List<string>();
        foreach (var slug in acknowledged)
        {
            using var draft = await _client.SendAsync(Authorized(HttpMethod.Get, $"{Api}/organs/{slug}/draft"));
            if (draft.StatusCode != HttpStatusCode.OK)
            {
                missing.Add($"{slug}: {(int)draft.StatusCode}");
            }
        }
        Assert.That(missing, Is.Empty, $"of {acknowledged.Count} acknowledged writes");
        TestContext.Out.WriteLine($"{acknowledged.Count} writes acknowledged (201) by the load, all {acknowledged.Count - missing.Count} read back after the recovery");

        // The log says what happened in a few lines, not a stack trace per failed request.
        var failed = all.Count(o => o.Status == HttpStatusCode.ServiceUnavailable);
        Assert.That(outageLogs.Where(e => e.Exception is not null).Select(e => e.Message), Is.Empty, "no stack traces for an outage");
        Assert.That(outageLogs, Has.Count.LessThanOrEqualTo(12), $"a handful of lines for {failed} requests answered 503:\n" + string.Join("\n", outageLogs.Take(12).Select(e => $"{e.Category}: {e.Message}")));
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(50);
        return true;
    }

    /// <summary>Renames a published organ and publishes it, through <paramref name="client"/>, retrying (bounded) while it answers 503.</summary>
    private async Task PublishRenameAsync(HttpClient client, string organ, string name)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            using var draft = await client.SendAsync(Authorized(HttpMethod.Get, $"{Api}/organs/{organ}/draft", _publisherKey));
            if (draft.StatusCode == HttpStatusCode.OK)
            {
                using var patch = Authorized(HttpMethod.Patch, $"{Api}/organs/{organ}", _publisherKey);
                patch.Content = new StringContent(new JsonObject { ["name"] = name }.ToJsonString(), Encoding.UTF8, "application/merge-patch+json");
                patch.Headers.TryAddWithoutValidation("If-Match", draft.Headers.ETag!.Tag);
                using var patched = await client.SendAsync(patch);
                Assert.That(patched.StatusCode, Is.EqualTo(HttpStatusCode.OK), await patched.Content.ReadAsStringAsync());
                using var publish = Authorized(HttpMethod.Post, $"{Api}/organs/{organ}/publish", _publisherKey);
                publish.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                publish.Headers.TryAddWithoutValidation("If-Match", patched.Headers.ETag!.Tag);
                using var published = await client.SendAsync(publish);
                Assert.That(published.StatusCode, Is.EqualTo(HttpStatusCode.OK), await published.Content.ReadAsStringAsync());
                return;
            }
            Assert.That(draft.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), await draft.Content.ReadAsStringAsync());
            Assert.That(waited.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)), "the other instance recovers too");
            await Task.Delay(50);
        }
    }

    private static HttpStatusCode Expected(Operation operation) => operation == Operation.Write ? HttpStatusCode.Created : HttpStatusCode.OK;

    private async Task LoadAsync(int worker, ConcurrentQueue<Outcome> outcomes, CancellationToken stop)
    {
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var operation = (Operation)(i % 4);
            string? slug = null;
            var request = operation switch
            {
                Operation.CachedRead => new HttpRequestMessage(HttpMethod.Get, CachedUrls[i / 4 % CachedUrls.Length]),
                // The list of institutions is read from the database every time; a search never made before is a cache miss.
                Operation.UncachedRead => new HttpRequestMessage(HttpMethod.Get, i / 4 % 2 == 0 ? "/api/v1/institutions" : $"{Api}/organs?q=busca{worker}x{i}"),
                Operation.Write => CreateRequest(slug = $"carga-{worker}-{i}"),
                _ => new HttpRequestMessage(HttpMethod.Get, "/health/ready"),
            };
            var sent = _phase;
            using (request)
            using (var response = await _client.SendAsync(request, CancellationToken.None))
            {
                var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
                outcomes.Enqueue(new Outcome(operation, request.RequestUri!.ToString(), sent, _phase, response.StatusCode,
                    response.Content.Headers.ContentType?.MediaType, response.Headers.RetryAfter?.Delta,
                    response.IsSuccessStatusCode ? "" : body, slug));
            }
        }
    }

    /// <summary>Waits (bounded) until the load has made <paramref name="count"/> more requests sent and answered within the phase.</summary>
    private static async Task WaitForOutcomesAsync(ConcurrentQueue<Outcome> outcomes, Phase phase, int count)
    {
        var waited = Stopwatch.StartNew();
        while (outcomes.Count(o => o.Sent == phase && o.Received == phase) < count)
        {
            Assert.That(waited.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)), $"the load made fewer than {count} requests during {phase}");
            await Task.Delay(20);
        }
    }

    private async Task WaitUntilCachingAsync()
    {
        var cache = _factory!.Services.GetRequiredService<PublishedCache>();
        var waited = Stopwatch.StartNew();
        while (cache.Count == 0)
        {
            Assert.That(waited.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)), "the cache never started (its LISTEN connection did not come up)");
            using (await _client.GetAsync($"{Api}/organs/{ReadOrgans[0]}"))
            {
            }
            await Task.Delay(20);
        }
    }

    private async Task<bool> SucceedsAsync(HttpStatusCode expected, Func<HttpRequestMessage> request)
    {
        using var message = request();
        using var response = await _client.SendAsync(message);
        return response.StatusCode == expected;
    }

    private HttpRequestMessage Authorized(HttpMethod method, string url, string? key = null)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key ?? _editorKey);
        return request;
    }

    private HttpRequestMessage CreateRequest(string slug)
    {
        var request = Authorized(HttpMethod.Post, $"{Api}/organs");
        request.Content = new StringContent(new JsonObject
        {
            ["slug"] = slug,
            ["name"] = $"Secretaria {slug}",
            ["kind"] = "secretaria",
            ["displayOrder"] = 1,
            ["statements"] = new JsonObject { ["mission"] = "Servir." },
            ["values"] = new JsonArray(),
            ["competences"] = new JsonArray(),
            ["legalBases"] = new JsonArray(),
        }.ToJsonString(), Encoding.UTF8, "application/json");
        return request;
    }

    private static async Task AssertUnavailableAsync(HttpResponseMessage response, string because)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), $"{because}: {body}");
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), because);
            Assert.That(response.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero), $"{because}: Retry-After in seconds");
            var detail = JsonNode.Parse(body)!["detail"]!.GetValue<string>();
            Assert.That(detail, Does.Contain("database").And.Contain("retry").IgnoreCase, because);
            Assert.That(detail, Does.Not.Contain("Exception").And.Not.Contain("Npgsql").And.Not.Contain("Paco."), "no .NET type names");
        }
    }

    private static void Report(IReadOnlyList<Outcome> all, double outageSeconds, TimeSpan recoveredIn, IReadOnlyList<LogCapture.Entry> outageLogs)
    {
        TestContext.Out.WriteLine($"{all.Count} requests under load; the database was down {outageSeconds:0.0} s; " +
            $"recovered {recoveredIn.TotalMilliseconds:0} ms after it accepted connections again");
        foreach (var group in all.GroupBy(o => o.Sent).OrderBy(g => g.Key))
        {
            TestContext.Out.WriteLine($"  sent while {group.Key}: {group.Count()} requests: " + string.Join(", ",
                group.GroupBy(o => (o.Operation, o.Status)).OrderBy(g => g.Key).Select(g => $"{g.Key.Operation} {(int)g.Key.Status} ×{g.Count()}")));
        }
        TestContext.Out.WriteLine($"{outageLogs.Count} log lines (information or worse) from the kill on, " +
            $"{outageLogs.Count(e => e.Exception is not null)} with a stack trace, {outageLogs.Sum(e => e.Message.Length + (e.Exception?.ToString().Length ?? 0))} characters:");
        foreach (var line in outageLogs.GroupBy(e => (e.Category, e.Message.Length > 140 ? e.Message[..140] : e.Message)).Take(20))
        {
            TestContext.Out.WriteLine($"  {line.Count()} × {line.First().Level} {line.Key.Category}: {line.Key.Item2}");
        }
    }
}
