using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Paco.Api.Tests;

/// <summary>
/// What the app logs, as an operator would read it: a logger provider beside the console one, so the app's
/// filters (appsettings.json) decide what reaches it.
/// </summary>
public sealed class LogCapture : ILoggerProvider
{
    public sealed record Entry(DateTimeOffset At, string Category, LogLevel Level, string Message, Exception? Exception);

    private readonly ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyList<Entry> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            capture._entries.Enqueue(new Entry(DateTimeOffset.UtcNow, category, logLevel, formatter(state, exception), exception));
    }
}
