using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Paco.Api.Tests;

/// <summary>
/// The built app (Api.dll beside the tests) run as its own process on Kestrel, on a free loopback port, in Production:
/// for what the in-memory test server cannot show (the headers Kestrel adds, the app's commands). Stopped on dispose.
/// </summary>
public sealed class ApiProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    public Uri BaseAddress { get; }

    private ApiProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    /// <summary>What the process printed so far (for assertion messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static string ApiDll => Path.Combine(AppContext.BaseDirectory, "Api.dll");

    /// <summary>dotnet Api.dll &lt;arguments&gt; in the tests' folder, in Production, with these environment variables.</summary>
    public static ProcessStartInfo Command(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(ApiDll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }
        return info;
    }

    /// <summary>Runs a command (of the app, or any other) to its end: its exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(ProcessStartInfo info, TimeSpan? limit = null)
    {
        var allowed = limit ?? TimeSpan.FromSeconds(60);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(allowed);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            await StopAsync(process); // a command that never ends is a failure, not a leftover process
            throw new TimeoutException($"'{info.FileName} {string.Join(' ', info.ArgumentList)}' did not exit within {allowed.TotalSeconds:0} s:\n{await stdout}{await stderr}");
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>A loopback port nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts the service on the database and waits until /health/ready answers 200.</summary>
    public static async Task<ApiProcess> StartAsync(string connectionString, IReadOnlyDictionary<string, string>? environment = null)
    {
        var baseAddress = new Uri($"http://127.0.0.1:{FreePort()}");
        var variables = new Dictionary<string, string>
        {
            ["ConnectionStrings__Default"] = connectionString,
            ["ASPNETCORE_URLS"] = baseAddress.ToString(),
            ["Seed__OnStartup"] = "false", // the fixture's database is a copy of the seeded template
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            variables[name] = value;
        }
        var api = new ApiProcess(Process.Start(Command(variables))!, baseAddress);
        api._process.OutputDataReceived += (_, e) => api.Append(e.Data);
        api._process.ErrorDataReceived += (_, e) => api.Append(e.Data);
        api._process.BeginOutputReadLine();
        api._process.BeginErrorReadLine();

        using var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (api._process.HasExited)
            {
                throw new InvalidOperationException($"The API exited with code {api._process.ExitCode} before it was ready:\n{api.Output}");
            }
            try
            {
                using var ready = await client.GetAsync("/health/ready");
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    return api;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException) when (!api._process.HasExited)
            {
                // listening, but its first answer took longer than one attempt may (a loaded machine): ask again until the deadline
            }
            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                await api.DisposeAsync();
                throw new TimeoutException($"The API was not ready within 60 s:\n{api.Output}");
            }
            await Task.Delay(50);
        }
    }

    private void Append(string? line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(_process);
        _process.Dispose();
    }

    /// <summary>SIGTERM, as Ctrl+C or docker stop would (the app then stops what it started), and SIGKILL after 15 s.</summary>
    private static async Task StopAsync(Process process)
    {
        if (process.HasExited)
        {
            return;
        }
        using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync();
        }
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
