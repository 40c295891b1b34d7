using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Paco.Api.Data;

/// <summary>
/// A private PostgreSQL server started from the machine's own binaries: used by the app when no
/// connection string is configured, and by the tests. Finds the binaries, creates the cluster if
/// needed, starts it on a free loopback port, waits until it accepts connections, and stops it.
/// <para>
/// Ownership: the process that started the server holds an exclusive lock on <see cref="OwnerLockFile"/> in the data
/// folder for as long as it lives (the operating system releases it when the process dies, however it dies). Only the
/// owner stops the server (<see cref="StopAsync"/>) or restarts it (<see cref="RestartAsync"/>). A server found running
/// on the folder is reused: its owner is alive when the lock is taken (a <c>keys</c> command beside a running API: it is
/// left running), or gone when the lock is free (a killed run: this process adopts it and stops it on a clean stop).
/// </para>
/// </summary>
public sealed class EmbeddedPostgres : IAsyncDisposable
{
    public const string Superuser = "paco";

    /// <summary>Locked by the process that owns the server; a file of its own in the data folder (PostgreSQL ignores it).</summary>
    public const string OwnerLockFile = "paco-owner.lock";

    private readonly string _binDirectory;
    private readonly string _dataDirectory;
    private readonly bool _runAsPostgresUser;
    private readonly IReadOnlyList<string> _serverOptions;
    private readonly SemaphoreSlim _startStop = new(1, 1);
    private FileStream? _ownerLock;
    private volatile bool _stopped;

    private EmbeddedPostgres(string binDirectory, string dataDirectory, int port, bool runAsPostgresUser, FileStream? ownerLock,
        IReadOnlyDictionary<string, string>? serverSettings)
    {
        _binDirectory = binDirectory;
        _dataDirectory = dataDirectory;
        Port = port;
        _runAsPostgresUser = runAsPostgresUser;
        _ownerLock = ownerLock;
        var options = new List<string>
        {
            $"-p {port}",
            "-c listen_addresses=127.0.0.1",
            "-c unix_socket_directories=''",
            "-c max_connections=200",
        };
        options.AddRange((serverSettings ?? new Dictionary<string, string>()).Select(s => $"-c {s.Key}={s.Value}"));
        _serverOptions = options;
    }

    public int Port { get; }

    public string DataDirectory => _dataDirectory;

    /// <summary>Whether this process owns the server: it started it, or adopted it from a run that is gone.</summary>
    public bool OwnsServer => _ownerLock is not null;

    /// <summary>Whether <see cref="StopAsync"/> was called: a server stopped on purpose is not restarted.</summary>
    public bool IsStopped => _stopped;

    /// <summary>Whether a postmaster runs on this data folder now (it may still be starting up or shutting down).</summary>
    public bool IsRunning => LivePostmaster(_dataDirectory) is not null;

    public string ConnectionString(string database = "postgres") => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = Superuser,
        Database = database,
        Pooling = true,
        MaxPoolSize = 64,
    }.ConnectionString;

    /// <summary>Creates the cluster in <paramref name="dataDirectory"/> if it has none, and starts it.</summary>
    /// <param name="dataDirectory">Kept across runs: nothing saved is lost by a restart.</param>
    /// <param name="configuredBinDirectory">Takes precedence over discovery when set.</param>
    /// <param name="serverSettings">Extra <c>-c name=value</c> settings (the tests turn fsync off).</param>
    public static async Task<EmbeddedPostgres> StartAsync(
        string dataDirectory,
        string? configuredBinDirectory = null,
        IReadOnlyDictionary<string, string>? serverSettings = null,
        Action<string>? log = null,
        CancellationToken cancellationToken = default)
    {
        log ??= _ => { };
        var binDirectory = FindBinDirectory(configuredBinDirectory)
            ?? throw new InvalidOperationException(
                "PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found. Install them " +
                "(Debian/Ubuntu: apt-get install postgresql) or set Postgres:BinDirectory " +
                "(env Postgres__BinDirectory) to their folder, or set ConnectionStrings__Default to use an existing server.");

        dataDirectory = Path.GetFullPath(dataDirectory);
        Directory.CreateDirectory(dataDirectory);
        var runAsPostgres = Environment.IsPrivilegedProcess;
        if (ReadRunningServerPort(dataDirectory) is int livePort)
        {
            // A server on this folder is running: use it rather than fight it. Its owner is either alive (the lock is
            // taken: leave the server to it) or gone (a killed run: adopt the server, so a clean stop stops it).
            var ownerLock = TryTakeOwnerLock(dataDirectory);
            log(ownerLock is null
                ? $"Reusing the PostgreSQL server on port {livePort} for {dataDirectory}, run by another process (it stays running when this one stops)"
                : $"Adopting the PostgreSQL server left running on port {livePort} for {dataDirectory} by a process that is gone (it stops when this one stops)");
            var reused = new EmbeddedPostgres(binDirectory, dataDirectory, livePort, runAsPostgres, ownerLock, serverSettings);
            await reused.WaitUntilAcceptingAsync(cancellationToken);
            return reused;
        }
        if (runAsPostgres)
        {
            // initdb and postgres refuse to run as root: the server runs as the postgres system user.
            await RunAsync("chown", ["-R", "postgres:postgres", dataDirectory], null, cancellationToken);
            await RunAsync("chmod", ["700", dataDirectory], null, cancellationToken);
        }

        if (!File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
        {
            // initdb wants an empty folder: the owner lock is taken after it (two first starts at once were never supported).
            log($"Creating a PostgreSQL cluster in {dataDirectory}");
            var creator = new EmbeddedPostgres(binDirectory, dataDirectory, 0, runAsPostgres, null, null);
            await creator.PgAsync("initdb",
                ["-D", dataDirectory, "-U", Superuser, "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-instructions"],
                cancellationToken);
        }

        var owner = TryTakeOwnerLock(dataDirectory) ?? throw new InvalidOperationException(
            $"Another running process owns the PostgreSQL server of {dataDirectory} (it holds {OwnerLockFile}), and the server is not " +
            "running right now: that process is restarting it. Retry in a moment, or stop that process.");
        var started = new EmbeddedPostgres(binDirectory, dataDirectory, FreeLoopbackPort(), runAsPostgres, owner, serverSettings);
        log($"Starting PostgreSQL ({binDirectory}) on 127.0.0.1:{started.Port}");
        try
        {
            await started.PgStartAsync(cancellationToken);
        }
        catch
        {
            started.ReleaseOwnership();
            throw;
        }
        return started;
    }

    /// <summary>
    /// Starts the server again on the same port and settings, if it is not running (it died, or was stopped by someone
    /// else) and this process owns it, or can adopt it because its owner is gone; returns once it accepts connections.
    /// Not after <see cref="StopAsync"/>. Used by <see cref="EmbeddedPostgresSupervisor"/>.
    /// </summary>
    /// <returns>Whether this call started it (false: it was running, stopped on purpose, or owned by another live process).</returns>
    public async Task<bool> RestartAsync(CancellationToken cancellationToken = default)
    {
        await _startStop.WaitAsync(cancellationToken);
        try
        {
            if (_stopped || IsRunning)
            {
                return false;
            }
            _ownerLock ??= TryTakeOwnerLock(_dataDirectory);
            if (_ownerLock is null)
            {
                return false; // its owner is alive and restarts it
            }
            _ = ReadRunningServerPort(_dataDirectory); // removes a postmaster.pid the dead server left
            await PgStartAsync(cancellationToken);
            return true;
        }
        finally
        {
            _startStop.Release();
        }
    }

    private async Task PgStartAsync(CancellationToken cancellationToken)
    {
        await PgAsync("pg_ctl",
            ["start", "-D", _dataDirectory, "-w", "-t", "60", "-s", "-l", Path.Combine(_dataDirectory, "server.log"), "-o", string.Join(' ', _serverOptions)],
            cancellationToken);
        await WaitUntilAcceptingAsync(cancellationToken);
    }

    /// <summary>The lock that makes this process the owner, or null when another live process holds it.</summary>
    private static FileStream? TryTakeOwnerLock(string dataDirectory)
    {
        try
        {
            // FileShare.None is an exclusive flock(2) on Linux: it conflicts with any other open of the file that asks for it,
            // in this process or another, and the kernel releases it when the process dies. (DOTNET_SYSTEM_IO_DISABLEFILELOCKING
            // would turn it off, and with it the difference between a live owner and a dead one.)
            var file = new FileStream(Path.Combine(dataDirectory, OwnerLockFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            file.SetLength(0);
            file.Write(System.Text.Encoding.ASCII.GetBytes($"{Environment.ProcessId}\n"));
            file.Flush();
            return file;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private void ReleaseOwnership()
    {
        _ownerLock?.Dispose();
        _ownerLock = null;
    }

    /// <summary>Configured folder, then <c>pg_config --bindir</c>, then PATH, then the newest /usr/lib/postgresql/N/bin.</summary>
    public static string? FindBinDirectory(string? configured)
    {
        static bool HasServer(string? dir) =>
            !string.IsNullOrWhiteSpace(dir) && File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl"));

        if (!string.IsNullOrWhiteSpace(configured))
        {
            return HasServer(configured) ? configured
                : throw new InvalidOperationException($"Postgres:BinDirectory is '{configured}', but initdb and pg_ctl are not there.");
        }

        var fromPgConfig = TryRead("pg_config", "--bindir");
        if (HasServer(fromPgConfig))
        {
            return fromPgConfig;
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            if (HasServer(dir))
            {
                // Resolve symlinks (/usr/local/bin/initdb → /usr/lib/postgresql/15/bin/initdb) so sibling binaries are found.
                var target = new FileInfo(Path.Combine(dir, "initdb")).ResolveLinkTarget(returnFinalTarget: true);
                return Path.GetDirectoryName(target?.FullName) is { } real && HasServer(real) ? real : dir;
            }
        }

        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            return Directory.GetDirectories(debianRoot)
                .Select(d => (dir: Path.Combine(d, "bin"), version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1))
                .Where(d => d.version >= 0 && HasServer(d.dir))
                .OrderByDescending(d => d.version)
                .Select(d => d.dir)
                .FirstOrDefault();
        }

        return null;
    }

    /// <summary>
    /// Stops the server if this process owns it (started or adopted it), and never restarts it afterwards; a server
    /// another live process owns is left running. Stopping a server that already died is not an error.
    /// </summary>
    public async Task StopAsync()
    {
        await _startStop.WaitAsync();
        try
        {
            if (_stopped)
            {
                return;
            }
            _stopped = true;
            if (_ownerLock is null)
            {
                return;
            }
            // Looked at twice: a server found dead leaves no postmaster.pid behind (ReadRunningServerPort removes it).
            if (IsRunning || ReadRunningServerPort(_dataDirectory) is not null)
            {
                try
                {
                    await PgStopAsync("fast");
                }
                catch (InvalidOperationException) when (!IsRunning)
                {
                    // pg_ctl found no server to stop: it went away meanwhile, which is what was asked.
                }
            }
            if (IsRunning)
            {
                // Still there after a clean stop (a CI run once left one): stopped without waiting for its clients, so
                // the app never leaves its server behind. The next start recovers from the WAL as after a crash.
                await PgStopAsync("immediate");
            }
            _ = ReadRunningServerPort(_dataDirectory); // no postmaster.pid of a dead server left behind
            ReleaseOwnership();
        }
        finally
        {
            _startStop.Release();
        }
    }

    private Task PgStopAsync(string mode) =>
        PgAsync("pg_ctl", ["stop", "-D", _dataDirectory, "-m", mode, "-w", "-t", "60", "-s"], CancellationToken.None);

    public async ValueTask DisposeAsync() => await StopAsync();

    /// <summary>
    /// The port of a live postmaster for this folder, or null. A postmaster.pid left by a killed run
    /// whose process is gone is removed, so it never blocks the next start.
    /// </summary>
    private static int? ReadRunningServerPort(string dataDirectory)
    {
        if (LivePostmaster(dataDirectory) is { } live)
        {
            return live.Port;
        }
        File.Delete(Path.Combine(dataDirectory, "postmaster.pid"));
        return null;
    }

    /// <summary>The PID and port in postmaster.pid when that process is a live postmaster of this folder, else null.</summary>
    private static (int Pid, int Port)? LivePostmaster(string dataDirectory)
    {
        // A read while the postmaster writes its file (creating it, or adding its status as it becomes ready) may see it
        // incomplete: taken for "not running", a clean stop would leave the server running. Read again a few times first.
        for (var attempt = 1; ; attempt++)
        {
            string[] lines;
            try
            {
                lines = File.ReadAllLines(Path.Combine(dataDirectory, "postmaster.pid"));
            }
            catch (IOException)
            {
                return null; // none (FileNotFoundException is an IOException), or being replaced
            }
            if (lines.Length >= 4 && int.TryParse(lines[0], out var pid) && int.TryParse(lines[3], out var port))
            {
                return IsPostmasterOf(pid, dataDirectory) ? (pid, port) : null;
            }
            if (attempt == 5)
            {
                return null; // what a server that died while starting leaves
            }
            Thread.Sleep(20);
        }
    }

    /// <summary>
    /// Whether the process is a PostgreSQL server running on this very folder. PIDs are reused (after a reboot, in
    /// containers): a postgres process of another cluster with the old PID must not be mistaken for ours. A postmaster's
    /// working directory is its data folder.
    /// </summary>
    private static bool IsPostmasterOf(int pid, string dataDirectory)
    {
        try
        {
            var comm = File.ReadAllText($"/proc/{pid}/comm").Trim();
            var cwd = new DirectoryInfo($"/proc/{pid}/cwd").ResolveLinkTarget(returnFinalTarget: true)?.FullName;
            return comm.StartsWith("postgres", StringComparison.Ordinal)
                && string.Equals(Path.TrimEndingDirectorySeparator(cwd ?? ""), Path.TrimEndingDirectorySeparator(dataDirectory), StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private async Task WaitUntilAcceptingAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString() + ";Pooling=false;Timeout=2");
                await connection.OpenAsync(cancellationToken);
                return;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50, cancellationToken);
            }
        }
    }

    private Task PgAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var executable = Path.Combine(_binDirectory, tool);
        return _runAsPostgresUser
            ? RunAsync("runuser", ["-u", "postgres", "--", executable, .. arguments], _dataDirectory, cancellationToken)
            : RunAsync(executable, arguments, _dataDirectory, cancellationToken);
    }

    private static async Task RunAsync(string fileName, IReadOnlyList<string> arguments, string? workingDirectory, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The postgres user cannot enter the caller's directory (often /root): run from a neutral one.
            WorkingDirectory = "/",
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        // pg_ctl start leaves the server holding inherited pipes: read until the process exits, not until EOF.
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            // Give the readers a moment; a server that inherited the pipes must not hang the error path.
            await Task.WhenAny(Task.WhenAll(stdout, stderr), Task.Delay(1000, CancellationToken.None));
            var output = (stderr.IsCompletedSuccessfully ? stderr.Result : "") + (stdout.IsCompletedSuccessfully ? stdout.Result : "");
            var log = workingDirectory is not null && File.Exists(Path.Combine(workingDirectory, "server.log"))
                ? " Server log tail: " + string.Join('\n', File.ReadLines(Path.Combine(workingDirectory, "server.log")).TakeLast(5))
                : "";
            throw new InvalidOperationException(
                $"{Path.GetFileName(fileName)} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}: {output.Trim()}{log}");
        }
    }

    private static string? TryRead(string fileName, string argument)
    {
        try
        {
            var info = new ProcessStartInfo(fileName, argument) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var process = Process.Start(info);
            if (process is null)
            {
                return null;
            }
            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // not installed
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
