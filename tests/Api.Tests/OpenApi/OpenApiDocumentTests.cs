using System.Text.Json.Nodes;
using Paco.Api.Common;

namespace Paco.Api.Tests.OpenApi;

/// <summary>
/// The committed OpenAPI document (openapi/paco.v1.json) is what clients generate code from, so it must match
/// what the service serves. To refresh it after changing an endpoint or a record:
///   PACO_UPDATE_OPENAPI=1 dotnet test --filter FullyQualifiedName~OpenApiDocumentTests
/// </summary>
public sealed class OpenApiDocumentTests : ApiFixture
{
    public static readonly string CommittedPath = Repository.PathOf("openapi", "paco.v1.json");

    private async Task<JsonNode> ServedAsync() => await GetJsonAsync(Common.OpenApi.DocumentPath);

    [Test]
    public async Task Served_document_matches_the_committed_one()
    {
        var served = (await ServedAsync()).ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true, Encoder = PacoJson.Options.Encoder }) + "\n";
        if (Environment.GetEnvironmentVariable("PACO_UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(CommittedPath, served);
            Assert.Pass($"Refreshed {CommittedPath}");
        }

        Assert.That(File.Exists(CommittedPath), Is.True, $"{CommittedPath} is missing; run the refresh command in this test's summary.");
        var committed = await File.ReadAllTextAsync(CommittedPath);
        Assert.That(JsonNode.DeepEquals(JsonNode.Parse(committed), JsonNode.Parse(served)), Is.True,
            "The served OpenAPI document differs from openapi/paco.v1.json. If the change is intended, refresh it: " +
            "PACO_UPDATE_OPENAPI=1 dotnet test --filter FullyQualifiedName~OpenApiDocumentTests");
    }

    [Test]
    public async Task Every_operation_is_named_summarised_and_documents_its_errors()
    {
        var document = await ServedAsync();
        var operations = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(op => (Path: path.Key, Method: op.Key, Operation: op.Value!)))
            .ToList();

        Assert.That(operations, Has.Count.GreaterThanOrEqualTo(13));
        foreach (var (path, method, operation) in operations)
        {
            var where = $"{method.ToUpperInvariant()} {path}";
            Assert.That(operation["operationId"]?.GetValue<string>(), Is.Not.Null.And.Not.Empty, where);
            Assert.That(operation["summary"]?.GetValue<string>(), Is.Not.Null.And.Not.Empty, where);
            Assert.That(operation["responses"]!.AsObject().Select(r => r.Key), Has.Some.StartsWith("2"), $"{where} documents its success");
            var anonymousRead = method == "get" && path.StartsWith("/api/v1/institutions", StringComparison.Ordinal) && operation["security"] is null
                && !path.EndsWith("/draft", StringComparison.Ordinal) && !path.EndsWith("/history", StringComparison.Ordinal) && !path.EndsWith("/diff", StringComparison.Ordinal)
                && !path.EndsWith("/audit", StringComparison.Ordinal) && !path.EndsWith("/changes", StringComparison.Ordinal);
            if (anonymousRead)
            {
                Assert.That(operation["responses"]!["304"], Is.Not.Null, $"{where} documents 304");
                // A 400 is possible only where the client sends something to check: query parameters, or typed path parameters.
                var checksInput = (operation["parameters"]?.AsArray() ?? [])
                    .Any(p => p!["in"]!.GetValue<string>() == "query" || p["schema"]?["type"]?.GetValue<string>() is "integer");
                Assert.That(operation["responses"]!["400"]?["content"]?["application/problem+json"], checksInput ? Is.Not.Null : Is.Null,
                    $"{where} documents 400 as problem+json exactly when it has input to refuse");
            }
            if (path.Contains("{institution}", StringComparison.Ordinal) && method != "post" || path.Contains("{id}", StringComparison.Ordinal))
            {
                Assert.That(operation["responses"]!["404"]?["content"]?["application/problem+json"], Is.Not.Null, $"{where} documents 404 as problem+json");
            }
        }
    }

    [TestCase("OrganResponse")]
    [TestCase("OrganDocument")]
    [TestCase("LegalBasisResponse")]
    [TestCase("LegalBasisDocument")]
    [TestCase("InstitutionResponse")]
    public async Task Each_resource_has_one_complete_example(string schema)
    {
        var document = await ServedAsync();
        var definition = document["components"]!["schemas"]![schema]!;
        var example = definition["example"] ?? definition["examples"]?[0];

        Assert.That(example, Is.Not.Null, $"{schema} has an example");
        var properties = definition["properties"]!.AsObject().Select(p => p.Key);
        Assert.That(example!.AsObject().Select(p => p.Key), Is.EquivalentTo(properties), $"the {schema} example shows every field");
    }
}
