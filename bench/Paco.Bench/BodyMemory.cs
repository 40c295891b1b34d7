using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Paco.Bench;

/// <summary>
/// The memory a burst of large writes leaves behind: reads GET /bench/memory, sends --requests (50) organ documents of
/// exactly --bytes (1 MiB, the largest body accepted) at once as POST …/organs (each a new organ, so each a whole write:
/// read, parse, validate, store), reads /bench/memory right after and again after --settle seconds (75) of quiet (past the
/// service's own release of memory after large writes, RequestBodies:ReleaseAfter), for --rounds rounds (1), and once more
/// at the end after a full collection it asks for (what the process really keeps). Prints one line per reading and one
/// machine-readable summary line.
/// </summary>
internal static class BodyMemory
{
    public static async Task<int> RunAsync(string[] args)
    {
        var baseUrl = Options.Value(args, "--base-url") ?? "http://127.0.0.1:5090";
        var key = Options.Value(args, "--key");
        var institution = Options.Value(args, "--institution") ?? "amostra";
        var requests = Options.Int(args, "--requests", 50);
        var bytes = Options.Int(args, "--bytes", 1024 * 1024);
        var settle = Options.Int(args, "--settle", 75);
        var rounds = Options.Int(args, "--rounds", 1);
        if (string.IsNullOrWhiteSpace(key) || requests < 1 || bytes < 1024 || rounds < 1 || settle < 0)
        {
            Console.Error.WriteLine("usage: bodies --base-url <url> --key <admin or editor key> [--institution amostra] [--requests 50] [--bytes 1048576] [--settle 75] [--rounds 1]");
            return 2;
        }

        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = requests, UseCookies = false })
        {
            BaseAddress = new Uri(baseUrl.TrimEnd('/') + "/"),
            Timeout = TimeSpan.FromSeconds(120),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Trim());
        var organs = $"api/v1/institutions/{Uri.EscapeDataString(institution)}/organs";
        var run = Guid.NewGuid().ToString("N")[..8];

        var before = await MemoryAsync(client);
        if (before is null)
        {
            return 1;
        }
        Console.WriteLine($"before: {before.ToJsonString()}");
        JsonNode? after = null, settled = null;
        var statuses = new List<HttpStatusCode>();
        for (var round = 1; round <= rounds; round++)
        {
            var bodies = Enumerable.Range(0, requests).Select(i => Document($"bench-body-{run}-{round}-{i}", bytes)).ToList();
            var answers = await Task.WhenAll(bodies.Select(async body =>
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await client.PostAsync(organs, content);
                return response.StatusCode;
            }));
            statuses.AddRange(answers);
            after = await MemoryAsync(client);
            Console.WriteLine($"round {round}, right after: {after?.ToJsonString()}");
            await Task.Delay(TimeSpan.FromSeconds(settle));
            settled = await MemoryAsync(client);
            Console.WriteLine($"round {round}, after {settle} s: {settled?.ToJsonString()}");
        }

        var collected = await MemoryAsync(client, collect: true);
        Console.WriteLine($"after a full collection: {collected?.ToJsonString()}");

        var counts = string.Join(",", statuses.GroupBy(s => (int)s).OrderBy(g => g.Key).Select(g => $"{g.Key}x{g.Count()}"));
        Console.WriteLine($"bodies: requests={requests}x{rounds} bytes={bytes} statuses={counts} rss_before={Rss(before)} " +
            $"rss_after={Rss(after)} rss_settled={Rss(settled)} gc_heap_mb_after={after?["gcHeapMb"]} gc_committed_mb_after={after?["gcCommittedMb"]} " +
            $"gc_committed_mb_settled={settled?["gcCommittedMb"]} rss_after_full_gc={Rss(collected)} gc_heap_mb_after_full_gc={collected?["gcHeapMb"]} " +
            $"rss_peak={collected?["rssPeak"]?.GetValue<string>().Replace(" ", "", StringComparison.Ordinal) ?? "?"}");
        return statuses.All(s => s == HttpStatusCode.Created) ? 0 : 1;
    }

    private static string Rss(JsonNode? memory) => memory?["rss"]?.GetValue<string>().Replace(" ", "", StringComparison.Ordinal) ?? "?";

    private static async Task<JsonNode?> MemoryAsync(HttpClient client, bool collect = false)
    {
        using var response = await client.GetAsync(collect ? "bench/memory?collect=true" : "bench/memory");
        if (response.StatusCode != HttpStatusCode.OK)
        {
            Console.Error.WriteLine($"bodies: GET /bench/memory answered {(int)response.StatusCode}: the API must be a -p:PacoBench=true build run with Benchmark__Endpoints=true");
            return null;
        }
        return JsonNode.Parse(await response.Content.ReadAsStringAsync());
    }

    /// <summary>A valid organ document of exactly <paramref name="bytes"/> bytes of UTF-8: competences of long texts, then spaces.</summary>
    private static byte[] Document(string slug, int bytes)
    {
        var text = string.Concat(Enumerable.Repeat("Planejar, coordenar e executar as ações da secretaria; ", 160))[..8_800];
        var competences = new JsonArray();
        var document = new JsonObject
        {
            ["slug"] = slug,
            ["name"] = "Secretaria de Corpo Grande",
            ["kind"] = "secretaria",
            ["displayOrder"] = 999,
            ["statements"] = new JsonObject { ["mission"] = "Medir a memória que uma escrita grande custa." },
            ["values"] = new JsonArray("Transparência"),
            ["competences"] = competences,
            ["legalBases"] = new JsonArray(),
        };
        var json = document.ToJsonString();
        for (var label = 1; Encoding.UTF8.GetByteCount(json) + text.Length * 2 < bytes; label++)
        {
            competences.Add(new JsonObject { ["label"] = label.ToString(System.Globalization.CultureInfo.InvariantCulture), ["text"] = text, ["group"] = "competences", ["citations"] = new JsonArray() });
            json = document.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        }
        var utf8 = Encoding.UTF8.GetBytes(json);
        var padded = new byte[bytes];
        utf8.CopyTo(padded, 0);
        padded.AsSpan(utf8.Length).Fill((byte)' '); // whitespace after the value is still one JSON document
        return padded;
    }
}
