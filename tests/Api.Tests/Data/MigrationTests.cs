using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Paco.Api.Data;

namespace Paco.Api.Tests.Data;

/// <summary>The schema: migrations on empty databases, and the guarantees the database itself enforces.</summary>
public sealed class MigrationTests
{
    private readonly List<string> _databases = [];
    private readonly List<NpgsqlDataSource> _dataSources = [];

    [TearDown]
    public async Task DropDatabasesAsync()
    {
        foreach (var dataSource in _dataSources)
        {
            await dataSource.DisposeAsync();
        }
        _dataSources.Clear();
        foreach (var database in _databases)
        {
            await TestPostgres.DropDatabaseAsync(database);
        }
        _databases.Clear();
    }

    private async Task<string> EmptyDatabaseAsync()
    {
        var name = await TestPostgres.CreateEmptyDatabaseAsync();
        _databases.Add(name);
        return TestPostgres.ConnectionStringFor(name);
    }

    private async Task<string> TemplateCopyAsync()
    {
        var name = await TestPostgres.CreateDatabaseFromTemplateAsync();
        _databases.Add(name);
        return TestPostgres.ConnectionStringFor(name);
    }

    private Migrator MigratorFor(string connectionString)
    {
        var dataSource = NpgsqlDataSource.Create(connectionString);
        _dataSources.Add(dataSource);
        return new Migrator(dataSource, NullLogger<Migrator>.Instance);
    }

    private static async Task<List<T>> ColumnAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<T>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetFieldValue<T>(0));
        }
        return values;
    }

    private static async Task<object?> ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private static IEnumerable<string> AllVersions => Migrator.All.Select(m => m.Version);

    [Test]
    public void Migrations_are_embedded_in_name_order()
    {
        Assert.That(Migrator.All, Is.Not.Empty);
        Assert.That(AllVersions, Is.Ordered.Using((IComparer<string>)StringComparer.Ordinal));
        Assert.That(AllVersions, Is.Unique);
        Assert.That(AllVersions.First(), Does.StartWith("0001_"));
    }

    [Test]
    public async Task Migrations_apply_to_an_empty_database_in_order_and_are_recorded()
    {
        var cs = await EmptyDatabaseAsync();

        var applied = await MigratorFor(cs).MigrateAsync();

        Assert.That(applied, Is.EqualTo(AllVersions));
        var recorded = await ColumnAsync<string>(cs, "select version from schema_migrations order by applied_at, version");
        Assert.That(recorded, Is.EqualTo(AllVersions));
        var hashes = await ColumnAsync<string>(cs, "select sha256 from schema_migrations order by version");
        Assert.That(hashes, Is.EqualTo(Migrator.All.OrderBy(m => m.Version, StringComparer.Ordinal).Select(m => m.Sha256)));
        var tables = await ColumnAsync<string>(cs, "select table_name::text from information_schema.tables where table_schema = 'public' order by 1");
        Assert.That(tables, Is.SupersetOf(new[] { "institutions", "resources", "revisions", "publications", "organs", "legal_bases", "citations", "seed_runs" }));
    }

    [Test]
    public async Task Migrating_again_applies_nothing()
    {
        var cs = await EmptyDatabaseAsync();
        await MigratorFor(cs).MigrateAsync();

        var again = await MigratorFor(cs).MigrateAsync();

        Assert.That(again, Is.Empty);
        Assert.That(await ExecuteAsync(cs, "select count(*) from schema_migrations"), Is.EqualTo((long)Migrator.All.Count));
    }

    [Test]
    public async Task Two_instances_migrating_at_once_do_not_race()
    {
        var cs = await EmptyDatabaseAsync();
        var one = MigratorFor(cs);
        var two = MigratorFor(cs);

        var results = await Task.WhenAll(Task.Run(() => one.MigrateAsync()), Task.Run(() => two.MigrateAsync()));

        Assert.That(results.SelectMany(r => r), Is.EquivalentTo(AllVersions), "each migration applied by exactly one of them");
        Assert.That(results.Count(r => r.Count == 0), Is.EqualTo(1), "the second found the schema up to date");
        var counts = await ColumnAsync<long>(cs, "select count(*) from schema_migrations group by version");
        Assert.That(counts, Has.Count.EqualTo(Migrator.All.Count).And.All.EqualTo(1L));
    }

    [Test]
    public async Task A_changed_migration_is_refused()
    {
        var cs = await EmptyDatabaseAsync();
        await MigratorFor(cs).MigrateAsync();
        var first = Migrator.All[0].Version;
        await ExecuteAsync(cs, $"update schema_migrations set sha256 = 'x' where version = '{first}'");

        var error = Assert.ThrowsAsync<InvalidOperationException>(() => MigratorFor(cs).MigrateAsync());

        Assert.That(error!.Message, Does.Contain("changed after it was applied"));
        Assert.That(error.Message, Does.Contain(first));
    }

    [Test]
    public async Task The_migrate_command_migrates_and_exits_without_seeding()
    {
        var cs = await EmptyDatabaseAsync();
        var api = Path.Combine(AppContext.BaseDirectory, "Api.dll");
        Assume.That(File.Exists(api), "the app is beside the tests");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = AppContext.BaseDirectory };
        info.ArgumentList.Add(api);
        info.ArgumentList.Add("migrate");
        info.Environment["ConnectionStrings__Default"] = cs;
        info.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";

        var (exitCode, output) = await RunAsync(info);
        var (exitCodeAgain, outputAgain) = await RunAsync(info);

        Assert.That(exitCode, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("Applied: " + string.Join(", ", AllVersions)));
        Assert.That(exitCodeAgain, Is.EqualTo(0), outputAgain);
        Assert.That(outputAgain, Does.Contain("The schema is up to date."));
        Assert.That(await ExecuteAsync(cs, "select count(*) from institutions"), Is.EqualTo(0L), "migrate does not seed");
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(ProcessStartInfo info)
    {
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>A test applies all migrations to an empty database and exercises every query.</summary>
    [Test]
    public async Task A_fresh_empty_database_is_migrated_seeded_and_serves_every_read_endpoint()
    {
        var cs = await EmptyDatabaseAsync();
        await using var factory = new PacoFactory(cs);
        using var client = factory.CreateClient();
        const string Amostra = "/api/v1/institutions/amostra";
        const string Saude = Amostra + "/organs/secretaria-de-saude";
        const string Lei = Amostra + "/legal-bases/lei-473-1999";
        var urls = new[]
        {
            "/api/v1/institutions",
            "/api/v1/institutions?kind=prefeitura&page=1&pageSize=5",
            Amostra,
            "/api/v1/institutions/cogemas-mg",
            Amostra + "/organs",
            Amostra + "/organs?kind=secretaria",
            Amostra + "/organs?q=saude",
            Amostra + "/organs?parent=secretaria-de-saude",
            Amostra + "/organs?topLevel=true",
            Amostra + "/organs/tree",
            Saude,
            Saude + "/competences",
            Saude + "/values",
            Saude + "/revisions",
            Saude + "/revisions/1",
            Amostra + "/legal-bases",
            Lei,
            Lei + "/revisions",
            Lei + "/revisions/1",
            "/api/v1/institutions/cogemas-mg/organs/cogemas-mg",
            "/api/v1/institutions/cogemas-mg/legal-bases/estatuto-cogemas-mg",
            "/health/live",
            "/health/ready",
        };

        foreach (var url in urls)
        {
            using var response = await client.GetAsync(url);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{url}: {await response.Content.ReadAsStringAsync()}");
        }
        Assert.That(await ColumnAsync<string>(cs, "select version from schema_migrations order by version"), Is.EqualTo(AllVersions));
        Assert.That(await ExecuteAsync(cs, "select count(*) from institutions"), Is.EqualTo(2L));
    }

    // --- What the database guarantees even to a client that bypasses the app ---

    private static async Task<(Guid ResourceId, int Latest, string Document, string Hash)> SomeRevisionAsync(string cs)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            select r.id, r.latest_revision, v.document::text, v.content_hash
            from resources r join revisions v on v.resource_id = r.id and v.number = 1
            where r.slug = 'secretaria-de-saude'
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.That(await reader.ReadAsync(), "the seeded organ has a revision");
        return (reader.GetGuid(0), reader.GetInt32(1), reader.GetString(2), reader.GetString(3));
    }

    [TestCase("update revisions set note = 'rewritten', document = '{}' where resource_id = '{0}' and number = 1", "UPDATE")]
    [TestCase("delete from revisions where resource_id = '{0}' and number = 1", "DELETE")]
    [TestCase("truncate revisions cascade", "TRUNCATE")]
    public async Task Revisions_cannot_be_changed_or_removed_even_with_raw_sql(string sqlFormat, string operation)
    {
        var cs = await TemplateCopyAsync();
        var before = await SomeRevisionAsync(cs);

        var error = Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(cs, sqlFormat.Replace("{0}", before.ResourceId.ToString())));

        Assert.That(error!.MessageText, Does.Contain("immutable"));
        Assert.That(error.MessageText, Does.Contain(operation));
        var after = await SomeRevisionAsync(cs);
        Assert.That(after, Is.EqualTo(before), "the revision is unchanged");
        Assert.That(await ExecuteAsync(cs, "select count(*) from revisions"), Is.GreaterThan(0L));
    }

    [Test]
    public async Task A_revision_number_that_leaves_a_gap_is_refused()
    {
        var cs = await TemplateCopyAsync();
        var revision = await SomeRevisionAsync(cs);
        var skipped = revision.Latest + 2;

        var error = Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(cs,
            $"insert into revisions (resource_id, number, document, content_hash, author) values ('{revision.ResourceId}', {skipped}, '{{}}', 'h', 'test')"));

        Assert.That(error!.MessageText, Does.Contain("gap"));
        Assert.That(await ExecuteAsync(cs, $"select max(number) from revisions where resource_id = '{revision.ResourceId}'"), Is.EqualTo(revision.Latest));
    }

    [Test]
    public async Task The_next_revision_number_is_accepted()
    {
        var cs = await TemplateCopyAsync();
        var revision = await SomeRevisionAsync(cs);

        await ExecuteAsync(cs,
            $"insert into revisions (resource_id, number, document, content_hash, author) values ('{revision.ResourceId}', {revision.Latest + 1}, '{{}}', 'h', 'test')");

        Assert.That(await ExecuteAsync(cs, $"select max(number) from revisions where resource_id = '{revision.ResourceId}'"), Is.EqualTo(revision.Latest + 1));
    }

    [TestCase("Saude")]
    [TestCase("secretaria de saude")]
    [TestCase("-saude")]
    [TestCase("saude--nova")]
    [TestCase("saúde")]
    public async Task A_slug_that_is_not_lowercase_words_joined_by_hyphens_is_refused(string slug)
    {
        var cs = await TemplateCopyAsync();

        var institution = Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(cs,
            $"insert into institutions (id, slug, name, kind, document) values (gen_random_uuid(), '{slug}', 'x', 'prefeitura', '{{}}')"));
        var resource = Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(cs,
            $"update resources set slug = '{slug}' where slug = 'secretaria-de-saude'"));

        Assert.That(institution!.SqlState, Is.EqualTo(PostgresErrorCodes.CheckViolation), institution.MessageText);
        Assert.That(institution.ConstraintName, Does.Contain("slug"));
        Assert.That(resource!.SqlState, Is.EqualTo(PostgresErrorCodes.CheckViolation), resource.MessageText);
        Assert.That(resource.ConstraintName, Does.Contain("slug"));
    }
}
