using System.Net.Sockets;
using Npgsql;

namespace Paco.Api.Common;

/// <summary>
/// What the app knows about reaching its database. A failure to connect (or a server that is shutting down, crashed, or
/// not accepting connections yet) marks it unreachable; a successful connection of the cache listener or of the
/// readiness check marks it reachable again. While it is unreachable, requests that need it answer 503 with
/// <see cref="RetryAfterSeconds"/>, and published answers already cached keep being served (see PublishedCache).
/// </summary>
public sealed class DatabaseOutage(NpgsqlDataSource dataSource, FailureLog failures, ILogger<DatabaseOutage> logger)
{
    /// <summary>What a 503 tells clients to wait: the embedded server's supervisor restarts it within about this.</summary>
    public const int RetryAfterSeconds = 5;

    public const string UnavailableDetail =
        "The database cannot be reached right now, so this could not be done. Retry after the number of seconds in Retry-After. " +
        "If this was a change, read it again before retrying: it may or may not have been saved. Published content already " +
        "read recently is still served meanwhile.";

    private readonly Lock _lock = new();
    private bool _unreachable;
    private DateTimeOffset? _unreachableSince;
    private long _unavailableAnswers;

    public bool IsUnreachable => Volatile.Read(ref _unreachable);

    /// <summary>
    /// Whether <paramref name="exception"/> (or one it wraps) says the database cannot be reached, rather than that it
    /// refused a statement: Npgsql failing on the socket, or PostgreSQL answering with a connection error (class 08),
    /// an administrator or crash shutdown (57P01, 57P02) or "cannot connect now" (57P03: starting up, in recovery).
    /// </summary>
    /// <param name="cause">A short, stable name of the cause ("connection refused", "57P01 admin shutdown"), to group log lines by.</param>
    public static bool IsConnectionFailure(Exception exception, out string cause)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case PostgresException postgres when postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
                    || postgres.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow:
                    cause = $"{postgres.SqlState} {postgres.MessageText}";
                    return true;
                case PostgresException:
                    cause = "";
                    return false; // the server answered: the statement failed, not the connection
                case NpgsqlException { InnerException: SocketException socket }:
                    cause = $"connection failed: {socket.SocketErrorCode}";
                    return true;
                case NpgsqlException { InnerException: IOException }:
                    cause = "connection lost";
                    return true;
            }
        }
        cause = "";
        return false;
    }

    /// <summary>A request (or background work) could not reach the database. Logs at most one line per cause per interval.</summary>
    public void ReportUnreachable(string cause)
    {
        lock (_lock)
        {
            if (!_unreachable)
            {
                _unreachable = true;
                _unreachableSince = DateTimeOffset.UtcNow;
                // Every idle pooled connection died with the server: close them now, so none fails a request once it is back.
                dataSource.Clear();
            }
        }
        failures.Report(logger, LogLevel.Error, "database unreachable: " + cause,
            $"The database is unreachable ({cause}): cached published answers are still served, requests that need the database are answered 503");
    }

    /// <summary>Counts a 503 answered because the database was unreachable (told when it is back).</summary>
    public void CountUnavailableAnswer() => Interlocked.Increment(ref _unavailableAnswers);

    /// <summary>The database answered: an outage, if there was one, is over.</summary>
    public void ReportReachable()
    {
        if (!Volatile.Read(ref _unreachable))
        {
            return;
        }
        DateTimeOffset since;
        long unavailable;
        lock (_lock)
        {
            if (!_unreachable)
            {
                return;
            }
            _unreachable = false;
            since = _unreachableSince ?? DateTimeOffset.UtcNow;
            unavailable = Interlocked.Exchange(ref _unavailableAnswers, 0);
        }
        failures.Flush();
        logger.LogInformation("The database answers again after {Seconds:0.0} s unreachable; {Unavailable} requests were answered 503 meanwhile",
            (DateTimeOffset.UtcNow - since).TotalSeconds, unavailable);
    }
}
