using System.Collections.Concurrent;
using System.Diagnostics;

namespace Paco.Api.Tests;

/// <summary>
/// Counts the SQL commands sent to one database while it listens, as Npgsql reports them on its ActivitySource:
/// one activity per command or per batch Npgsql executes, each one round trip to the server.
/// <list type="bullet">
/// <item>Counted: every query and write, from any connection to <see cref="Database"/>; a batch (EF's SaveChanges of
/// several rows) once; EF's <c>SAVEPOINT</c> and <c>RELEASE SAVEPOINT</c>, which are commands of their own; and what the
/// app's background services send meanwhile, so a fixture that measures keeps them quiet (e.g. a long Publishing:PollInterval).</item>
/// <item>Not counted, because Npgsql sends them without an activity: <c>COMMIT</c> and <c>ROLLBACK</c> (a round trip each),
/// <c>BEGIN</c> (it travels with the transaction's first command: no round trip of its own), the pooled connection's
/// reset (likewise deferred to the next command), and opening a physical connection.</item>
/// </list>
/// Fixtures run in parallel on one server, so activities are told apart by the database they were sent to.
/// </summary>
public sealed class SqlCommandCounter : IDisposable
{
    // The database tag has been renamed with OpenTelemetry's conventions: db.namespace from Npgsql 10, db.name before.
    private static readonly string[] DatabaseTags = ["db.namespace", "db.name"];
    private static readonly string[] TextTags = ["db.query.text", "db.statement"];

    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<string> _commands = new();

    private SqlCommandCounter(string database)
    {
        Database = database;
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Record,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public string Database { get; }

    public int Count => _commands.Count;

    /// <summary>The text of each command counted, in the order they finished.</summary>
    public IReadOnlyList<string> Commands => [.. _commands];

    /// <summary>Starts counting; disposing stops it.</summary>
    public static SqlCommandCounter Start(string database) => new(database);

    /// <summary>Runs <paramref name="block"/> and answers its result with the commands sent to <paramref name="database"/> meanwhile.</summary>
    public static async Task<(T Result, IReadOnlyList<string> Commands)> MeasureAsync<T>(string database, Func<Task<T>> block)
    {
        using var counter = Start(database);
        var result = await block();
        return (result, counter.Commands);
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Activity activity)
    {
        var database = DatabaseTags.Select(activity.GetTagItem).OfType<string>().FirstOrDefault();
        // Only commands carry their text: anything else on the source (a physical open, where traced) is not a command.
        var text = TextTags.Select(activity.GetTagItem).OfType<string>().FirstOrDefault();
        if (database == Database && text is not null)
        {
            _commands.Enqueue(text);
        }
    }
}
