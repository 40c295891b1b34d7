namespace Paco.Api.Tests.Health;

/// <summary>
/// dotnet Api.dll healthcheck, the container's healthcheck (the aspnet image has no wget): exit 0 when the service on the
/// configured address is ready, 1 otherwise; configured the way docker-compose.yml and the Dockerfile configure the service.
/// </summary>
public sealed class HealthCheckCommandTests : ApiFixture
{
    private ApiProcess _api = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _api = await ApiProcess.StartAsync(ConnectionString);

    [OneTimeTearDown]
    public async Task StopAsync() => await _api.DisposeAsync();

    private static Task<(int ExitCode, string Output)> HealthcheckAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        ApiProcess.RunAsync(ApiProcess.Command(environment, ["healthcheck", .. arguments]));

    [TestCase("ASPNETCORE_URLS", "{0}")]
    [TestCase("ASPNETCORE_URLS", "http://+:{1}")]
    [TestCase("ASPNETCORE_HTTP_PORTS", "{1}")]
    public async Task Healthcheck_exits_0_when_the_service_where_it_is_configured_to_listen_is_ready(string variable, string value)
    {
        var (exitCode, output) = await HealthcheckAsync(new Dictionary<string, string>
        {
            [variable] = string.Format(System.Globalization.CultureInfo.InvariantCulture, value, _api.BaseAddress.ToString().TrimEnd('/'), _api.BaseAddress.Port),
        });

        Assert.That(exitCode, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("healthy: GET http://").And.Contain("/health/ready answered 200"));
    }

    [Test]
    public async Task Healthcheck_exits_1_when_nothing_answers_and_starts_no_database_of_its_own()
    {
        var folder = Path.Combine(Path.GetTempPath(), "paco-healthcheck-" + Guid.NewGuid().ToString("N")[..8]);
        var (exitCode, output) = await HealthcheckAsync(new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{ApiProcess.FreePort()}",
            ["ConnectionStrings__Default"] = "",
            ["Postgres__DataDirectory"] = folder,
        });

        Assert.That(exitCode, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain("unhealthy"));
        Assert.That(Directory.Exists(folder), Is.False, "the embedded default was not started");
    }
}
