using Npgsql;
using Paco.Api.Data;

namespace Paco.Api.Tests.Data;

/// <summary>
/// The embedded server on folders of its own (not the run's shared server): creating a cluster,
/// restarting on kept data, recovering from a killed run. Every test stops what it started.
/// </summary>
public sealed class EmbeddedPostgresTests
{
    private static readonly IReadOnlyDictionary<string, string> Fast =
        new Dictionary<string, string> { ["fsync"] = "off", ["synchronous_commit"] = "off", ["full_page_writes"] = "off" };

    private readonly List<EmbeddedPostgres> _started = [];
    private string _folder = "";
    private string _golden = "";

    /// <summary>
    /// initdb takes seconds: one cluster is created (and proved startable) once, and the tests that are not
    /// about creating a cluster start from a copy of it, as if a previous run had left it.
    /// </summary>
    [OneTimeSetUp]
    public async Task CreateGoldenClusterAsync()
    {
        _golden = Path.Combine(Path.GetTempPath(), "paco-embedded-golden-" + Guid.NewGuid().ToString("N")[..8]);
        var server = await EmbeddedPostgres.StartAsync(_golden, Environment.GetEnvironmentVariable("Postgres__BinDirectory"), Fast);
        await server.StopAsync();
    }

    [OneTimeTearDown]
    public void DeleteGoldenCluster() => DeleteFolder(_golden);

    private async Task CopyGoldenClusterAsync(string? to = null)
    {
        // cp -a keeps the postgres ownership and the 0700 modes the server insists on.
        var info = new System.Diagnostics.ProcessStartInfo("cp") { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in new[] { "-a", _golden, to ?? _folder })
        {
            info.ArgumentList.Add(argument);
        }
        using var copy = System.Diagnostics.Process.Start(info)!;
        var error = await copy.StandardError.ReadToEndAsync();
        await copy.WaitForExitAsync();
        Assert.That(copy.ExitCode, Is.EqualTo(0), error);
    }

    private static void DeleteFolder(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
    }

    [SetUp]
    public void CreateFolder() => _folder = Path.Combine(Path.GetTempPath(), "paco-embedded-test-" + Guid.NewGuid().ToString("N")[..8]);

    [TearDown]
    public async Task StopAndDeleteAsync()
    {
        // Reverse order: a server reused by a later instance is stopped by the instance that owns it.
        foreach (var server in Enumerable.Reverse(_started))
        {
            try
            {
                await server.StopAsync();
            }
            catch (InvalidOperationException)
            {
                // Already stopped by the test.
            }
        }
        _started.Clear();
        foreach (var folder in new[] { _folder, Path.Combine(_folder, "postgres") }.Where(Directory.Exists))
        {
            await PostgresProcesses.KillAllAsync(folder); // whatever a failed test left running
        }
        DeleteFolder(_folder);
    }

    /// <summary>
    /// fsync off is safe against a killed server (the kernel keeps what was written), but an asynchronous commit is not:
    /// it is acknowledged before its WAL leaves the server's memory. Tests that kill a server keep commits synchronous.
    /// </summary>
    private static readonly IReadOnlyDictionary<string, string> FastButDurableAcrossKills = new Dictionary<string, string> { ["fsync"] = "off" };

    private async Task<EmbeddedPostgres> StartAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var server = await EmbeddedPostgres.StartAsync(_folder, Environment.GetEnvironmentVariable("Postgres__BinDirectory"), settings ?? Fast);
        _started.Add(server);
        return server;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or <paramref name="bound"/> passes; answers whether it held.</summary>
    private static async Task<bool> WaitUntilAsync(Func<Task<bool>> condition, TimeSpan bound)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            if (waited.Elapsed > bound)
            {
                return false;
            }
            await Task.Delay(100);
        }
        return true;
    }

    /// <summary>kill -9 of the postmaster and of every process it left on the folder, as a crash would; returns once all are gone.</summary>
    internal static async Task KillServerAsync(string folder) => await PostgresProcesses.KillAllAsync(folder);

    /// <summary>Starts the server with pg_ctl, as a run that was then killed would have, holding no owner lock; answers its port.</summary>
    private static async Task<int> StartWithoutOwnerAsync(string folder)
    {
        var bin = EmbeddedPostgres.FindBinDirectory(Environment.GetEnvironmentVariable("Postgres__BinDirectory"))!;
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        string[] pgCtl = [Path.Combine(bin, "pg_ctl"), "start", "-D", folder, "-w", "-s", "-l", Path.Combine(folder, "server.log"),
            "-o", $"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''"];
        string[] command = Environment.IsPrivilegedProcess ? ["runuser", "-u", "postgres", "--", .. pgCtl] : pgCtl;
        var info = new System.Diagnostics.ProcessStartInfo(command[0]) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = "/" };
        foreach (var argument in command.Skip(1))
        {
            info.ArgumentList.Add(argument);
        }
        using var process = System.Diagnostics.Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.That(process.ExitCode, Is.EqualTo(0), await error);
        return port;
    }

    private static async Task<object?> ScalarAsync(EmbeddedPostgres server, string sql)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString() + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    [Test]
    public async Task Start_creates_a_cluster_and_accepts_connections()
    {
        var server = await StartAsync();

        Assert.That(File.Exists(Path.Combine(_folder, "PG_VERSION")), "initdb created the cluster");
        Assert.That(server.Port, Is.GreaterThan(0));
        Assert.That(server.DataDirectory, Is.EqualTo(Path.GetFullPath(_folder)));
        var version = (string?)await ScalarAsync(server, "select version()");
        Assert.That(version, Does.StartWith("PostgreSQL"));
        var user = (string?)await ScalarAsync(server, "select current_user");
        Assert.That(user, Is.EqualTo(EmbeddedPostgres.Superuser));
    }

    [Test]
    public async Task Restart_finds_the_existing_data()
    {
        await CopyGoldenClusterAsync();
        var first = await StartAsync();
        await ScalarAsync(first, "create table kept (value text); insert into kept values ('still here')");
        var pgVersion = Path.Combine(_folder, "PG_VERSION");
        var createdAt = File.GetLastWriteTimeUtc(pgVersion);
        await first.StopAsync();
        Assert.That(File.Exists(Path.Combine(_folder, "postmaster.pid")), Is.False, "the server stopped");

        var second = await StartAsync();

        Assert.That(await ScalarAsync(second, "select value from kept"), Is.EqualTo("still here"));
        Assert.That(File.GetLastWriteTimeUtc(pgVersion), Is.EqualTo(createdAt), "initdb did not run again");
    }

    [Test]
    public async Task A_stale_postmaster_pid_does_not_block_the_next_start()
    {
        await CopyGoldenClusterAsync();
        var first = await StartAsync();
        var port = first.Port;
        await first.StopAsync();
        // What a killed run leaves: a lock file naming a process that is gone.
        const int deadPid = 999999;
        Assume.That(Directory.Exists($"/proc/{deadPid}"), Is.False, "the PID used as dead is really unused");
        var pidFile = Path.Combine(_folder, "postmaster.pid");
        await File.WriteAllLinesAsync(pidFile, [deadPid.ToString(), Path.GetFullPath(_folder), "1700000000", port.ToString(), "", "127.0.0.1", "", "ready"]);

        var second = await StartAsync();

        Assert.That(await ScalarAsync(second, "select 1"), Is.EqualTo(1));
        var lockPid = int.Parse(File.ReadLines(pidFile).First());
        Assert.That(lockPid, Is.Not.EqualTo(deadPid), "the new server wrote its own lock file");
    }

    [Test]
    public async Task A_server_in_use_by_another_live_instance_is_reused_and_left_running()
    {
        await CopyGoldenClusterAsync();
        var a = await StartAsync();

        var b = await StartAsync();

        Assert.That(b.Port, Is.EqualTo(a.Port), "the running server is reused rather than a second one started");
        Assert.That(b.OwnsServer, Is.False, "its owner is alive (it holds the owner lock)");
        Assert.That(await ScalarAsync(b, "select 1"), Is.EqualTo(1));

        await b.StopAsync();

        Assert.That(await ScalarAsync(a, "select 1"), Is.EqualTo(1), "an instance that did not start the server does not stop it");
        await a.StopAsync();
        Assert.That(File.Exists(Path.Combine(_folder, "postmaster.pid")), Is.False, "the owner stopped it");
    }

    [Test]
    public async Task A_server_left_running_by_a_run_that_is_gone_is_adopted_and_stopped_on_a_clean_stop()
    {
        await CopyGoldenClusterAsync();
        // What a killed API leaves: its server still running (pg_ctl detached it), and nobody holding the owner lock.
        var leftPort = await StartWithoutOwnerAsync(_folder);

        var adopted = await StartAsync();

        Assert.That(adopted.Port, Is.EqualTo(leftPort), "the running server is reused");
        Assert.That(adopted.OwnsServer, Is.True, "its owner is gone, so this instance adopts it");
        Assert.That(await ScalarAsync(adopted, "select 1"), Is.EqualTo(1));

        await adopted.StopAsync();

        Assert.That(adopted.IsRunning, Is.False, "a clean stop stops the adopted server");
        Assert.That(File.Exists(Path.Combine(_folder, "postmaster.pid")), Is.False);
    }

    [Test]
    public async Task RestartAsync_leaves_a_server_whose_owner_is_alive_to_that_owner()
    {
        await CopyGoldenClusterAsync();
        var owner = await StartAsync();
        var reuser = await StartAsync();
        await KillServerAsync(_folder);

        Assert.That(await reuser.RestartAsync(), Is.False, "the owner is alive: restarting is its job");
        Assert.That(await owner.RestartAsync(), Is.True);
        Assert.That(await ScalarAsync(reuser, "select 1"), Is.EqualTo(1), "the reuser sees it back on the same port");
    }

    [Test]
    public async Task The_supervisor_restarts_a_killed_server_on_the_same_port_with_its_data_and_never_one_stopped_on_purpose()
    {
        await CopyGoldenClusterAsync();
        var server = await StartAsync(FastButDurableAcrossKills);
        await ScalarAsync(server, "create table kept (value text); insert into kept values ('committed before the kill')");
        using var supervisor = new EmbeddedPostgresSupervisor(server, Microsoft.Extensions.Logging.Abstractions.NullLogger<EmbeddedPostgresSupervisor>.Instance);
        await supervisor.StartAsync(CancellationToken.None);

        await KillServerAsync(_folder);

        var back = await WaitUntilAsync(async () =>
        {
            try
            {
                return await ScalarAsync(server, "select value from kept") is "committed before the kill";
            }
            catch (NpgsqlException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(20));
        Assert.That(back, Is.True, "the supervisor started it again on the same port, with its data");
        Assert.That(await server.RestartAsync(), Is.False, "a running server is left alone");

        await supervisor.StopAsync(CancellationToken.None);
        await server.StopAsync();

        Assert.That(server.IsStopped && !server.IsRunning, Is.True);
        Assert.That(await server.RestartAsync(), Is.False, "a server stopped on purpose is never started again");
        Assert.That(server.IsRunning, Is.False);
    }

    [Test]
    public async Task The_app_on_the_embedded_default_restarts_its_killed_server_and_stops_it_when_it_stops()
    {
        // The data folder one level down, so what the embedded default writes beside it stays in this test's folder.
        var dataDirectory = Path.Combine(_folder, "postgres");
        Directory.CreateDirectory(_folder);
        await CopyGoldenClusterAsync(dataDirectory);
        var factory = new PacoFactory("", new Dictionary<string, string?> { ["Postgres:DataDirectory"] = dataDirectory, ["Seed:OnStartup"] = "false" });
        await using (factory)
        {
            using var client = factory.CreateClient();
            using (var ready = await client.GetAsync("/health/ready"))
            {
                Assert.That(ready.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK), "started on its own server");
            }

            await KillServerAsync(dataDirectory);

            var back = await WaitUntilAsync(async () =>
            {
                using var ready = await client.GetAsync("/health/ready");
                return ready.StatusCode == System.Net.HttpStatusCode.OK;
            }, TimeSpan.FromSeconds(20));
            Assert.That(back, Is.True, "the app's supervisor started its server again");
        }

        Assert.That(File.Exists(Path.Combine(dataDirectory, "postmaster.pid")), Is.False, () => "a clean stop of the app stops its server; "
            + $"postmaster.pid: {File.ReadAllText(Path.Combine(dataDirectory, "postmaster.pid")).ReplaceLineEndings(" ")}; processes on the folder: "
            + $"{string.Join(", ", PostgresProcesses.Of(dataDirectory))}; server.log ends: {string.Join(" | ", File.ReadLines(Path.Combine(dataDirectory, "server.log")).TakeLast(8))}");
        Assert.That(PostgresProcesses.Of(dataDirectory), Is.Empty, "nothing of the server is left running");
    }

    [Test]
    public void The_supervisor_backs_off_exponentially_from_half_a_second_to_ten_seconds()
    {
        var delays = Enumerable.Range(1, 8).Select(EmbeddedPostgresSupervisor.RetryDelay).Select(d => d.TotalSeconds);

        Assert.That(delays, Is.EqualTo(new[] { 0.5, 1, 2, 4, 8, 10, 10, 10 }));
    }

    [Test]
    public async Task A_stale_postmaster_pid_whose_pid_now_belongs_to_another_postgres_is_not_reused()
    {
        Assume.That(Environment.GetEnvironmentVariable(TestPostgres.ExternalServerVariable), Is.Null.Or.Empty, "needs the run's server on this machine");
        await CopyGoldenClusterAsync();
        // The run's shared server stands in for "another cluster" whose process got the recycled PID.
        await using var other = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(TestPostgres.ServerConnectionString) { Pooling = false }.ConnectionString);
        await other.OpenAsync();
        await using var pidCommand = new NpgsqlCommand("select pg_backend_pid()", other);
        var otherPid = (int)(await pidCommand.ExecuteScalarAsync())!;
        var otherPort = new NpgsqlConnectionStringBuilder(TestPostgres.ServerConnectionString).Port;
        await File.WriteAllLinesAsync(Path.Combine(_folder, "postmaster.pid"),
            [otherPid.ToString(), Path.GetFullPath(_folder), "1700000000", otherPort.ToString(), "", "127.0.0.1", "", "ready"]);

        var server = await StartAsync();

        Assert.That(server.Port, Is.Not.EqualTo(otherPort), "a server of another cluster is not this folder's server");
        var dataDirectory = (string?)await ScalarAsync(server, "show data_directory");
        Assert.That(dataDirectory, Is.EqualTo(Path.GetFullPath(_folder)));
    }

    [Test]
    public void FindBinDirectory_finds_the_server_binaries()
    {
        var found = EmbeddedPostgres.FindBinDirectory(null);

        Assert.That(found, Is.Not.Null);
        Assert.That(File.Exists(Path.Combine(found!, "initdb")), found);
        Assert.That(File.Exists(Path.Combine(found!, "pg_ctl")), found);
        Assert.That(File.Exists(Path.Combine(found!, "postgres")), found);
    }

    [Test]
    public void FindBinDirectory_returns_a_configured_folder_that_has_the_binaries()
    {
        var discovered = EmbeddedPostgres.FindBinDirectory(null)!;

        Assert.That(EmbeddedPostgres.FindBinDirectory(discovered), Is.EqualTo(discovered));
    }

    [Test]
    public void FindBinDirectory_refuses_a_configured_folder_without_the_binaries_and_names_it()
    {
        Directory.CreateDirectory(_folder);

        var error = Assert.Throws<InvalidOperationException>(() => EmbeddedPostgres.FindBinDirectory(_folder));

        Assert.That(error!.Message, Does.Contain(_folder));
        Assert.That(error.Message, Does.Contain("initdb"));
    }

    [Test]
    public void Start_with_a_configured_folder_without_binaries_fails_before_touching_the_data_folder()
    {
        var empty = Path.Combine(Path.GetTempPath(), "paco-no-binaries-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(empty);
        try
        {
            var error = Assert.ThrowsAsync<InvalidOperationException>(() => EmbeddedPostgres.StartAsync(_folder, empty));

            Assert.That(error!.Message, Does.Contain(empty));
            Assert.That(Directory.Exists(_folder), Is.False);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }
}
