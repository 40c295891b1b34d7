using System.Collections.Concurrent;

namespace Paco.Api.Common;

/// <summary>
/// Logs a failure that repeats (the database down for every request, say) once per kind per <see cref="Interval"/>
/// rather than once per occurrence: the first occurrence is logged at once; the ones that follow within the interval
/// are counted, and when it ends one line says how many there were and what the last one said. A kind is whatever
/// the caller names (the cause, not the request), so a flood of one failure never hides another.
/// </summary>
public sealed class FailureLog : IDisposable
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, Kind> _kinds = new();
    private readonly TimeProvider _clock;
    private readonly ITimer _flush;

    /// <param name="clock">Wall-clock time by default (not the app's clock, which tests may stop): log intervals are an operator's seconds.</param>
    public FailureLog(TimeProvider? clock = null, TimeSpan? interval = null)
    {
        _clock = clock ?? TimeProvider.System;
        Interval = interval ?? DefaultInterval;
        var tick = TimeSpan.FromTicks(Math.Max(Interval.Ticks / 10, TimeSpan.TicksPerMillisecond));
        _flush = _clock.CreateTimer(_ => Flush(), null, tick, tick);
    }

    public TimeSpan Interval { get; }

    private sealed class Kind(ILogger logger, LogLevel level)
    {
        public ILogger Logger { get; set; } = logger;
        public LogLevel Level { get; set; } = level;
        public DateTimeOffset QuietUntil { get; set; }
        public long Suppressed { get; set; }
        public string LastMessage { get; set; } = "";
    }

    /// <summary>
    /// Logs <paramref name="message"/> (with <paramref name="exception"/>'s stack trace, if given) unless a line of this
    /// <paramref name="kind"/> was logged less than <see cref="Interval"/> ago; then it is only counted.
    /// </summary>
    /// <returns>Whether it was logged now.</returns>
    public bool Report(ILogger logger, LogLevel level, string kind, string message, Exception? exception = null)
    {
        var state = _kinds.GetOrAdd(kind, _ => new Kind(logger, level));
        long suppressed;
        lock (state)
        {
            var now = _clock.GetUtcNow();
            if (now < state.QuietUntil)
            {
                state.Suppressed++;
                state.LastMessage = message;
                state.Logger = logger;
                state.Level = level;
                return false;
            }
            suppressed = state.Suppressed;
            state.Suppressed = 0;
            state.QuietUntil = now + Interval;
        }
        if (suppressed > 0)
        {
            logger.Log(level, exception, "{Message} ({Suppressed} more like it in the last {Interval:0} s were not logged one by one)",
                message, suppressed, Interval.TotalSeconds);
        }
        else
        {
            logger.Log(level, exception, "{Message}", message);
        }
        return true;
    }

    /// <summary>Says how many were counted for each kind whose interval has ended, so a flood that stopped is still told.</summary>
    public void Flush()
    {
        var now = _clock.GetUtcNow();
        foreach (var state in _kinds.Values)
        {
            long suppressed;
            string last;
            lock (state)
            {
                if (state.Suppressed == 0 || now < state.QuietUntil)
                {
                    continue;
                }
                (suppressed, last) = (state.Suppressed, state.LastMessage);
                state.Suppressed = 0;
                state.QuietUntil = now + Interval;
            }
            state.Logger.Log(state.Level, "{Message} ({Suppressed} more like it in the last {Interval:0} s were not logged one by one)",
                last, suppressed, Interval.TotalSeconds);
        }
    }

    public void Dispose() => _flush.Dispose();
}
