using System.Collections.Concurrent;
using Npgsql;
using Paco.Api.Common;

namespace Paco.Api.Revisions;

/// <summary>
/// Published representations kept in memory, so a read (and a revalidation) needs no database round trip.
/// Correct across several instances sharing one database: every change of a published representation sends
/// NOTIFY paco_published (delivered at commit), each instance LISTENs, and the cache is trusted only while that
/// listener is connected.
/// <para>
/// Stale-if-error: when the listener loses its connection, notifications may be missed from then on, so the cache
/// stops being trusted (<see cref="Distrust"/>) but keeps its entries, and serves them only while the database is
/// known to be unreachable (<see cref="DatabaseOutage"/>): nothing can change it then, so what was cached is what is
/// published. This instance's own changes still remove their entries as they commit. When the listener connects
/// again, the cache starts afresh (<see cref="Trust"/>) before it is trusted. The one thing this cannot see is a
/// change committed by another instance while this one cannot reach the database (a partition, not a stopped
/// server): it serves the last answer it had rather than an error until it reconnects, as HTTP's stale-if-error does.
/// </para>
/// </summary>
public sealed class PublishedCache(IConfiguration configuration, DatabaseOutage database)
{
    public const string Channel = "paco_published";

    private readonly ConcurrentDictionary<CacheKey, CacheEntry> _entries = new();
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<CacheKey, byte>> _keysByResource = new();
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<CacheKey, byte>> _keysByInstitution = new();
    private readonly long _budgetBytes = configuration.GetValue("Cache:MaxBytes", 64L * 1024 * 1024);
    private readonly Lock _indexLock = new();
    private long _bytes;
    private long _generation;
    private long _staleHits;
    private int _evicting;
    private volatile bool _trusted; // the listener is connected: entries are current, and new ones may be kept
    private volatile bool _kept;    // it lost its connection: entries are kept, for when the database is unreachable

    /// <summary>
    /// An answer's key: its path, its known query parameters, normalised (see <see cref="QueryParameters"/>), and its
    /// media type where the endpoint negotiates one (empty for JSON).
    /// </summary>
    public readonly record struct CacheKey(string Path, string Query, string Representation = "");

    /// <summary>What rendering a type needs from an institution's published content, kept for point-in-time reads.</summary>
    private readonly ConcurrentDictionary<(Guid InstitutionId, string Type), object> _renderData = new();
    private const int MaxRenderData = 1024;

    /// <summary>
    /// A cached answer. <see cref="ResourceId"/> set: it shows that one resource and goes when it changes.
    /// <see cref="Guid.Empty"/>: it shows the institution's content at large (a list, the tree) and goes when anything there changes.
    /// </summary>
    /// Its <see cref="ServedRepresentation"/> keeps the compressed variants made for it, counted in the budget as they are made.
    public sealed record CacheEntry(Guid InstitutionId, Guid ResourceId, ServedRepresentation Served, DateTimeOffset LastModified,
        CachePolicy Policy = CachePolicy.Current, IReadOnlyDictionary<string, string>? Headers = null, string ContentType = CachedAnswer.Json)
    {
        private volatile int _credit;

        /// <summary>
        /// Eviction passes it survives (<see cref="EvictSome"/>): 1 when kept, 2 once served again; each pass that
        /// spares it takes one.
        /// </summary>
        internal int Credit => _credit;

        internal void Kept() => _credit = 1;

        internal void MarkUsed()
        {
            if (_credit < 2) _credit = 2; // written only when it changes: a hit on a hot entry writes nothing shared
        }

        internal void Spare() => _credit = Math.Max(0, _credit - 1);
    }

    /// <summary>Changes at every invalidation: a value read from the database before a change must not be cached after it.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public int Count => _entries.Count;

    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Whether the listener is connected, so entries are current and new answers are kept.</summary>
    public bool IsTrusted => _trusted;

    /// <summary>How many answers were served while the cache was not trusted (the database unreachable), since the last <see cref="Trust"/>.</summary>
    public long StaleHits => Interlocked.Read(ref _staleHits);

    /// <summary>A current entry; or, while the listener is down and the database unreachable, the entry kept from before.</summary>
    public bool TryGet(CacheKey key, out CacheEntry entry)
    {
        if (_trusted && _entries.TryGetValue(key, out entry!))
        {
            entry.MarkUsed();
            return true;
        }
        if (_kept && database.IsUnreachable && _entries.TryGetValue(key, out entry!))
        {
            Interlocked.Increment(ref _staleHits);
            return true;
        }
        entry = null!;
        return false;
    }

    /// <param name="generation">The <see cref="Generation"/> read before the database was: if it moved since, the value may be stale.</param>
    /// <param name="compressed">Kept brotli-compressed only (<see cref="ServedRepresentation.Compact"/>).</param>
    public void Set(CacheKey key, CacheEntry entry, long generation, bool compressed = false)
    {
        if (!_trusted || entry.Served.IdentityLength > _budgetBytes / 16)
        {
            return;
        }
        if (compressed)
        {
            entry.Served.Compact();
        }
        if (Interlocked.Read(ref _bytes) + entry.Served.Bytes > _budgetBytes)
        {
            EvictSome();
        }
        // Registering the entry and invalidating are one step each under the lock (misses and writes only, never hits),
        // so an entry can never be registered in an index that an invalidation is discarding.
        lock (_indexLock)
        {
            if (Generation != generation || !_trusted)
            {
                return; // an invalidation (or the loss of the listener) raced this read: do not keep what it read
            }
            var index = entry.ResourceId == Guid.Empty ? _keysByInstitution : _keysByResource;
            index.GetOrAdd(entry.ResourceId == Guid.Empty ? entry.InstitutionId : entry.ResourceId, _ => new ConcurrentDictionary<CacheKey, byte>())[key] = 0;
            if (_entries.TryAdd(key, entry))
            {
                entry.Kept(); // a new answer gets one pass to be asked for again before it may go
                // Variants made later are counted then. (One made while the entry is being removed may be counted after
                // it is gone: a few KB at most, until the next Clear.)
                entry.Served.KeptBy(grown => Interlocked.Add(ref _bytes, grown));
                Interlocked.Add(ref _bytes, entry.Served.Bytes);
            }
        }
    }

    public bool TryGetRenderData(Guid institutionId, string type, out object data) =>
        _renderData.TryGetValue((institutionId, type), out data!) & _trusted;

    public void SetRenderData(Guid institutionId, string type, object data, long generation)
    {
        lock (_indexLock)
        {
            if (!_trusted || Generation != generation)
            {
                return;
            }
            if (_renderData.Count >= MaxRenderData)
            {
                _renderData.Clear();
            }
            _renderData[(institutionId, type)] = data;
        }
    }

    /// <summary>
    /// Small values read from the database on the way to an answer that is not kept (a search's institution, the words a
    /// prefix stands for): kept with the <see cref="Generation"/> they were read in and good only while it has not moved,
    /// so any change anywhere makes them be read again. They cost a round trip each; an uncached search needs them all.
    /// </summary>
    private readonly ConcurrentDictionary<(string Kind, string Key), (long Generation, object Value)> _lookups = new();
    private const int MaxLookups = 16 * 1024;

    /// <summary>The value kept for <paramref name="key"/>, or what <paramref name="load"/> reads, kept when not null.</summary>
    public async Task<T?> LookupAsync<T>(string kind, string key, Func<Task<T?>> load) where T : class
    {
        if (TryGetLookup<T>(kind, key, out var kept))
        {
            return kept;
        }
        var generation = Generation; // read before the database is
        var found = await load();
        if (found is not null)
        {
            SetLookup(kind, key, found, generation);
        }
        return found;
    }

    private bool TryGetLookup<T>(string kind, string key, out T value) where T : class
    {
        if (_trusted && _lookups.TryGetValue((kind, key), out var kept) && kept.Generation == Generation && kept.Value is T found)
        {
            value = found;
            return true;
        }
        value = null!;
        return false;
    }

    /// <param name="generation">The <see cref="Generation"/> read before the database was.</param>
    private void SetLookup(string kind, string key, object value, long generation)
    {
        // No lock: a value stamped with a generation that has since moved is never served.
        if (!_trusted || Generation != generation)
        {
            return;
        }
        if (_lookups.Count >= MaxLookups)
        {
            _lookups.Clear();
        }
        _lookups[(kind, key)] = (generation, value);
    }

    /// <summary>These resources of the institution changed: their answers, and the institution's lists, go.</summary>
    public void Invalidate(Guid institutionId, IEnumerable<Guid> resourceIds)
    {
        lock (_indexLock)
        {
            Interlocked.Increment(ref _generation);
            foreach (var key in _renderData.Keys.Where(k => k.InstitutionId == institutionId))
            {
                _renderData.TryRemove(key, out _);
            }
            // Guid.Empty as an institution: answers about every institution (a national search, the compliance ranking), which any change may alter.
            foreach (var id in resourceIds.Append(institutionId).Append(Guid.Empty))
            {
                var index = id == institutionId || id == Guid.Empty ? _keysByInstitution : _keysByResource;
                if (index.TryRemove(id, out var keys))
                {
                    foreach (var key in keys.Keys)
                    {
                        Remove(key);
                    }
                }
            }
        }
    }

    /// <summary>The payload of a NOTIFY: "institution:resource,resource,…".</summary>
    public static string Payload(Guid institutionId, IEnumerable<Guid> resourceIds) => $"{institutionId}:{string.Join(',', resourceIds)}";

    public void Invalidate(string payload)
    {
        var parts = payload.Split(':', 2);
        if (parts.Length == 2 && Guid.TryParse(parts[0], out var institutionId))
        {
            Invalidate(institutionId, parts[1].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Guid.Parse));
        }
        else
        {
            // Not ours to read: start afresh rather than risk a stale answer.
            lock (_indexLock)
            {
                Clear(trusted: _trusted);
            }
        }
    }

    /// <summary>The listener is connected (and LISTENing): start afresh, since notifications may have been missed, and trust the cache.</summary>
    public void Trust()
    {
        lock (_indexLock)
        {
            Clear(trusted: true);
            Interlocked.Exchange(ref _staleHits, 0);
        }
    }

    /// <summary>
    /// The listener lost its connection: keep no new answers, and serve the entries kept only while the database is
    /// unreachable. <see cref="Trust"/> clears them before the cache is trusted again.
    /// </summary>
    public void Distrust()
    {
        lock (_indexLock)
        {
            if (!_trusted)
            {
                return;
            }
            _kept = true;
            _trusted = false;
            Interlocked.Increment(ref _generation); // a read that started while trusted must not keep its answer now
            _renderData.Clear();
        }
    }

    /// <summary>Caching off and empty (the app is stopping).</summary>
    public void Disable()
    {
        lock (_indexLock)
        {
            Clear(trusted: false);
        }
    }

    private void Clear(bool trusted)
    {
        _trusted = false;
        _kept = false;
        Interlocked.Increment(ref _generation);
        _entries.Clear();
        _keysByResource.Clear();
        _keysByInstitution.Clear();
        _renderData.Clear();
        _lookups.Clear();
        Interlocked.Exchange(ref _bytes, 0);
        _trusted = trusted;
    }

    private void Remove(CacheKey key)
    {
        if (_entries.TryRemove(key, out var removed))
        {
            removed.Served.Released();
            Interlocked.Add(ref _bytes, -removed.Served.Bytes);
        }
    }

    /// <summary>
    /// Frees about a quarter of the budget, as a clock with credits would: each entry walked past is dropped when it has
    /// no credit left and spared, losing one, when it has some (<see cref="CacheEntry.Credit"/>: kept since the last pass,
    /// or served since). What is read again and again (a state's searches, a popular organ) stays; what was read once
    /// goes after a pass. At most three passes: by then every entry not served meanwhile has spent its credit.
    /// </summary>
    private void EvictSome()
    {
        if (Interlocked.Exchange(ref _evicting, 1) == 1)
        {
            return; // another request is freeing room already
        }
        try
        {
            FreeRoom();
        }
        finally
        {
            Volatile.Write(ref _evicting, 0);
        }
    }

    private void FreeRoom()
    {
        var target = Interlocked.Read(ref _bytes) - _budgetBytes * 3 / 4;
        if (target <= 0) target = _budgetBytes / 4;
        var freed = 0L;
        for (var pass = 0; pass < 3; pass++)
        {
            foreach (var (key, entry) in _entries)
            {
                if (freed >= target) return;
                if (entry.Credit > 0)
                {
                    entry.Spare();
                    continue;
                }
                freed += entry.Served.Bytes;
                Remove(key);
            }
        }
    }
}

/// <summary>
/// Keeps a LISTEN connection open and applies other instances' (and this one's) invalidations. While it is down the
/// cache is not trusted (<see cref="PublishedCache.Distrust"/>); it retries after 0.25 s, doubling up to 2 s, so the
/// cache is trusted again (afresh) within about 2 s of the database's return. Failures are logged once per cause per interval.
/// </summary>
public sealed class PublishedCacheListener(PublishedCache cache, NpgsqlDataSource dataSource, DatabaseOutage database, FailureLog failures,
    ILogger<PublishedCacheListener> logger) : BackgroundService
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retryDelay = FirstRetryDelay;
        var lostAt = (DateTimeOffset?)null;
        while (!stoppingToken.IsCancellationRequested)
        {
            var connected = false;
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, notification) => cache.Invalidate(notification.Payload);
                await using (var listen = new NpgsqlCommand($"listen {PublishedCache.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                connected = true;
                retryDelay = FirstRetryDelay;
                var staleHits = cache.StaleHits;
                cache.Trust(); // afresh: what changed while the listener was down was not heard
                database.ReportReachable();
                if (lostAt is { } since)
                {
                    logger.LogInformation(
                        "Cache invalidation listener reconnected after {Seconds:0.0} s; {StaleHits} cached answers were served meanwhile; the cache starts afresh",
                        (DateTimeOffset.UtcNow - since).TotalSeconds, staleHits);
                    lostAt = null;
                }
                while (!stoppingToken.IsCancellationRequested)
                {
                    // Wakes on each notification; the timeout makes a dead connection show up as an error.
                    if (!await connection.WaitAsync(TimeSpan.FromSeconds(30), stoppingToken))
                    {
                        await using var ping = new NpgsqlCommand("select 1", connection);
                        await ping.ExecuteScalarAsync(stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                cache.Distrust();
                lostAt ??= DateTimeOffset.UtcNow;
                var connectionFailure = DatabaseOutage.IsConnectionFailure(exception, out var cause);
                if (connectionFailure && !connected)
                {
                    // It could not even connect: the database is unreachable (losing a connection alone may be that one connection).
                    database.ReportUnreachable(cause);
                }
                else
                {
                    failures.Report(logger, LogLevel.Warning, "cache listener: " + (connectionFailure ? cause : exception.GetType().Name),
                        $"Cache invalidation listener lost its connection ({(connectionFailure ? cause : exception.Message)}); " +
                        "new answers are not cached until it reconnects",
                        connectionFailure ? null : exception);
                }
                try
                {
                    await Task.Delay(retryDelay, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                retryDelay = TimeSpan.FromTicks(Math.Min(MaxRetryDelay.Ticks, retryDelay.Ticks * 2));
            }
        }
        cache.Disable();
    }
}
