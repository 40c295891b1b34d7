using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Paco.Api.Common;
using Paco.Api.Revisions;

namespace Paco.Api.Tests.Editorial;

/// <summary>When the cache is full, what is being read stays and what was read once goes.</summary>
public sealed class CacheEvictionTests
{
    private const int Budget = 100 * 1024;
    private const int AnswerBytes = 4 * 1024;

    private static PublishedCache FullCache(out List<PublishedCache.CacheKey> keys, out NpgsqlDataSource dataSource)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Cache:MaxBytes"] = Budget.ToString() }).Build();
        // The outage watcher is only asked whether the database is unreachable; it never connects here.
        dataSource = NpgsqlDataSource.Create("Host=127.0.0.1;Port=1;Database=none");
        var cache = new PublishedCache(configuration, new DatabaseOutage(dataSource, new FailureLog(), NullLogger<DatabaseOutage>.Instance));
        cache.Trust();
        keys = [];
        for (var i = 0; i < 24; i++) // 96 KB of the 100
        {
            keys.Add(Add(cache, i));
        }
        return cache;
    }

    private static PublishedCache.CacheKey Add(PublishedCache cache, int i)
    {
        var body = new byte[AnswerBytes];
        new Random(i).NextBytes(body); // incompressible: each counts its own size
        var key = new PublishedCache.CacheKey($"/api/v1/answers/{i}", "");
        cache.Set(key, new PublishedCache.CacheEntry(Guid.NewGuid(), Guid.NewGuid(), ServedRepresentation.Of(body, $"\"{i}\"", "http://localhost"), DateTimeOffset.UnixEpoch),
            cache.Generation);
        return key;
    }

    [Test]
    public void A_full_cache_keeps_the_answers_being_read_and_drops_the_ones_read_once()
    {
        var cache = FullCache(out var keys, out var dataSource);
        using var _ = dataSource;
        Assert.That(cache.Count, Is.EqualTo(24), "all kept while under budget");
        var hot = keys.Where((_, i) => i % 4 == 0).ToList(); // six, spread over the order the cache walks
        var lost = new List<string>();
        for (var i = 0; i < 24; i++)
        {
            // Each hot answer is read between new answers, which make the cache go over its budget again and again.
            lost.AddRange(hot.Where(k => !cache.TryGet(k, out var _)).Select(k => $"{k.Path} after {i} new"));
            Add(cache, 100 + i);
        }
        Assert.That(lost, Is.Empty, "the answers read again and again are still kept");
        Assert.That(cache.Bytes, Is.LessThanOrEqualTo(Budget), "within the budget");
        Assert.That(keys.Except(hot).Count(k => cache.TryGet(k, out var _)), Is.LessThan(18), "answers never read again made room");
        Assert.That(cache.Count, Is.GreaterThanOrEqualTo(18), "about a quarter of the budget freed at a time, not everything");
    }
}
