using System.Diagnostics;

namespace Paco.Api.Tests.Clients;

/// <summary>
/// tests/clients: the npm packages a third-party developer uses on openapi/paco.v1.json (client generators, linters),
/// installed from the committed package-lock.json, and its npm scripts.
/// </summary>
public static class ClientPackages
{
    public static string Folder { get; } = Repository.PathOf("tests", "clients");

    private static readonly SemaphoreSlim Installing = new(1, 1);

    /// <summary>npm ci, unless node_modules is already what the lockfile says (.ci/run installs it before the tests).</summary>
    public static async Task EnsureInstalledAsync()
    {
        await Installing.WaitAsync();
        try
        {
            var lockfile = Path.Combine(Folder, "package-lock.json");
            var installed = Path.Combine(Folder, "node_modules", ".package-lock.json"); // npm writes it on every install
            if (File.Exists(installed) && File.GetLastWriteTimeUtc(installed) >= File.GetLastWriteTimeUtc(lockfile))
            {
                return;
            }
            var (exitCode, output) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], TimeSpan.FromMinutes(5));
            Assert.That(exitCode, Is.EqualTo(0), $"npm ci in {Folder} failed (Node.js 20 or later with npm is needed):\n{output}");
        }
        finally
        {
            Installing.Release();
        }
    }

    /// <summary>An npm script of tests/clients/package.json (silent: only what the script prints).</summary>
    public static Task<(int ExitCode, string Output)> NpmAsync(string script, params string[] arguments) =>
        RunAsync("npm", ["run", "--silent", script, .. arguments.Length > 0 ? ["--", .. arguments] : Array.Empty<string>()], TimeSpan.FromMinutes(2));

    /// <summary>A program run in tests/clients with these environment variables; its exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string program, IEnumerable<string> arguments, TimeSpan limit,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Folder,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }
        try
        {
            return await ApiProcess.RunAsync(info, limit);
        }
        catch (System.ComponentModel.Win32Exception missing)
        {
            throw new AssertionException($"'{program}' could not be started ({missing.Message}): the client tests need Node.js 20 or later with npm, and the .NET SDK.");
        }
    }
}
