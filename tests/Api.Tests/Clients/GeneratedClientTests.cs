namespace Paco.Api.Tests.Clients;

/// <summary>
/// What a third-party developer does with openapi/paco.v1.json: generate a client from the committed document, compile a
/// program against it (tsc --strict; C# with nullable warnings as errors) and run it against the API on a real port.
/// The programs (tests/clients/typescript/scenario.ts, tests/clients/csharp/Program.cs) list institutions and organs, read
/// an organ with its competences and citations and a legal basis, edit the draft with a merge patch and If-Match, read the
/// diff, publish with If-Match, read the change and revalidate with If-None-Match (304); they exit 1 saying what differed.
/// </summary>
public sealed class GeneratedClientTests : ApiFixture
{
    private ApiProcess _api = null!;
    private string _adminKey = "";

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _adminKey = await Content.KeyAsync("admin", null, "generated clients");
        _api = await ApiProcess.StartAsync(ConnectionString);
        await ClientPackages.EnsureInstalledAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _api.DisposeAsync();

    private Dictionary<string, string> ScenarioEnvironment => new()
    {
        ["PACO_BASE_URL"] = _api.BaseAddress.ToString().TrimEnd('/'),
        ["PACO_API_KEY"] = _adminKey,
    };

    [Test]
    public async Task Generated_typescript_client_lists_reads_edits_and_publishes_against_a_live_api()
    {
        foreach (var script in new[] { "generate", "build" })
        {
            var (exitCode, output) = await ClientPackages.NpmAsync(script);
            Assert.That(exitCode, Is.EqualTo(0), $"npm run {script} failed: the client generated from openapi/paco.v1.json does not compile with the program:\n{output}");
        }

        var (scenarioExit, scenarioOutput) = await ClientPackages.RunAsync("node", ["typescript/dist/scenario.js"], TimeSpan.FromMinutes(2), ScenarioEnvironment);

        Assert.That(scenarioExit, Is.EqualTo(0), $"The TypeScript program over the generated client failed:\n{scenarioOutput}\nAPI output:\n{_api.Output}");
        Assert.That(scenarioOutput, Does.Contain("GET with If-None-Match answers 304").And.Contain("scenario passed"));
    }

    [Test]
    public async Task Generated_csharp_client_lists_reads_edits_and_publishes_against_a_live_api()
    {
        // The build generates the client (NSwag, from the npm packages) from the committed document.
        var (exitCode, output) = await ClientPackages.RunAsync("dotnet", ["run", "--project", "csharp/PacoClientScenario.csproj"],
            TimeSpan.FromMinutes(5), ScenarioEnvironment);

        Assert.That(exitCode, Is.EqualTo(0), $"The C# program over the NSwag client failed (build or run):\n{output}\nAPI output:\n{_api.Output}");
        Assert.That(output, Does.Contain("GET with If-None-Match answers 304").And.Contain("scenario passed"));
    }
}
