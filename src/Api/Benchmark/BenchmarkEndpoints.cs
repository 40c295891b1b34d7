#if BENCHMARK
using System.Collections.Concurrent;

namespace Paco.Api.Benchmark;

/// <summary>
/// Only in the benchmark build (-p:PacoBench=true), and only when Benchmark:Endpoints is true (bench/run.sh sets it):
/// a constant byte array of a given size with the headers of a cached organ (measured in the same run as the real
/// endpoints, it is the ceiling their ratio is taken against), and where the memory goes.
/// </summary>
public static class BenchmarkCeiling
{
    private static readonly ConcurrentDictionary<int, byte[]> Bodies = new();

    public static WebApplication MapBenchmarkCeiling(this WebApplication app)
    {
        if (!app.Configuration.GetValue("Benchmark:Endpoints", false))
        {
            return app;
        }
        app.Logger.LogWarning("Benchmark endpoints are on (/bench/ceiling, /bench/memory): Benchmark:Endpoints is true");
        // Written the way CachedJson writes (headers, then the bytes): nothing an organ read could skip.
        app.MapGet("/bench/ceiling/{bytes:int:range(1,10000000)}", async (int bytes, HttpContext http) =>
        {
            var body = Bodies.GetOrAdd(bytes, size => Enumerable.Repeat((byte)'x', size).ToArray());
            var response = http.Response;
            response.Headers.ETag = "\"ceiling\"";
            response.Headers.CacheControl = "public, max-age=60, stale-while-revalidate=300";
            response.ContentType = "application/json; charset=utf-8";
            response.ContentLength = body.Length;
            await response.Body.WriteAsync(body, http.RequestAborted);
        }).ExcludeFromDescription();

        // Where the memory goes, for bench/RESULTS.md: the process, the GC heap by generation, and the cache.
        // ?collect=true first runs a full, compacting, aggressive collection: what is still there is what the process keeps.
        app.MapGet("/bench/memory", (Revisions.PublishedCache cache, bool? collect) =>
        {
            if (collect == true)
            {
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            }
            var gc = GC.GetGCMemoryInfo();
            var status = File.ReadLines("/proc/self/status").ToList();
            var rss = status.First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            var peak = status.First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)); // the highest RSS so far
            return TypedResults.Ok(new
            {
                rss = rss["VmRSS:".Length..].Trim(),
                rssPeak = peak["VmHWM:".Length..].Trim(),
                gcHeapMb = gc.HeapSizeBytes / 1048576,
                gcCommittedMb = gc.TotalCommittedBytes / 1048576,
                gcFragmentedMb = gc.FragmentedBytes / 1048576,
                generationsMb = gc.GenerationInfo.ToArray().Select(g => g.SizeAfterBytes / 1048576).ToArray(), // gen0, gen1, gen2, LOH, POH
                cacheEntries = cache.Count,
                cacheMb = cache.Bytes / 1048576,
                gcCounts = new[] { GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2) },
                // How long the process stood still for collections, and the last blocking full one (a compacting gen2 stops every request).
                gcPausedMs = (long)GC.GetTotalPauseDuration().TotalMilliseconds,
                lastFullBlockingGc = GC.GetGCMemoryInfo(GCKind.FullBlocking) is { Index: > 0 } full
                    ? new { index = full.Index, compacted = full.Compacted, pauseMs = full.PauseDurations[0].TotalMilliseconds } : null,
            });
        }).ExcludeFromDescription();
        return app;
    }
}
#endif
