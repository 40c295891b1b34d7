using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Json.Schema;

namespace Paco.Api.Tests.Contract;

/// <summary>
/// The committed OpenAPI document (openapi/paco.v1.json) as a checker of real answers: which operation a request is,
/// whether its status is documented, whether the body is of a documented media type and validates against the
/// documented JSON Schema (OpenAPI 3.1 = JSON Schema 2020-12, checked with formats), and whether every documented
/// required header is there and well-formed.
/// </summary>
public sealed partial class OpenApiContract
{
    private static readonly Uri DocumentUri = new("https://paco.test/openapi/paco.v1.json");

    public static OpenApiContract Committed { get; } = new(File.ReadAllText(Repository.PathOf("openapi", "paco.v1.json")));

    private readonly JsonElement _document;
    private readonly BuildOptions _build;
    private readonly EvaluationOptions _evaluation;
    private readonly List<Operation> _operations = [];
    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new();

    /// <summary>One documented operation: its path template, method, and the JSON pointer of its definition.</summary>
    public sealed record Operation(string Template, string Method, Regex Path, int LiteralSegments, string Pointer, JsonElement Definition)
    {
        public override string ToString() => $"{Method.ToUpperInvariant()} {Template}";
    }

    public OpenApiContract(string json)
    {
        _document = JsonDocument.Parse(json).RootElement.Clone();
        var registry = new SchemaRegistry();
        registry.Register(new JsonElementBaseDocument(_document, DocumentUri));
        _build = new BuildOptions { SchemaRegistry = registry };
        var formats = new FormatRegistry();
        formats.Register(new PredicateFormat("int32", e => e.ValueKind != JsonValueKind.Number || e.TryGetInt32(out _)));
        formats.Register(new PredicateFormat("int64", e => e.ValueKind != JsonValueKind.Number || e.TryGetInt64(out _)));
        formats.Register(new PredicateFormat("double", _ => true));
        _evaluation = new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true, FormatRegistry = formats };
        foreach (var path in _document.GetProperty("paths").EnumerateObject())
        {
            var segments = path.Name.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var pattern = "^/" + string.Join('/', segments.Select(s => s.StartsWith('{') ? "[^/]+" : Regex.Escape(s))) + "$";
            foreach (var method in path.Value.EnumerateObject())
            {
                _operations.Add(new Operation(path.Name, method.Name, new Regex(pattern), segments.Count(s => !s.StartsWith('{')),
                    $"/paths/{Escape(path.Name)}/{method.Name}", method.Value));
            }
        }
    }

    public IReadOnlyList<Operation> Operations => _operations;

    /// <summary>The documented operation a request is (literal segments win over parameters: /organs/tree is not /organs/{organ}), if any. HEAD is GET.</summary>
    public Operation? Find(HttpMethod method, string path)
    {
        var name = method == HttpMethod.Head ? "get" : method.Method.ToLowerInvariant();
        return _operations.Where(o => o.Method == name && o.Path.IsMatch(path)).MaxBy(o => o.LiteralSegments);
    }

    /// <summary>What in this answer the document does not promise; empty when it keeps its promise.</summary>
    public IReadOnlyList<string> Check(Operation operation, HttpMethod method, HttpResponseMessage response, byte[] body)
    {
        var violations = new List<string>();
        var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var responses = operation.Definition.GetProperty("responses");
        if (!responses.TryGetProperty(status, out var documented))
        {
            var known = string.Join(", ", responses.EnumerateObject().Select(r => r.Name));
            violations.Add($"status {status} is not documented (documented: {known}); body: {Shorten(body)}");
            return violations;
        }
        documented = Resolve(documented);
        var pointer = $"{operation.Pointer}/responses/{status}";
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        var hasContent = documented.TryGetProperty("content", out var content);
        if (method == HttpMethod.Head || status == "304")
        {
            if (body.Length > 0)
            {
                violations.Add($"a {(status == "304" ? "304" : "HEAD")} answer has a body of {body.Length} bytes");
            }
        }
        else if (body.Length == 0)
        {
            if (hasContent)
            {
                violations.Add($"the body is empty, but the document promises {string.Join(" or ", content.EnumerateObject().Select(c => c.Name))}");
            }
        }
        else if (!hasContent)
        {
            violations.Add($"the document promises no body, but there are {body.Length} bytes of {mediaType}");
        }
        else if (mediaType is null || !content.TryGetProperty(mediaType, out var media))
        {
            violations.Add($"Content-Type {mediaType} is not documented (documented: {string.Join(", ", content.EnumerateObject().Select(c => c.Name))})");
        }
        else if (media.TryGetProperty("schema", out _))
        {
            violations.AddRange(Validate($"{pointer}/content/{Escape(mediaType)}/schema", body, mediaType));
        }
        if (documented.TryGetProperty("headers", out var headers))
        {
            foreach (var header in headers.EnumerateObject())
            {
                violations.AddRange(CheckHeader(header.Name, Resolve(header.Value), response));
            }
        }
        return violations;
    }

    private IEnumerable<string> Validate(string schemaPointer, byte[] body, string mediaType)
    {
        if (!mediaType.EndsWith("json", StringComparison.Ordinal))
        {
            yield break;
        }
        JsonElement instance;
        string? unreadable = null;
        try
        {
            instance = JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException exception)
        {
            instance = default;
            unreadable = $"the body is not JSON ({exception.Message})";
        }
        if (unreadable is not null)
        {
            yield return unreadable;
            yield break;
        }
        var schema = _schemas.GetOrAdd(schemaPointer, p => JsonSchema.FromText($$"""{"$ref": "{{DocumentUri}}#{{p.Replace("{", "%7B").Replace("}", "%7D").Replace("+", "%2B")}}"}""", _build));
        var result = schema.Evaluate(instance, _evaluation);
        if (result.IsValid)
        {
            yield break;
        }
        foreach (var detail in (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).Take(10))
        {
            foreach (var (keyword, message) in detail.Errors!)
            {
                yield return $"at {detail.InstanceLocation} ({keyword}, schema {detail.EvaluationPath}): {message}";
            }
        }
    }

    private IEnumerable<string> CheckHeader(string name, JsonElement header, HttpResponseMessage response)
    {
        var values = response.Headers.TryGetValues(name, out var found) ? found.ToList()
            : response.Content.Headers.TryGetValues(name, out var content) ? content.ToList() : null;
        var required = header.TryGetProperty("required", out var r) && r.GetBoolean();
        if (values is null)
        {
            if (required)
            {
                yield return $"the required header {name} is missing";
            }
            yield break;
        }
        if (!header.TryGetProperty("schema", out var schema))
        {
            yield break;
        }
        var value = string.Join(", ", values);
        var type = schema.TryGetProperty("type", out var t) ? t.GetString() : null;
        if (type == "integer")
        {
            if (!long.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var number))
            {
                yield return $"header {name} is '{value}', not an integer";
            }
            else if (schema.TryGetProperty("minimum", out var minimum) && number < minimum.GetInt64())
            {
                yield return $"header {name} is {number}, below its minimum {minimum.GetInt64()}";
            }
        }
        else if (schema.TryGetProperty("pattern", out var pattern) && !Regex.IsMatch(value, pattern.GetString()!))
        {
            yield return $"header {name} is '{value}', which does not match {pattern.GetString()}";
        }
    }

    /// <summary>A "$ref": "#/components/…" object replaced by what it refers to.</summary>
    private JsonElement Resolve(JsonElement element)
    {
        while (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("$ref", out var reference) && reference.GetString() is { } target && target.StartsWith("#/", StringComparison.Ordinal))
        {
            element = target[2..].Split('/').Aggregate(_document, (node, segment) => node.GetProperty(segment.Replace("~1", "/").Replace("~0", "~")));
        }
        return element;
    }

    private static string Escape(string segment) => segment.Replace("~", "~0").Replace("/", "~1");

    private static string Shorten(byte[] body)
    {
        var text = System.Text.Encoding.UTF8.GetString(body);
        return text.Length <= 300 ? text : text[..300] + "…";
    }
}

/// <summary>
/// Checks every answer a test client receives against the committed OpenAPI document, so each test is also a test of
/// the contract: an answer the document does not promise fails the test that received it, with what differs.
/// </summary>
public sealed class ContractCheckingHandler(OpenApiContract contract) : DelegatingHandler
{
    /// <summary>Every documented operation this client's requests were, with the statuses they were answered (for coverage).</summary>
    public ConcurrentDictionary<string, ConcurrentDictionary<int, bool>> Seen { get; } = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var path = request.RequestUri!.IsAbsoluteUri ? request.RequestUri.AbsolutePath : request.RequestUri.OriginalString.Split('?')[0];
        if (contract.Find(request.Method, Uri.UnescapeDataString(path)) is not { } operation)
        {
            return response; // not a documented route (an unknown path, a method the route does not have): nothing was promised
        }
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var body = Decoded(await response.Content.ReadAsByteArrayAsync(cancellationToken), response.Content.Headers.ContentEncoding);
        Seen.GetOrAdd(operation.ToString(), _ => new()).TryAdd((int)response.StatusCode, true);
        var violations = contract.Check(operation, request.Method, response, body);
        if (violations.Count > 0)
        {
            throw new AssertionException($"{request.Method} {request.RequestUri} ({operation}) answered {(int)response.StatusCode}, which breaks the OpenAPI document:\n  "
                + string.Join("\n  ", violations));
        }
        return response;
    }

    /// <summary>A compressed body as the schema describes it: decoded (the test still gets the bytes as sent).</summary>
    private static byte[] Decoded(byte[] body, ICollection<string> codings)
    {
        if (body.Length == 0 || codings.Count == 0)
        {
            return body;
        }
        using var input = new MemoryStream(body);
        using System.IO.Stream decoder = codings.Single() switch
        {
            "br" => new System.IO.Compression.BrotliStream(input, System.IO.Compression.CompressionMode.Decompress),
            "gzip" => new System.IO.Compression.GZipStream(input, System.IO.Compression.CompressionMode.Decompress),
            var other => throw new AssertionException($"Content-Encoding {other} is not one the API sends"),
        };
        using var output = new MemoryStream();
        decoder.CopyTo(output);
        return output.ToArray();
    }
}
