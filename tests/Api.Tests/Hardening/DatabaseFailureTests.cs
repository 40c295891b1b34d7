using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Paco.Api.Common;
using Paco.Api.Revisions;

namespace Paco.Api.Tests.Hardening;

/// <summary>Which failures mean "the database cannot be reached" (answered 503), and what the cache serves meanwhile.</summary>
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

    [Test]
    public void An_answer_kept_when_the_listener_is_lost_is_served_only_while_the_database_is_unreachable_and_dropped_on_reconnect()
    {
        using var dataSource = NpgsqlDataSource.Create("Host=127.0.0.1;Port=1");
        using var failures = new FailureLog();
        var outage = new DatabaseOutage(dataSource, failures, NullLogger<DatabaseOutage>.Instance);
        var cache = new PublishedCache(new ConfigurationBuilder().Build(), outage);
        var (institution, resource) = (Guid.NewGuid(), Guid.NewGuid());
        var published = new PublishedCache.CacheKey("/published", "");
        var other = new PublishedCache.CacheKey("/other", "");
        PublishedCache.CacheEntry Entry(Guid id) => new(institution, id, ServedRepresentation.Of([1, 2, 3], "\"etag\"", "http://localhost"), DateTimeOffset.UtcNow);
        cache.Trust();
        cache.Set(published, Entry(resource), cache.Generation);
        cache.Set(other, Entry(Guid.Empty), cache.Generation); // a list: it shows the institution at large

        cache.Distrust(); // the listener lost its connection: notifications may be missed from now on

        Assert.That(cache.TryGet(published, out _), Is.False, "the database may still answer: ask it");
        cache.Set(new PublishedCache.CacheKey("/new", ""), Entry(Guid.NewGuid()), cache.Generation);
        Assert.That(cache.Count, Is.EqualTo(2), "nothing new is kept while notifications may be missed");

        outage.ReportUnreachable("connection refused");

        Assert.That(cache.TryGet(published, out var kept), Is.True, "nothing can change an unreachable database: what was cached is what is published");
        Assert.That(kept.Served.ETag, Is.EqualTo("\"etag\""));
        Assert.That(cache.StaleHits, Is.EqualTo(1));
        cache.Invalidate(institution, [resource]);
        Assert.That(cache.TryGet(published, out _), Is.False, "this instance's own changes still remove their answers");
        Assert.That(cache.TryGet(other, out _), Is.False, "and the institution's lists");

        cache.Set(other, Entry(Guid.Empty), cache.Generation);
        cache.Trust(); // reconnected: what changed meanwhile was not heard
        outage.ReportReachable();

        Assert.That(cache.Count, Is.EqualTo(0), "the cache starts afresh before it is trusted again");
        Assert.That(cache.IsTrusted, Is.True);
    }
}
