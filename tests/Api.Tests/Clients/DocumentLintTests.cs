using System.Text;
using System.Text.Json;

namespace Paco.Api.Tests.Clients;

/// <summary>
/// The committed openapi/paco.v1.json, linted the way third-party developers' tools see it: Spectral with its spectral:oas
/// ruleset and Redocly with its recommended one (npm scripts lint:spectral and lint:redocly of tests/clients).
/// </summary>
public sealed class DocumentLintTests
{
    [OneTimeSetUp]
    public Task InstallAsync() => ClientPackages.EnsureInstalledAsync();

    [Test]
    public async Task Spectral_oas_ruleset_finds_no_error_in_the_committed_document()
    {
        var (_, output) = await ClientPackages.NpmAsync("lint:spectral", "--format", "json");

        var problems = FirstJsonValue(output).EnumerateArray().ToList();
        var errors = problems.Where(p => p.GetProperty("severity").GetInt32() == 0).ToList(); // 0 error, 1 warning, 2 info, 3 hint
        Assert.That(errors, Is.Empty, "Spectral (spectral:oas) errors in openapi/paco.v1.json:\n" + string.Join("\n", errors.Select(e =>
            $"{e.GetProperty("code").GetString()} at {string.Join('.', e.GetProperty("path").EnumerateArray())}: {e.GetProperty("message").GetString()}")));
    }

    [Test]
    public async Task Redocly_recommended_ruleset_finds_no_error_in_the_committed_document()
    {
        var (_, output) = await ClientPackages.NpmAsync("lint:redocly", "--format", "json");

        var report = FirstJsonValue(output);
        var errors = report.GetProperty("problems").EnumerateArray().Where(p => p.GetProperty("severity").GetString() == "error").ToList();
        Assert.That(report.GetProperty("totals").GetProperty("errors").GetInt32(), Is.EqualTo(errors.Count));
        Assert.That(errors, Is.Empty, "Redocly (recommended) errors in openapi/paco.v1.json:\n" + string.Join("\n", errors.Select(e =>
            $"{e.GetProperty("ruleId").GetString()} at {e.GetProperty("location")[0].GetProperty("pointer").GetString()}: {e.GetProperty("message").GetString()}")));
    }

    /// <summary>The report the linter printed first; Redocly prints notices (Node.js versions) after it.</summary>
    private static JsonElement FirstJsonValue(string output)
    {
        var start = output.IndexOfAny(['[', '{']);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), $"The linter printed no JSON report:\n{output}");
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(output[start..]), new JsonReaderOptions { AllowTrailingCommas = false });
        try
        {
            return JsonElement.ParseValue(ref reader);
        }
        catch (JsonException error)
        {
            throw new AssertionException($"The linter's report is not JSON ({error.Message}):\n{output}");
        }
    }
}
