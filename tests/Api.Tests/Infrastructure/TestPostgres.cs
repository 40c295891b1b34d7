using Npgsql;
using Paco.Api.Data;

namespace Paco.Api.Tests;

/// <summary>
/// One PostgreSQL for the whole run: started from the machine's binaries in a temporary folder
/// (or the server named by PACO_TEST_POSTGRES, a connection string to a database with CREATEDB rights).
/// A template database is migrated and seeded once; every fixture gets its own copy in milliseconds.
/// </summary>
[SetUpFixture]
public sealed class TestPostgres
{
    public const string ExternalServerVariable = "PACO_TEST_POSTGRES";
    public const string TemplateDatabase = "paco_template";

    private static EmbeddedPostgres? _embedded;
    private static string? _dataDirectory;
    private static string _serverConnectionString = "";
    private static int _databaseCounter;
    private static readonly SemaphoreSlim TemplateCopy = new(1, 1);

    public static string ServerConnectionString => _serverConnectionString;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var external = Environment.GetEnvironmentVariable(ExternalServerVariable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            _serverConnectionString = external;
        }
        else
        {
            if (EmbeddedPostgres.FindBinDirectory(Environment.GetEnvironmentVariable("Postgres__BinDirectory")) is null)
            {
                Assert.Fail(
                    "The tests need PostgreSQL and found neither server binaries nor an external server. " +
                    "Install the binaries (apt-get install postgresql), set Postgres__BinDirectory to their folder, " +
                    $"or set {ExternalServerVariable} to a connection string with CREATEDB rights.");
            }
            _dataDirectory = Path.Combine(Path.GetTempPath(), "paco-tests-" + Guid.NewGuid().ToString("N")[..8]);
            _embedded = await EmbeddedPostgres.StartAsync(_dataDirectory, Environment.GetEnvironmentVariable("Postgres__BinDirectory"),
                new Dictionary<string, string> { ["fsync"] = "off", ["synchronous_commit"] = "off", ["full_page_writes"] = "off" });
            _serverConnectionString = _embedded.ConnectionString();
        }

        await DropDatabaseAsync(TemplateDatabase);
        await ExecuteAsync($"create database {TemplateDatabase}");
        // Booting the app once migrates and seeds the template exactly as production start-up does.
        await using (var factory = new PacoFactory(ConnectionStringFor(TemplateDatabase)))
        {
            using var client = factory.CreateClient();
            (await client.GetAsync("/health/ready")).EnsureSuccessStatusCode();
        }
        NpgsqlConnection.ClearAllPools();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_embedded is not null)
        {
            await _embedded.StopAsync();
            try
            {
                Directory.Delete(_dataDirectory!, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temporary folder is harmless.
            }
        }
    }

    public static string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(_serverConnectionString) { Database = database }.ConnectionString;

    /// <summary>A new database copied from the migrated, seeded template.</summary>
    public static async Task<string> CreateDatabaseFromTemplateAsync()
    {
        var name = $"paco_test_{Interlocked.Increment(ref _databaseCounter)}_{Guid.NewGuid().ToString("N")[..6]}";
        // PostgreSQL copies a template only while nobody else is connected to it: one copy at a time.
        await TemplateCopy.WaitAsync();
        try
        {
            await ExecuteAsync($"create database {name} template {TemplateDatabase}");
        }
        finally
        {
            TemplateCopy.Release();
        }
        return name;
    }

    /// <summary>A new database with nothing in it: no schema, no seeds.</summary>
    public static async Task<string> CreateEmptyDatabaseAsync()
    {
        var name = $"paco_empty_{Interlocked.Increment(ref _databaseCounter)}_{Guid.NewGuid().ToString("N")[..6]}";
        await ExecuteAsync($"create database {name}");
        return name;
    }

    public static async Task DropDatabaseAsync(string name) => await ExecuteAsync($"drop database if exists {name} with (force)");

    private static async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_serverConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
