namespace Paco.Api.Data;

/// <summary>
/// Keeps the embedded PostgreSQL running: checks every <see cref="CheckInterval"/> that its postmaster is alive and,
/// when it is not (killed, crashed, stopped by someone else), starts it again on the same port, retrying after
/// <see cref="FirstRetryDelay"/>, doubling up to <see cref="MaxRetryDelay"/>. One log line per event (down, each failed
/// attempt, back), never a stack trace. Nothing is restarted after the app's own clean stop (<see cref="EmbeddedPostgres.StopAsync"/>),
/// nor a server another live process owns (that process supervises it).
/// </summary>
public sealed class EmbeddedPostgresSupervisor(EmbeddedPostgres server, ILogger<EmbeddedPostgresSupervisor> logger) : BackgroundService
{
    public static readonly TimeSpan CheckInterval = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);

    /// <summary>The delay before retry number <paramref name="failedAttempts"/> + 1: 0.5 s, 1 s, 2 s, 4 s, 8 s, then 10 s.</summary>
    public static TimeSpan RetryDelay(int failedAttempts) =>
        TimeSpan.FromTicks(Math.Min(MaxRetryDelay.Ticks, FirstRetryDelay.Ticks << Math.Min(failedAttempts - 1, 20)));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(CheckInterval, stoppingToken);
                if (!server.IsRunning && !server.IsStopped)
                {
                    await RestartAsync(stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The app is stopping: it stops the server itself (ApplicationStopped), after the last request.
        }
    }

    private async Task RestartAsync(CancellationToken stoppingToken)
    {
        var down = System.Diagnostics.Stopwatch.StartNew();
        var announced = false;
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                if (!announced)
                {
                    announced = true;
                    logger.LogWarning("The embedded PostgreSQL (port {Port}, {DataDirectory}) is not running; restarting it", server.Port, server.DataDirectory);
                }
                if (await server.RestartAsync(stoppingToken))
                {
                    logger.LogInformation("The embedded PostgreSQL accepts connections again on port {Port}, {Seconds:0.0} s after it was found down ({Attempts} attempt(s))",
                        server.Port, down.Elapsed.TotalSeconds, attempt);
                }
                return; // started, or running again, or not ours to restart
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                var delay = RetryDelay(attempt);
                logger.LogWarning("Restarting the embedded PostgreSQL failed (attempt {Attempt}): {Reason}; next attempt in {Delay:0.0} s",
                    attempt, exception.Message.ReplaceLineEndings(" "), delay.TotalSeconds);
                await Task.Delay(delay, stoppingToken);
            }
        }
    }
}
