using System.Collections.Concurrent;
using Npgsql;
using Paco.Api.Common;

namespace Paco.Api.Revisions;

/// <summary>
/// Published representations kept in memory, so a read (and a revalidation) needs no database round trip.
/// Correct across several instances sharing one database: every change of a published representation sends
/// NOTIFY paco_published (delivered at commit), each instance LISTENs, and caching is on only while that
/// listener is connected (a lost connection clears the cache, since notifications may have been missed).
/// </summary>
public sealed class PublishedCache(IConfiguration configuration)
{
    public const string Channel = "paco_published";

    private readonly ConcurrentDictionary<CacheKey, CacheEntry> _entries = new();
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<CacheKey, byte>> _keysByResource = new();
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<CacheKey, byte>> _keysByInstitution = new();
    private readonly long _budgetBytes = configuration.GetValue("Cache:MaxBytes", 64L * 1024 * 1024);
    private readonly Lock _indexLock = new();
    private long _bytes;
    private long _generation;
    private volatile bool _enabled;

    /// <summary>An answer's key: its path and its known query parameters, normalised (see <see cref="QueryParameters"/>).</summary>
    public readonly record struct CacheKey(string Path, string Query);

    /// <summary>What rendering a type needs from an institution's published content, kept for point-in-time reads.</summary>
    private readonly ConcurrentDictionary<(Guid InstitutionId, string Type), object> _renderData = new();
    private const int MaxRenderData = 1024;

    /// <summary>
    /// A cached answer. <see cref="ResourceId"/> set: it shows that one resource and goes when it changes.
    /// <see cref="Guid.Empty"/>: it shows the institution's content at large (a list, the tree) and goes when anything there changes.
    /// </summary>
    public sealed record CacheEntry(Guid InstitutionId, Guid ResourceId, byte[] Body, string ETag, DateTimeOffset LastModified,
        CachePolicy Policy = CachePolicy.Current, IReadOnlyDictionary<string, string>? Headers = null);

    /// <summary>Changes at every invalidation: a value read from the database before a change must not be cached after it.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public int Count => _entries.Count;

    public long Bytes => Interlocked.Read(ref _bytes);

    public bool TryGet(CacheKey key, out CacheEntry entry)
    {
        if (_enabled && _entries.TryGetValue(key, out entry!))
        {
            return true;
        }
        entry = null!;
        return false;
    }

    /// <param name="generation">The <see cref="Generation"/> read before the database was: if it moved since, the value may be stale.</param>
    public void Set(CacheKey key, CacheEntry entry, long generation)
    {
        if (!_enabled || entry.Body.Length > _budgetBytes / 16)
        {
            return;
        }
        if (Interlocked.Read(ref _bytes) + entry.Body.Length > _budgetBytes)
        {
            EvictSome();
        }
        // Registering the entry and invalidating are one step each under the lock (misses and writes only, never hits),
        // so an entry can never be registered in an index that an invalidation is discarding.
        lock (_indexLock)
        {
            if (Generation != generation)
            {
                return; // an invalidation raced this read: do not keep what it read
            }
            var index = entry.ResourceId == Guid.Empty ? _keysByInstitution : _keysByResource;
            index.GetOrAdd(entry.ResourceId == Guid.Empty ? entry.InstitutionId : entry.ResourceId, _ => new ConcurrentDictionary<CacheKey, byte>())[key] = 0;
            if (_entries.TryAdd(key, entry))
            {
                Interlocked.Add(ref _bytes, entry.Body.Length);
            }
        }
    }

    public bool TryGetRenderData(Guid institutionId, string type, out object data) =>
        _renderData.TryGetValue((institutionId, type), out data!) & _enabled;

    public void SetRenderData(Guid institutionId, string type, object data, long generation)
    {
        lock (_indexLock)
        {
            if (!_enabled || Generation != generation)
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
            foreach (var id in resourceIds.Append(institutionId))
            {
                var index = id == institutionId ? _keysByInstitution : _keysByResource;
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
            SetEnabled(_enabled); // not ours to read: start afresh rather than risk a stale answer
        }
    }

    /// <summary>Turns caching on (the listener is connected) or off (it is not), starting empty either way.</summary>
    public void SetEnabled(bool enabled)
    {
        lock (_indexLock)
        {
            Reset(enabled);
        }
    }

    private void Reset(bool enabled)
    {
        _enabled = false;
        Interlocked.Increment(ref _generation);
        _entries.Clear();
        _keysByResource.Clear();
        _keysByInstitution.Clear();
        _renderData.Clear();
        Interlocked.Exchange(ref _bytes, 0);
        _enabled = enabled;
    }

    private void Remove(CacheKey key)
    {
        if (_entries.TryRemove(key, out var removed))
        {
            Interlocked.Add(ref _bytes, -removed.Body.Length);
        }
    }

    /// <summary>Drops about a quarter of the entries: cheap, and keeps memory bounded.</summary>
    private void EvictSome()
    {
        var i = 0;
        foreach (var key in _entries.Keys)
        {
            if (i++ % 4 == 0)
            {
                Remove(key);
            }
        }
    }
}

/// <summary>Keeps a LISTEN connection open and applies other instances' (and this one's) invalidations.</summary>
public sealed class PublishedCacheListener(PublishedCache cache, NpgsqlDataSource dataSource, ILogger<PublishedCacheListener> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, notification) => cache.Invalidate(notification.Payload);
                await using (var listen = new NpgsqlCommand($"listen {PublishedCache.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                cache.SetEnabled(true);
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
                cache.SetEnabled(false);
                logger.LogWarning(exception, "Cache invalidation listener lost its connection; caching is off until it reconnects");
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        cache.SetEnabled(false);
    }
}
