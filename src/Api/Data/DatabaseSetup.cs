using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;
using Paco.Api.Common;
using Paco.Api.Seeding;

namespace Paco.Api.Data;

public static class DatabaseSetup
{
    /// <summary>
    /// Uses ConnectionStrings:Default when set; otherwise starts the embedded PostgreSQL on
    /// Postgres:DataDirectory (default .data/postgres at the repository root), kept across restarts,
    /// and supervises it while the app runs (<see cref="EmbeddedPostgresSupervisor"/>). The caller stops it when the app stops.
    /// </summary>
    public static async Task<EmbeddedPostgres?> UseConfiguredOrEmbeddedDatabaseAsync(this WebApplicationBuilder builder)
    {
        if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString("Default")))
        {
            return null;
        }
        var dataDirectory = builder.Configuration["Postgres:DataDirectory"] is { Length: > 0 } configured
            ? configured
            : Path.Combine(RepositoryRoot() ?? Directory.GetCurrentDirectory(), ".data", "postgres");
        var embedded = await EmbeddedPostgres.StartAsync(dataDirectory, builder.Configuration["Postgres:BinDirectory"], log: Console.WriteLine);
        builder.Configuration["ConnectionStrings:Default"] = embedded.ConnectionString("paco");
        await EnsureDatabaseAsync(embedded.ConnectionString(), "paco");
        builder.Services.AddSingleton(embedded);
        builder.Services.AddHostedService<EmbeddedPostgresSupervisor>();
        return embedded;
    }

    private static readonly AfterCommitInterceptor AfterCommit = new();
    private static readonly ReleasedParameterValuesInterceptor ReleasedParameterValues = new();

    public static IServiceCollection AddPacoDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString("Default")
            ?? throw new InvalidOperationException("ConnectionStrings:Default is not set.");
        // Created by the container so it is disposed with it, closing its pooled connections.
        services.AddSingleton(_ => new NpgsqlDataSourceBuilder(connectionString).Build());
        services.AddDbContextPool<PacoDb>((provider, options) => options
            .UseNpgsql(provider.GetRequiredService<NpgsqlDataSource>())
            .UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking)
            .AddInterceptors(AfterCommit, ReleasedParameterValues)
            // EF logs each failure it then throws; the exception handler logs what reaches it (once per kind per interval,
            // with the stack trace and, for PostgreSQL errors, the statement), so EF's own line is only noise: a stack trace
            // per request when the database is down.
            .ConfigureWarnings(warnings => warnings.Log(
                (CoreEventId.QueryIterationFailed, LogLevel.Debug),
                (CoreEventId.SaveChangesFailed, LogLevel.Debug),
                (RelationalEventId.ConnectionError, LogLevel.Debug),
                (RelationalEventId.CommandError, LogLevel.Debug),
                (RelationalEventId.TransactionError, LogLevel.Debug))));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ => new FailureLog());
        services.AddSingleton<DatabaseOutage>();
        services.AddSingleton<Migrator>();
        return services;
    }

    /// <summary>Applies migrations and, unless Seed:OnStartup is false, the seed content.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        await app.Services.GetRequiredService<Migrator>().MigrateAsync();
        if (app.Configuration.GetValue("Seed:OnStartup", true))
        {
            await using var scope = app.Services.CreateAsyncScope();
            var directory = app.Configuration["Seed:Directory"] is { Length: > 0 } configured ? configured : SeedImporter.DefaultDirectory;
            await scope.ServiceProvider.GetRequiredService<SeedImporter>().ImportDirectoryAsync(directory);
        }
        // After the seeds, so that their first renderings (already in the current format) are not rendered twice
        // on a new database: there the format row says 1, and a few institutions are rendered again once.
        await app.Services.GetRequiredService<Revisions.StoredRenderings>().UpgradeAsync(CancellationToken.None);
    }

    public static async Task EnsureDatabaseAsync(string serverConnectionString, string database)
    {
        await using var connection = new NpgsqlConnection(serverConnectionString);
        await connection.OpenAsync();
        await using var exists = new NpgsqlCommand("select 1 from pg_database where datname = @name", connection);
        exists.Parameters.AddWithValue("name", database);
        if (await exists.ExecuteScalarAsync() is null)
        {
            await using var create = new NpgsqlCommand($"create database \"{database}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
    }

    private static string? RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Api.sln")))
            {
                return dir.FullName;
            }
        }
        return null;
    }
}
