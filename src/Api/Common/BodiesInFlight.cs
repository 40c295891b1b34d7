using System.Threading.RateLimiting;

namespace Paco.Api.Common;

/// <summary>
/// How much large-body work the service does at once, and handing back the memory a burst of it took.
/// <para>
/// A document write takes its body through several times its size (the parsed tree, the document, the stored JSON, the
/// answer). Document writes in flight together may hold at most RequestBodies:BytesInFlight (8 MiB by default; never less
/// than one largest body) of bodies, counted by declared length (a body without one counts as the largest accepted).
/// Past it, writes wait their turn, oldest first (the framework's concurrency limiter); past RequestBodies:BytesQueued
/// (256 MiB) waiting, they are answered 503 with Retry-After. A waiting write costs little: the socket transport reads
/// only 64 KiB of a body ahead of the app (Program.cs).
/// </para>
/// <para>
/// After a burst the process would keep what it took for good: an idle service allocates nothing, so no collection runs
/// and the garbage of the burst stays committed, and pooled arrays are only dropped by collections that find them unused
/// for a while (JSON buffers come from <see cref="PacoJson.Buffers"/>, which keeps few). So RequestBodies:ReleaseAfter (1 min 5 s; 0 turns it off) after the last large write,
/// once at least <see cref="ReleaseAtBytes"/> of bodies went through since the last time, one full compacting collection
/// hands that memory back to the system (bench/MEMORY.md has the figures).
/// </para>
/// </summary>
public sealed class BodiesInFlight : IDisposable
{
    public const string InFlightSetting = "RequestBodies:BytesInFlight";
    public const string QueuedSetting = "RequestBodies:BytesQueued";
    public const string ReleaseAfterSetting = "RequestBodies:ReleaseAfter";
    public const long ReleaseAtBytes = 16L * 1024 * 1024;
    private const int Unit = 4096; // permits are 4 KiB of body: a small patch takes one

    private readonly ConcurrencyLimiter _limiter;
    private readonly int _permits;
    private readonly TimeSpan _releaseAfter;
    private readonly ITimer _release;
    private readonly ILogger<BodiesInFlight> _logger;
    private long _bytesSinceRelease;

    public BodiesInFlight(IConfiguration configuration, TimeProvider clock, ILogger<BodiesInFlight> logger)
    {
        _logger = logger;
        _permits = Units(Math.Max(configuration.GetValue(InFlightSetting, 8L * 1024 * 1024), Limits.RequestBodyBytes));
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = _permits,
            QueueLimit = Units(Math.Max(configuration.GetValue(QueuedSetting, 256L * 1024 * 1024), 0)),
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        _releaseAfter = configuration.GetValue(ReleaseAfterSetting, TimeSpan.FromSeconds(65));
        _release = clock.CreateTimer(_ => Release(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    private static int Units(long bytes) => (int)((bytes + Unit - 1) / Unit);

    /// <summary>Waits for room for the request's body; the lease says whether it got it. Dispose the result when the work is done.</summary>
    public async ValueTask<Entered> EnterAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        // Counted up to the endpoint's own limit (a document's 1 MiB, an import's 5 MiB), and never more than the whole budget.
        var limit = request.HttpContext.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? Limits.RequestBodyBytes;
        var bytes = Math.Min(request.ContentLength ?? limit, limit);
        return new Entered(this, await _limiter.AcquireAsync(Math.Clamp(Units(bytes), 1, _permits), cancellationToken), bytes);
    }

    private void Left(long bytes)
    {
        if (Interlocked.Add(ref _bytesSinceRelease, bytes) >= ReleaseAtBytes && _releaseAfter > TimeSpan.Zero)
        {
            _release.Change(_releaseAfter, Timeout.InfiniteTimeSpan); // each large write that ends puts it off again
        }
    }

    private void Release()
    {
        if (_limiter.GetStatistics()?.CurrentAvailablePermits < _permits)
        {
            _release.Change(_releaseAfter, Timeout.InfiniteTimeSpan); // still busy: later
            return;
        }
        var bytes = Interlocked.Exchange(ref _bytesSinceRelease, 0);
        var before = GC.GetGCMemoryInfo().TotalCommittedBytes;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        _logger.LogInformation("Large writes ended ({Bytes} MiB of bodies): one full collection took the managed heap's committed memory from {Before} MiB to {After} MiB",
            bytes / 1048576, before / 1048576, GC.GetGCMemoryInfo().TotalCommittedBytes / 1048576);
    }

    public void Dispose()
    {
        _release.Dispose();
        _limiter.Dispose();
    }

    /// <summary>Room for one body, given back (and counted towards a release) when disposed.</summary>
    public readonly struct Entered(BodiesInFlight owner, RateLimitLease lease, long bytes) : IDisposable
    {
        public bool IsAcquired => lease.IsAcquired;

        public void Dispose()
        {
            var acquired = lease.IsAcquired;
            lease.Dispose();
            if (acquired)
            {
                owner.Left(bytes);
            }
        }
    }
}

public static class BodiesInFlightFilter
{
    /// <summary>The endpoint's work happens within <see cref="BodiesInFlight"/>: it waits for room, or answers 503.</summary>
    public static RouteHandlerBuilder WithinBodiesInFlight(this RouteHandlerBuilder builder) => builder
        .AddEndpointFilterFactory((factory, next) =>
        {
            var budget = factory.ApplicationServices.GetRequiredService<BodiesInFlight>();
            return async context =>
            {
                var http = context.HttpContext;
                using var entered = await budget.EnterAsync(http.Request, http.RequestAborted);
                if (!entered.IsAcquired)
                {
                    return Problems.Busy(http, "Too many large writes are waiting already; nothing was saved. Retry in a moment.");
                }
                return await next(context);
            };
        });
}
