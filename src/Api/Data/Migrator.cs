using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Paco.Api.Data;

/// <summary>
/// Applies the versioned SQL files embedded from Data/Migrations in name order, each recorded in
/// schema_migrations. All of it runs in one transaction under an advisory lock, so two instances
/// starting at once never race, and a failed migration leaves the schema as it was.
/// </summary>
public sealed class Migrator(NpgsqlDataSource dataSource, ILogger<Migrator> logger)
{
    // Any constant shared by every instance; "paco" in ASCII.
    private const long AdvisoryLockKey = 0x7061636F;

    public static IReadOnlyList<Migration> All { get; } = LoadEmbedded();

    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await Execute(connection, "select pg_advisory_xact_lock(@key)", cancellationToken, ("key", AdvisoryLockKey));
        await Execute(connection, """
            create table if not exists schema_migrations (
              version     text primary key,
              sha256      text not null,
              applied_at  timestamptz not null default now())
            """, cancellationToken);

        var applied = new Dictionary<string, string>();
        await using (var command = new NpgsqlCommand("select version, sha256 from schema_migrations", connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                applied[reader.GetString(0)] = reader.GetString(1);
            }
        }

        var newlyApplied = new List<string>();
        foreach (var migration in All)
        {
            if (applied.TryGetValue(migration.Version, out var hash))
            {
                if (hash != migration.Sha256)
                {
                    throw new InvalidOperationException(
                        $"Migration {migration.Version} was changed after it was applied. Migrations are append-only: add a new file instead.");
                }
                continue;
            }
            logger.LogInformation("Applying migration {Version}", migration.Version);
            await Execute(connection, migration.Sql, cancellationToken);
            await Execute(connection, "insert into schema_migrations (version, sha256) values (@version, @sha)", cancellationToken,
                ("version", migration.Version), ("sha", migration.Sha256));
            newlyApplied.Add(migration.Version);
        }

        await transaction.CommitAsync(cancellationToken);
        if (newlyApplied.Count > 0)
        {
            // New types (extensions) must be visible to pooled connections opened before.
            await connection.ReloadTypesAsync(cancellationToken);
        }
        return newlyApplied;
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        // No client-side limit: a migration may rebuild a projection of millions of rows (0010 backfills search).
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static IReadOnlyList<Migration> LoadEmbedded()
    {
        var assembly = Assembly.GetExecutingAssembly();
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("Migrations.", StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name =>
            {
                using var stream = assembly.GetManifestResourceStream(name)!;
                using var reader = new StreamReader(stream, Encoding.UTF8);
                var sql = reader.ReadToEnd();
                var version = name["Migrations.".Length..^".sql".Length];
                return new Migration(version, sql, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql))));
            })
            .ToList();
    }

    public sealed record Migration(string Version, string Sql, string Sha256);
}
