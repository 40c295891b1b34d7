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
        app.MapGet("/bench/ceiling/{bytes:int:range(1,10000000)}", (int bytes, HttpContext http) =>
        {
            var body = Bodies.GetOrAdd(bytes, size => Enumerable.Repeat((byte)'x', size).ToArray());
            http.Response.Headers.ETag = "\"ceiling\"";
            http.Response.Headers.CacheControl = "public, max-age=60, stale-while-revalidate=300";
            return TypedResults.Bytes(body, "application/json; charset=utf-8");
        }).ExcludeFromDescription();
        return app;
    }
}
#endif
