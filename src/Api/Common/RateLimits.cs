using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Paco.Api.Common;

/// <summary>
/// The framework's rate limiter, per client address. RateLimiting:AnonymousPermitsPerMinute (0, the default: no limit)
/// bounds the requests a client without a valid key makes in a minute, cached answers included: the limiter runs before
/// <c>UseCachedAnswers</c>, and after the keys a request carries were checked, so a made-up key does not escape it.
/// Health checks are never limited. A refused request is answered 429 problem+json with Retry-After.
/// </summary>
public static class RateLimits
{
    public const string AnonymousPermitsSetting = "RateLimiting:AnonymousPermitsPerMinute";

    public static IServiceCollection AddPacoRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var anonymousPermits = configuration.GetValue(AnonymousPermitsSetting, 0);
        return services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, (bool Limited, IPAddress Address)>(http =>
                anonymousPermits > 0 && IsAnonymous(http)
                    ? RateLimitPartition.GetFixedWindowLimiter((true, ClientAddress.Of(http)), _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = anonymousPermits,
                        Window = TimeSpan.FromMinutes(1),
                        QueueLimit = 0,
                    })
                    : RateLimitPartition.GetNoLimiter((false, IPAddress.None)));
            options.OnRejected = (context, _) => new ValueTask(RejectAsync(context.HttpContext,
                context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : null,
                $"Too many requests without an API key from this address: the limit is {anonymousPermits} a minute. Retry later, or use a key."));
        });
    }

    /// <summary>Where the anonymous limit applies: after the keys are checked, before the cached answers. Nothing when it is off.</summary>
    public static IApplicationBuilder UseAnonymousRateLimit(this IApplicationBuilder app, IConfiguration configuration) =>
        configuration.GetValue(AnonymousPermitsSetting, 0) > 0 ? app.UseRateLimiter() : app;

    private static bool IsAnonymous(HttpContext http) =>
        http.User.Identity?.IsAuthenticated != true && !http.Request.Path.StartsWithSegments("/health");

    /// <summary>429 problem+json, with Retry-After in whole seconds (at least 1).</summary>
    public static async Task RejectAsync(HttpContext http, TimeSpan? retryAfter, string detail)
    {
        var response = http.Response;
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        var seconds = Math.Max(1, (int)Math.Ceiling((retryAfter ?? TimeSpan.FromMinutes(1)).TotalSeconds));
        response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = detail,
                Extensions = { ["retryAfterSeconds"] = seconds },
            },
        });
    }
}

/// <summary>The address a limit is counted against.</summary>
public static class ClientAddress
{
    /// <summary>
    /// The client's IP address (behind a proxy, what the forwarded-headers middleware put there); an IPv6 client is
    /// counted by its /64, which one subscriber usually holds whole. No address (an in-process test server): one shared key.
    /// </summary>
    public static IPAddress Of(HttpContext http)
    {
        var address = http.Connection.RemoteIpAddress;
        if (address is null)
        {
            return IPAddress.IPv6None;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes);
    }
}
