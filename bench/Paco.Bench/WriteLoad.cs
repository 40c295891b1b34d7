using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Paco.Bench;

/// <summary>
/// The write scenario: each worker creates its own organ, then loops until time is up saving a draft
/// (a merge patch renaming it, If-Match = the previous ETag) and publishing it (If-Match = the patch's ETag).
/// One loop = one revision saved + one publication. Prints one machine-readable line at the end and exits 1
/// when more than 1% of the operations failed.
/// </summary>
internal static class WriteLoad
{
    private const double MaxFailureRatio = 0.01;

    public static async Task<int> RunAsync(string[] args)
    {
        var baseUrl = Options.Value(args, "--base-url") ?? "http://127.0.0.1:5090";
        var key = Options.Value(args, "--key");
        var institution = Options.Value(args, "--institution") ?? "amostra";
        var seconds = Options.Int(args, "--seconds", 10);
        var workers = Options.Int(args, "--workers", 4);
        if (string.IsNullOrWhiteSpace(key))
        {
            Console.Error.WriteLine("write: --key <admin key> is required");
            return 2;
        }
        if (seconds < 1 || workers < 1)
        {
            Console.Error.WriteLine("write: --seconds and --workers must be at least 1");
            return 2;
        }

        using var client = new HttpClient(new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            MaxConnectionsPerServer = workers * 2,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
        })
        {
            BaseAddress = new Uri(baseUrl.TrimEnd('/') + "/"),
            Timeout = TimeSpan.FromSeconds(30),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Trim());
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        var organs = $"api/v1/institutions/{Uri.EscapeDataString(institution)}/organs";
        var run = Guid.NewGuid().ToString("N")[..8];
        var stats = Enumerable.Range(0, workers).Select(_ => new WorkerStats()).ToArray();

        // Every worker creates its organ before the clock starts: the measured loop is saves and publications only.
        var slugs = new string?[workers];
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async w =>
        {
            var slug = $"bench-write-{w}-{run}";
            var (ok, status, etag, detail) = await SendAsync(client, HttpMethod.Post, organs, "application/json", CreateBody(slug, w), null);
            if (ok && etag is not null)
            {
                slugs[w] = slug;
                stats[w].Etag = etag;
                stats[w].Revisions++;
            }
            else
            {
                Console.Error.WriteLine($"write: worker {w} could not create {slug}: {status} {detail}");
            }
        }));
        if (slugs.Any(s => s is null))
        {
            Console.Error.WriteLine("write: FAILED: not every worker could create its organ");
            return 1;
        }

        var clock = Stopwatch.StartNew();
        var deadline = TimeSpan.FromSeconds(seconds);
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(() => WorkAsync(client, $"{organs}/{slugs[w]}", w, stats[w], clock, deadline))));
        var elapsed = clock.Elapsed.TotalSeconds;

        var saves = stats.Sum(s => s.Saves);
        var publishes = stats.Sum(s => s.Publishes);
        var saveFailures = stats.Sum(s => s.SaveFailures);
        var publishFailures = stats.Sum(s => s.PublishFailures);
        var errors = saveFailures + publishFailures;
        var revisions = stats.Sum(s => s.Revisions);
        var all = stats.SelectMany(s => s.SaveLatencies.Concat(s.PublishLatencies)).ToList();
        all.Sort();
        var saveLatencies = stats.SelectMany(s => s.SaveLatencies).ToList();
        saveLatencies.Sort();
        var publishLatencies = stats.SelectMany(s => s.PublishLatencies).ToList();
        publishLatencies.Sort();

        var total = saves + publishes + errors;
        Console.WriteLine(FormattableString.Invariant(
            $"write: {workers} workers, {elapsed:F1} s, institution {institution}: saves ok={saves} failed={saveFailures} (p50 {Percentile(saveLatencies, 0.50):F2} ms, p99 {Percentile(saveLatencies, 0.99):F2} ms); publishes ok={publishes} failed={publishFailures} (p50 {Percentile(publishLatencies, 0.50):F2} ms, p99 {Percentile(publishLatencies, 0.99):F2} ms)"));
        foreach (var message in stats.SelectMany(s => s.FirstErrors).Take(5))
        {
            Console.WriteLine($"write: error: {message}");
        }
        Console.WriteLine(FormattableString.Invariant(
            $"write: saves/s={saves / elapsed:F1} publishes/s={publishes / elapsed:F1} p50_ms={Percentile(all, 0.50):F2} p99_ms={Percentile(all, 0.99):F2} errors={errors} revisions={revisions}"));

        if (total == 0 || errors > MaxFailureRatio * total)
        {
            Console.Error.WriteLine(FormattableString.Invariant(
                $"write: FAILED: {errors} of {total} operations failed (more than 1%)"));
            return 1;
        }
        return 0;
    }

    private static async Task WorkAsync(HttpClient client, string organ, int worker, WorkerStats stats, Stopwatch clock, TimeSpan deadline)
    {
        var publishBody = "{}";
        var iteration = 0;
        while (clock.Elapsed < deadline)
        {
            iteration++;
            var patch = JsonSerializer.Serialize(new { name = $"Secretaria de Teste {worker} (versão {iteration})" });

            var start = Stopwatch.GetTimestamp();
            var saved = await SendAsync(client, HttpMethod.Patch, organ, "application/merge-patch+json", patch, stats.Etag);
            var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (saved.Ok && saved.Etag is not null)
            {
                stats.Saves++;
                stats.Revisions++;
                stats.SaveLatencies.Add(ms);
                stats.Etag = saved.Etag;
            }
            else
            {
                stats.SaveFailures++;
                stats.Fail($"PATCH {organ}: {saved.Status} {saved.Detail}");
                await RefreshEtagAsync(client, organ, stats);
                continue;
            }

            start = Stopwatch.GetTimestamp();
            var published = await SendAsync(client, HttpMethod.Post, organ + "/publish", "application/json", publishBody, stats.Etag);
            ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (published.Ok && published.Etag is not null)
            {
                stats.Publishes++;
                stats.PublishLatencies.Add(ms);
                stats.Etag = published.Etag;
            }
            else
            {
                stats.PublishFailures++;
                stats.Fail($"POST {organ}/publish: {published.Status} {published.Detail}");
                await RefreshEtagAsync(client, organ, stats);
            }
        }
    }

    /// <summary>After a failure the worker's ETag may be stale: read the draft's current one so the loop can go on.</summary>
    private static async Task RefreshEtagAsync(HttpClient client, string organ, WorkerStats stats)
    {
        try
        {
            using var response = await client.GetAsync(organ + "/draft");
            if (response.IsSuccessStatusCode && response.Headers.ETag is { } etag)
            {
                stats.Etag = etag.ToString();
            }
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            stats.Fail($"GET {organ}/draft: {exception.Message}");
        }
    }

    private static async Task<(bool Ok, int Status, string? Etag, string? Detail)> SendAsync(
        HttpClient client, HttpMethod method, string path, string contentType, string body, string? ifMatch)
    {
        try
        {
            using var request = new HttpRequestMessage(method, path)
            {
                Content = new StringContent(body, Encoding.UTF8, contentType),
            };
            if (ifMatch is not null)
            {
                request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            }
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
            var etag = response.Headers.ETag?.ToString();
            if (response.IsSuccessStatusCode)
            {
                return (true, (int)response.StatusCode, etag, null);
            }
            var text = await response.Content.ReadAsStringAsync();
            return (false, (int)response.StatusCode, etag, text.Length > 300 ? text[..300] : text);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return (false, 0, null, exception.Message);
        }
    }

    private static string CreateBody(string slug, int worker) => JsonSerializer.Serialize(new
    {
        slug,
        name = $"Secretaria de Teste {worker}",
        kind = "secretaria",
        displayOrder = 900 + worker,
        statements = new { mission = "Medir quantas revisões por segundo o Paço salva e publica." },
        values = new[] { "Transparência" },
        competences = new[]
        {
            new { label = "I", text = "Salvar rascunhos;", group = "competences", citations = Array.Empty<object>() },
            new { label = "II", text = "Publicá-los;", group = "competences", citations = Array.Empty<object>() },
        },
        legalBases = Array.Empty<object>(),
    });

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private sealed class WorkerStats
    {
        public string? Etag;
        public int Saves;
        public int Publishes;
        public int SaveFailures;
        public int PublishFailures;
        public int Revisions;
        public readonly List<double> SaveLatencies = new(4096);
        public readonly List<double> PublishLatencies = new(4096);
        public readonly List<string> FirstErrors = [];

        public void Fail(string message)
        {
            if (FirstErrors.Count < 3)
            {
                FirstErrors.Add(message);
            }
        }
    }
}
