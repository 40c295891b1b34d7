using System.Text.RegularExpressions;

namespace Paco.Api.Health;

/// <summary>
/// dotnet Api.dll healthcheck [--url http://host:port] [--path /health/ready]
/// GETs the running service's readiness and exits 0 on 200, 1 otherwise: a container healthcheck that needs nothing
/// the aspnet runtime image lacks (it has no wget or curl). It starts no database and no server. Without --url it
/// asks where the service listens the way the service itself decides: ASPNETCORE_URLS (urls), then
/// ASPNETCORE_HTTP_PORTS (http_ports), then Kestrel's default http://localhost:5000; a wildcard host is loopback.
/// </summary>
public static partial class HealthCheckCommand
{
    public static async Task<int> RunAsync(string[] args, IConfiguration configuration)
    {
        string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var baseUrl = Option("--url") ?? ListeningUrl(configuration);
        var url = baseUrl.TrimEnd('/') + (Option("--path") ?? "/health/ready");
        using var client = new HttpClient(new SocketsHttpHandler
        {
            // The service's own certificate on loopback (a development one, say) is not what this checks.
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        })
        { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            using var response = await client.GetAsync(url);
            var healthy = response.StatusCode == System.Net.HttpStatusCode.OK;
            Console.WriteLine($"{(healthy ? "healthy" : "unhealthy")}: GET {url} answered {(int)response.StatusCode}");
            return healthy ? 0 : 1;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or UriFormatException or InvalidOperationException)
        {
            Console.WriteLine($"unhealthy: GET {url} failed: {exception.Message}");
            return 1;
        }
    }

    /// <summary>The first URL the service listens on, an http one when there is one, with wildcard hosts made loopback.</summary>
    public static string ListeningUrl(IConfiguration configuration)
    {
        var urls = (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (urls.Length > 0)
        {
            return Loopback(urls.FirstOrDefault(u => u.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? urls[0]);
        }
        var httpPort = (configuration["http_ports"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return httpPort is not null ? $"http://localhost:{httpPort}" : "http://localhost:5000";
    }

    [GeneratedRegex(@"^(?<scheme>[A-Za-z]+://)(?<host>\*|\+|0\.0\.0\.0|\[::\])(?<rest>(:\d+)?.*)$")]
    private static partial Regex WildcardHost();

    private static string Loopback(string url) => WildcardHost().Match(url) is { Success: true } m
        ? m.Groups["scheme"].Value + (m.Groups["host"].Value == "[::]" ? "[::1]" : "127.0.0.1") + m.Groups["rest"].Value
        : url;
}
