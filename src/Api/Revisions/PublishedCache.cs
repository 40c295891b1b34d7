using System.Collections.Concurrent;
using Npgsql;

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
    private readonly long _budgetBytes = configuration.GetValue("Cache:MaxBytes", 64L * 1024 * 1024);
    private long _bytes;
    private long _generation;
    private volatile bool _enabled;

    public readonly record struct CacheKey(string Institution, string Type, string Key);

    public sealed record CacheEntry(Guid ResourceId, byte[] Body, string ETag, DateTimeOffset LastModified);

    /// <summary>Changes at every invalidation: a value read from the database before a change must not be cached after it.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public int Count => _entries.Count;

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
        _keysByResource.GetOrAdd(entry.ResourceId, _ => new ConcurrentDictionary<CacheKey, byte>())[key] = 0;
        if (_entries.TryAdd(key, entry))
        {
            Interlocked.Add(ref _bytes, entry.Body.Length);
        }
        if (Generation != generation)
        {
            Remove(key); // an invalidation raced this read: do not keep what it read
        }
    }

    public void Invalidate(IEnumerable<Guid> resourceIds)
    {
        Interlocked.Increment(ref _generation);
        foreach (var id in resourceIds)
        {
            if (_keysByResource.TryRemove(id, out var keys))
            {
                foreach (var key in keys.Keys)
                {
                    Remove(key);
                }
            }
        }
    }

    /// <summary>Turns caching on (the listener is connected) or off (it is not), starting empty either way.</summary>
    public void SetEnabled(bool enabled)
    {
        _enabled = false;
        Interlocked.Increment(ref _generation);
        _entries.Clear();
        _keysByResource.Clear();
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
                connection.Notification += (_, notification) =>
                    cache.Invalidate(notification.Payload.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Guid.Parse));
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
