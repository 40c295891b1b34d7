using System.Diagnostics;

namespace Paco.Api.Tests;

/// <summary>The processes of one PostgreSQL cluster, found the way the server itself is recognised: by their working directory.</summary>
public static class PostgresProcesses
{
    /// <summary>The live postgres processes (postmaster and backends) running on <paramref name="dataDirectory"/>.</summary>
    public static IReadOnlyList<int> Of(string dataDirectory)
    {
        var folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataDirectory));
        var found = new List<int>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), out var pid))
            {
                continue;
            }
            try
            {
                // A zombie has no working directory any more: it is gone as far as the cluster is concerned.
                var cwd = new DirectoryInfo(Path.Combine(entry, "cwd")).ResolveLinkTarget(returnFinalTarget: true)?.FullName;
                if (File.ReadAllText(Path.Combine(entry, "comm")).StartsWith("postgres", StringComparison.Ordinal)
                    && string.Equals(Path.TrimEndingDirectorySeparator(cwd ?? ""), folder, StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or not readable: not ours.
            }
        }
        return found;
    }

    /// <summary>
    /// <c>kill -9</c> of every process of the cluster at once, as a crash of the machine's PostgreSQL would: nothing it was
    /// doing completes. Returns once they are all gone (bounded), so nothing can commit after it returns.
    /// </summary>
    public static async Task KillAllAsync(string dataDirectory)
    {
        var waited = Stopwatch.StartNew();
        for (var processes = Of(dataDirectory); processes.Count > 0; processes = Of(dataDirectory))
        {
            foreach (var pid in processes)
            {
                try
                {
                    using var process = Process.GetProcessById(pid);
                    process.Kill();
                }
                catch (Exception exception) when (exception is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                    // Exited meanwhile.
                }
            }
            if (waited.Elapsed > TimeSpan.FromSeconds(10))
            {
                Assert.Fail($"PostgreSQL processes {string.Join(", ", processes)} on {dataDirectory} survived kill -9 for 10 s.");
            }
            await Task.Delay(20);
        }
    }
}
