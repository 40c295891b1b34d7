#if BENCHMARK
using System.Collections.Concurrent;

namespace Paco.Api.Common;

/// <summary>
/// Only in the benchmark build (-p:PacoBench=true): a constant byte array of a given size with the headers of a
/// cached organ. Measured in the same run as the real endpoints, it is the ceiling their ratio is taken against.
/// </summary>
public static class BenchmarkCeiling
{
    private static readonly ConcurrentDictionary<int, byte[]> Bodies = new();

    public static IEndpointRouteBuilder MapBenchmarkCeiling(this IEndpointRouteBuilder app)
    {
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
        return app;
    }
}
#endif
