using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Net.Http.Headers;
using Paco.Api.Common;

namespace Paco.Api.Auth;

/// <summary>
/// Failed authentications per client address, counted with the framework's rate limiter: after
/// RateLimiting:FailedAuthenticationsPerMinute failures (10 by default; 0: no limit) in a minute, every request from the
/// address that carries a key is answered 429 with Retry-After until the minute is over, without looking the key up.
/// </summary>
public sealed class FailedAuthentications : IDisposable
{
    public const string Setting = "RateLimiting:FailedAuthenticationsPerMinute";

    private readonly PartitionedRateLimiter<IPAddress>? _failures;

    public FailedAuthentications(IConfiguration configuration)
    {
        Limit = configuration.GetValue(Setting, 10);
        if (Limit > 0)
        {
            _failures = PartitionedRateLimiter.Create<IPAddress, IPAddress>(address => RateLimitPartition.GetFixedWindowLimiter(address,
                _ => new FixedWindowRateLimiterOptions { PermitLimit = Limit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        }
    }

    public int Limit { get; }

    /// <summary>Whether the address has used up its failures for this minute, and when it may try again.</summary>
    public bool Blocked(IPAddress address, out TimeSpan? retryAfter)
    {
        retryAfter = null;
        if (_failures is null)
        {
            return false;
        }
        using var lease = _failures.AttemptAcquire(address, 0); // 0 permits: only asks whether any are left
        if (lease.IsAcquired)
        {
            return false;
        }
        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : null;
        return true;
    }

    public void Record(IPAddress address) => _failures?.AttemptAcquire(address, 1).Dispose();

    public void Dispose() => _failures?.Dispose();
}

public static class FailedAuthenticationLimit
{
    /// <summary>
    /// Checks the key of every request that carries one, here, before the cached answers and the anonymous limit (the
    /// result is kept for the request: UseAuthentication does not look it up again), so that a failure counts whatever
    /// the route, a made-up key is not a way around the anonymous limit, and a blocked address costs no key look-up.
    /// </summary>
    public static IApplicationBuilder UseFailedAuthenticationLimit(this IApplicationBuilder app)
    {
        var failures = app.ApplicationServices.GetRequiredService<FailedAuthentications>();
        return app.Use(async (http, next) =>
        {
            if (!http.Request.Headers.ContainsKey(HeaderNames.Authorization))
            {
                await next(http);
                return;
            }
            var address = ClientAddress.Of(http);
            if (failures.Blocked(address, out var retryAfter))
            {
                await RateLimits.RejectAsync(http, retryAfter,
                    $"Too many failed authentications from this address: the limit is {failures.Limit} a minute. Retry later with a valid key.");
                return;
            }
            AuthenticateResult result;
            try
            {
                result = await http.AuthenticateAsync();
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The key could not be checked (the database does not answer): no failure of the client's. A public
                // answer in the cache may still be served; anything else fails in UseAuthentication, which gets the
                // same outcome (the handler keeps it for the request) and the exception handler answers it.
                await next(http);
                return;
            }
            if (result.Succeeded)
            {
                http.User = result.Principal;
            }
            else if (result.Failure is not null)
            {
                failures.Record(address);
            }
            await next(http);
        });
    }
}
