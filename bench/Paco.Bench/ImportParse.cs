using System.Diagnostics;
using System.Globalization;
using Paco.Api.Import;
using Paco.Api.Tests.Import;

namespace Paco.Bench;

/// <summary>
/// import-parse: how long the importer takes to turn a structure law of --bytes characters (300 000 by default) into a
/// proposal: normalisation, structure recognition, organ and citation extraction, typo correction and proposal
/// building, in process, nothing written. The law is the tests' generated one (tests/Api.Tests/Import/LargeLaw.cs, from
/// Texts/lei-grande.template.txt). Prints the wall-clock percentiles of --runs parses after --warmup unmeasured ones, the CPU time per parse and the
/// load average (on a shared machine the wall clock includes waiting for a CPU; the CPU time does not). The target is
/// the median under 200 ms.
/// </summary>
public static class ImportParse
{
    public static Task<int> RunAsync(string[] args)
    {
        var bytes = Options.Int(args, "--bytes", 300_000);
        var runs = Math.Max(1, Options.Int(args, "--runs", 50));
        var warmup = Options.Int(args, "--warmup", 10);
        var template = Options.Value(args, "--template") ?? Path.Combine(RepositoryRoot(), "tests", "Api.Tests", "Import", "Texts", "lei-grande.template.txt");
        var law = LargeLaw.Generate(bytes, template);
        var existing = ExistingContent.Empty("exemplo");

        ImportProposal? proposal = null;
        for (var i = 0; i < warmup; i++)
        {
            proposal = Importer.Propose(law.Text, Importer.PlainText, existing);
        }
        var times = new List<double>(runs);
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        for (var i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            proposal = Importer.Propose(law.Text, Importer.PlainText, existing);
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        process.Refresh();
        // CPU time per parse (all threads, collections included): the work itself, whatever else the machine runs.
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds / runs;
        times.Sort();
        double At(double q) => times[Math.Min(times.Count - 1, (int)Math.Ceiling(q * times.Count) - 1)];
        var competences = proposal!.Organs.Sum(o => o.Competences.Count);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"import-parse: characters={law.Text.Length} organs={proposal.Organs.Count} competences={competences} runs={runs} min_ms={times[0]:F1} p50_ms={At(0.5):F1} p95_ms={At(0.95):F1} max_ms={times[^1]:F1} cpu_ms_per_parse={cpu:F1} load_average={LoadAverage()}"));
        var target = At(0.5) < 200;
        Console.WriteLine(target ? "target met: median parse < 200 ms" : "target missed: median parse >= 200 ms");
        return Task.FromResult(target ? 0 : 1);
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Api.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("Run it from inside the repository, or give --template.");
    }
}
