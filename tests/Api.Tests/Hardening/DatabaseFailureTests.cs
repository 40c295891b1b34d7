using System.Net.Sockets;
using Npgsql;
using Paco.Api.Common;

namespace Paco.Api.Tests.Hardening;

/// <summary>Which failures mean "the database cannot be reached" (answered 503).</summary>
public sealed class DatabaseFailureTests
{
    private static PostgresException Postgres(string sqlState, string message) => new(message, "FATAL", "FATAL", sqlState);

    private static IEnumerable<TestCaseData> Failures()
    {
        yield return new TestCaseData(new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused)), true)
            .SetName("A refused connection is an outage");
        yield return new TestCaseData(new NpgsqlException("Exception while reading from stream", new EndOfStreamException()), true)
            .SetName("A connection closed under a command is an outage");
        yield return new TestCaseData(Postgres(PostgresErrorCodes.AdminShutdown, "terminating connection due to administrator command"), true)
            .SetName("57P01 admin shutdown is an outage");
        yield return new TestCaseData(Postgres(PostgresErrorCodes.CrashShutdown, "terminating connection because of crash of another server process"), true)
            .SetName("57P02 crash shutdown is an outage");
        yield return new TestCaseData(Postgres(PostgresErrorCodes.CannotConnectNow, "the database system is starting up"), true)
            .SetName("57P03 cannot connect now is an outage");
        yield return new TestCaseData(Postgres("08006", "connection failure"), true)
            .SetName("Class 08 connection exceptions are an outage");
        yield return new TestCaseData(new InvalidOperationException("An exception has been raised that is likely due to a transient failure.",
                new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused))), true)
            .SetName("An outage wrapped by EF is still an outage");
        yield return new TestCaseData(new Microsoft.EntityFrameworkCore.DbUpdateException("saving failed",
                new NpgsqlException("Exception while writing to stream", new IOException("Broken pipe"))), true)
            .SetName("A write whose connection broke is an outage");
        yield return new TestCaseData(Postgres(PostgresErrorCodes.UniqueViolation, "duplicate key value"), false)
            .SetName("A refused statement is not an outage");
        yield return new TestCaseData(new NpgsqlException("Exception while reading from stream", new TimeoutException()), false)
            .SetName("A command timeout is not an outage");
        yield return new TestCaseData(new InvalidOperationException("Sequence contains no elements"), false)
            .SetName("A bug is not an outage");
    }

    [TestCaseSource(nameof(Failures))]
    public void Connection_failures_are_told_from_other_failures(Exception exception, bool outage)
    {
        Assert.That(DatabaseOutage.IsConnectionFailure(exception, out var cause), Is.EqualTo(outage));
        Assert.That(cause, outage ? Is.Not.Empty : Is.Empty);
    }
}
