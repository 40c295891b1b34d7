using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Paco.Api.Tests.Hardening;

/// <summary>
/// Hostile input over every operation the OpenAPI document lists: malformed and mistyped bodies, huge and negative
/// numbers, deep nesting, invalid UTF-8, NUL, path tricks and garbage in every header, anonymous and with an admin
/// key. Nothing may answer 5xx, and every error the application writes is problem+json.
/// </summary>
public sealed class FuzzTests : ApiFixture
{
    private string _admin = "";

    // Garbage keys from one address would soon have every request with a key (the admin's too) answered 429 before it
    // reaches an endpoint: the failed-authentication limit is off here so the fuzz gets to the endpoints (RateLimitTests).
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["RateLimiting:FailedAuthenticationsPerMinute"] = "0" };

    [OneTimeSetUp]
    public async Task CreateKeyAsync() => _admin = await Content.KeyAsync("admin", null, "fuzz admin");

    private static readonly string[] PathValues =
    [
        // (%00 in a path is refused by the server before the app, by Kestrel and by the test server alike.)
        "amostra", "secretaria-de-trabalho-e-assistencia-social", "..%2F..%2Fetc%2Fpasswd", "%C3%28", new string('a', 3000),
        "00000000-0000-0000-0000-000000000000", "' or 1=1 --", "%E2%80%AE", "1e999", "-1",
    ];

    private static readonly string[] QueryValues =
        ["abc", "-1", "0", "99999999999999999999", "", "%00", "2026-01-01T12:00:00-03:00", "2026-13-45", "true", new string('x', 5000), "%FF%FE"];

    private static readonly byte[][] Bodies =
    [
        "{"u8.ToArray(),
        "null"u8.ToArray(),
        "[]"u8.ToArray(),
        "\"text\""u8.ToArray(),
        """{"slug":5,"name":[],"kind":{},"displayOrder":"x"}"""u8.ToArray(),
        """{"revision":99999999999999999999,"at":"yesterday"}"""u8.ToArray(),
        """{"revision":-5,"at":"2026-01-01T12:00:00-03:00","reason":""}"""u8.ToArray(),
        """{"name":"a","name":"b"}"""u8.ToArray(),
        """{"slug":"x\u0000y","name":"\u0000","text":"\u0000"}"""u8.ToArray(),
        Encoding.UTF8.GetBytes(new string('[', 5000) + new string(']', 5000)),
        Encoding.UTF8.GetBytes("{\"a\":" + string.Concat(Enumerable.Repeat("{\"a\":", 3000)) + "1" + new string('}', 3001)),
        [0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D], // {"\xC3(":1}: invalid UTF-8 in a property name
        [0x7B, 0x22, 0x6E, 0x61, 0x6D, 0x65, 0x22, 0x3A, 0x22, 0xFF, 0xFE, 0x22, 0x7D], // {"name":"\xFF\xFE"}
        """{"expiresAt":"2026-01-01T12:00:00-03:00","name":"k","role":"editor","institution":null}"""u8.ToArray(),
    ];

    private static readonly (string Name, string Value)[] Headers =
    [
        ("If-Match", "garbage"), ("If-Match", "\"x\", W/\"y\""), ("If-None-Match", "\u00e9t\u00e9"), ("If-None-Match", "*"),
        ("If-Modified-Since", "not a date"), ("Accept", "text/html"), ("Accept", "application/xml"), ("X-Change-Note", "%ZZ%00"),
        ("Authorization", "Bearer paco_garbage"), ("Authorization", "Basic Zm9vOmJhcg=="), ("Content-Type", "application/json; charset=latin1"),
        ("Range", "bytes=-1"), ("Accept-Encoding", "br;q=garbage"),
    ];

    [Test]
    public async Task No_hostile_request_to_any_documented_operation_answers_5xx_and_every_error_is_problem_json()
    {
        var document = await GetJsonAsync(Paco.Api.Common.OpenApi.DocumentPath);
        var failures = new List<string>();
        var requests = 0;
        foreach (var (template, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                var queries = (operation!["parameters"]?.AsArray() ?? []).Where(p => p!["in"]?.GetValue<string>() == "query").Select(p => p!["name"]!.GetValue<string>()).ToList();
                foreach (var attempt in Attempts(template, queries, method, operation["requestBody"] is not null))
                {
                    foreach (var key in new[] { null, _admin })
                    {
                        requests++;
                        using var request = attempt(key);
                        HttpResponseMessage response;
                        try
                        {
                            response = await Client.SendAsync(request);
                        }
                        catch (Exception exception)
                        {
                            failures.Add($"{request.Method} {request.RequestUri}: the server failed the request ({exception.GetType().Name}: {exception.Message})");
                            continue;
                        }
                        using (response)
                        {
                            var status = (int)response.StatusCode;
                            var mediaType = response.Content.Headers.ContentType?.MediaType;
                            var length = (await response.Content.ReadAsByteArrayAsync()).Length;
                            if (status >= 500)
                            {
                                failures.Add($"{request.Method} {request.RequestUri} → {status}: {await response.Content.ReadAsStringAsync()}");
                            }
                            else if (status >= 400 && (mediaType != "application/problem+json" || length == 0))
                            {
                                failures.Add($"{request.Method} {request.RequestUri} → {status} as '{mediaType}' ({length} bytes), not problem+json");
                            }
                        }
                    }
                }
            }
        }

        TestContext.Out.WriteLine($"{requests} hostile requests, {failures.Count} failures");
        Assert.That(failures, Is.Empty, string.Join("\n", failures.Take(30)));
        Assert.That(requests, Is.GreaterThan(1000), "every operation was tried many ways");
    }

    private IEnumerable<Func<string?, HttpRequestMessage>> Attempts(string template, IReadOnlyList<string> queries, string method, bool hasBody)
    {
        var httpMethod = new HttpMethod(method.ToUpperInvariant());
        string Fill(string value) => System.Text.RegularExpressions.Regex.Replace(template, @"\{[^}]+\}", value);
        var plain = System.Text.RegularExpressions.Regex.Replace(template, @"\{(institution)\}", "amostra");
        plain = System.Text.RegularExpressions.Regex.Replace(plain, @"\{(organ)\}", "secretaria-de-trabalho-e-assistencia-social");
        plain = System.Text.RegularExpressions.Regex.Replace(plain, @"\{(legalBasis)\}", "lei-473-1999");
        plain = System.Text.RegularExpressions.Regex.Replace(plain, @"\{(number)\}", "1");
        plain = System.Text.RegularExpressions.Regex.Replace(plain, @"\{(id)\}", Guid.Empty.ToString());

        HttpRequestMessage Build(string? key, string url, byte[]? body = null, string contentType = "application/json", (string, string)? header = null)
        {
            var request = new HttpRequestMessage(httpMethod, url);
            if (key is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            }
            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
            if (header is var (name, value))
            {
                if (name == "Content-Type")
                {
                    request.Content ??= new ByteArrayContent("{}"u8.ToArray());
                    request.Content.Headers.Remove("Content-Type");
                    request.Content.Headers.TryAddWithoutValidation(name, value);
                }
                else
                {
                    request.Headers.Remove(name);
                    request.Headers.TryAddWithoutValidation(name, value);
                }
            }
            return request;
        }

        foreach (var value in PathValues)
        {
            yield return key => Build(key, Fill(value));
        }
        foreach (var query in queries)
        {
            foreach (var value in QueryValues)
            {
                yield return key => Build(key, $"{plain}?{query}={value}");
            }
        }
        yield return key => Build(key, $"{plain}?unknown=1&page=2&page=3");
        foreach (var header in Headers)
        {
            yield return key => Build(key, plain, hasBody ? "{}"u8.ToArray() : null, header: header);
        }
        if (hasBody || httpMethod != HttpMethod.Get)
        {
            foreach (var body in Bodies)
            {
                yield return key => Build(key, plain, body, method == "patch" ? "application/merge-patch+json" : "application/json", ("If-Match", "\"stale\""));
                yield return key => Build(key, plain, body, "text/plain");
            }
        }
    }
}
