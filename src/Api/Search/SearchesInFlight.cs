using System.Threading.RateLimiting;
using Paco.Api.Common;

namespace Paco.Api.Search;

/// <summary>
/// How many searches the database works on at once: Search:Concurrency (by default the processor count), the
/// others waiting their turn, oldest first (the framework's concurrency limiter), up to Search:QueueLimit (1000)
/// waiting; past it a search is answered 503 with Retry-After. Answers kept in the in-process cache never wait.
/// <para>
/// Why: under a burst, each search is a PostgreSQL backend's CPU. With 32 at once on two cores, the CPU is shared among
/// them all, so each takes 16 times its own cost, and the costly ones that many times longer; in turn, a search waits
/// for those ahead of it and then takes its own time: the same average, less spread (bench/SEARCH.md, last section).
/// </para>
/// </summary>
public sealed class SearchesInFlight : IDisposable
{
    public const string ConcurrencySetting = "Search:Concurrency";
    public const string QueueLimitSetting = "Search:QueueLimit";

    private readonly ConcurrencyLimiter _limiter;

    public SearchesInFlight(IConfiguration configuration)
    {
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = Math.Max(1, configuration.GetValue(ConcurrencySetting, Environment.ProcessorCount)),
            QueueLimit = Math.Max(0, configuration.GetValue(QueueLimitSetting, 1000)),
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>Waits for a turn; the lease says whether it got one (not when the queue is full). Dispose it when the search is done.</summary>
    public ValueTask<RateLimitLease> EnterAsync(CancellationToken cancellationToken) => _limiter.AcquireAsync(1, cancellationToken);

    public void Dispose() => _limiter.Dispose();
}

public static class SearchesInFlightFilter
{
    /// <summary>
    /// The search's work happens within <see cref="SearchesInFlight"/>. Added after the in-process cache's filter, so a
    /// kept answer is served without waiting.
    /// </summary>
    public static TBuilder WithinSearchesInFlight<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder => builder
        .AddEndpointFilterFactory((factory, next) =>
        {
            var searches = factory.ApplicationServices.GetRequiredService<SearchesInFlight>();
            return async context =>
            {
                var http = context.HttpContext;
                using var lease = await searches.EnterAsync(http.RequestAborted);
                if (!lease.IsAcquired)
                {
                    return Problems.Busy(http, "Too many searches are waiting already. Retry in a moment.");
                }
                return await next(context);
            };
        });
}
