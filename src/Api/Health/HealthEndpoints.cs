using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Paco.Api.Common;

namespace Paco.Api.Health;

public static class HealthEndpoints
{
    public static IServiceCollection AddPacoHealthChecks(this IServiceCollection services)
    {
        // Bounded: a database that does not answer at all (a lost network) must not hold the probe for the connection timeout.
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"], timeout: TimeSpan.FromSeconds(5));
        return services;
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        // Live: the process answers. Ready: it can also reach its database.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false })
            .WithName("Live").WithSummary("Liveness: the process answers").WithTags("Health");
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") })
            .WithName("Ready").WithSummary("Readiness: the database answers").WithTags("Health");
        return app;
    }
}

/// <summary>
/// Ready when the database answers. Its failures go to <see cref="DatabaseOutage"/> (one log line per cause per interval);
/// the framework's own line per unhealthy probe is filtered out in appsettings.json, as it would repeat for every probe.
/// </summary>
internal sealed class DatabaseHealthCheck(NpgsqlDataSource dataSource, DatabaseOutage outage) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = dataSource.CreateCommand("select 1 from schema_migrations limit 1");
            await command.ExecuteScalarAsync(cancellationToken);
            outage.ReportReachable();
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            if (DatabaseOutage.IsConnectionFailure(exception, out var cause))
            {
                outage.ReportUnreachable(cause);
            }
            return HealthCheckResult.Unhealthy("The database does not answer.");
        }
    }
}
