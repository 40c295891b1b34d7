using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Paco.Api.Common;

namespace Paco.Api.Tests.Hardening;

/// <summary>A failure that repeats is one log line per kind per interval, and the line after says how many were not logged.</summary>
public sealed class FailureLogTests
{
    private FakeTimeProvider _clock = null!;
    private LogCapture _capture = null!;
    private FailureLog _log = null!;
    private ILogger _logger = null!;

    [SetUp]
    public void CreateLog()
    {
        _clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        _capture = new LogCapture();
        _log = new FailureLog(_clock, TimeSpan.FromSeconds(10));
        _logger = _capture.CreateLogger("Paco.Api.Test");
    }

    [TearDown]
    public void DisposeLog()
    {
        _log.Dispose();
        _capture.Dispose();
    }

    [Test]
    public void The_first_failure_of_a_kind_is_logged_at_once_with_its_exception()
    {
        var failure = new InvalidOperationException("boom");

        var logged = _log.Report(_logger, LogLevel.Error, "bug", "Unhandled exception for GET /x", failure);

        Assert.That(logged, Is.True);
        Assert.That(_capture.Entries.Single().Message, Is.EqualTo("Unhandled exception for GET /x"));
        Assert.That(_capture.Entries.Single().Exception, Is.SameAs(failure), "its stack trace, once");
        Assert.That(_capture.Entries.Single().Level, Is.EqualTo(LogLevel.Error));
    }

    [Test]
    public void Repeats_within_the_interval_are_counted_and_told_in_one_line_when_it_ends()
    {
        _log.Report(_logger, LogLevel.Error, "database down", "The database is unreachable");
        for (var i = 0; i < 250; i++)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(20));
            _log.Report(_logger, LogLevel.Error, "database down", $"The database is unreachable (request {i})");
        }
        Assert.That(_capture.Entries, Has.Count.EqualTo(1), "5 s of failures: still one line");

        _clock.Advance(TimeSpan.FromSeconds(5));

        Assert.That(_capture.Entries, Has.Count.EqualTo(2));
        Assert.That(_capture.Entries[1].Message, Is.EqualTo(
            "The database is unreachable (request 249) (250 more like it in the last 10 s were not logged one by one)"));
        Assert.That(_capture.Entries[1].Exception, Is.Null);
    }

    [Test]
    public void A_steady_flood_is_one_line_per_interval()
    {
        for (var i = 0; i < 3000; i++)
        {
            _log.Report(_logger, LogLevel.Error, "database down", "The database is unreachable");
            _clock.Advance(TimeSpan.FromMilliseconds(10));
        }

        Assert.That(_capture.Entries, Has.Count.InRange(3, 4), "30 s of failures every 10 ms");
        Assert.That(_capture.Entries.Skip(1).Select(e => e.Message), Has.All.Contains("more like it in the last 10 s"));
    }

    [Test]
    public void Each_kind_has_its_own_interval()
    {
        _log.Report(_logger, LogLevel.Error, "database down", "The database is unreachable");
        _log.Report(_logger, LogLevel.Error, "database down", "The database is unreachable");

        var other = _log.Report(_logger, LogLevel.Error, "bug", "Unhandled exception for GET /x", new InvalidOperationException());

        Assert.That(other, Is.True, "a flood of one failure never hides another");
        Assert.That(_capture.Entries.Select(e => e.Message), Is.EqualTo(new[] { "The database is unreachable", "Unhandled exception for GET /x" }));
    }

    [Test]
    public void A_failure_after_a_quiet_interval_is_logged_at_once_again()
    {
        _log.Report(_logger, LogLevel.Error, "database down", "first outage");
        _clock.Advance(TimeSpan.FromMinutes(5));

        var logged = _log.Report(_logger, LogLevel.Error, "database down", "second outage");

        Assert.That(logged, Is.True);
        Assert.That(_capture.Entries.Select(e => e.Message), Is.EqualTo(new[] { "first outage", "second outage" }));
    }
}
