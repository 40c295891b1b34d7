using Microsoft.AspNetCore.Http.HttpResults;

namespace Paco.Api.Common;

/// <summary>
/// The one rule every <c>?at=</c> follows: any ISO 8601 offset names the same instant (binding reads it), and an instant
/// still to come is refused with a 400 rather than answered with today's content.
/// </summary>
public static class PointInTime
{
    /// <param name="what">What looks at the past here ("reads", "exports", "reports"), for the message.</param>
    public static ProblemHttpResult? RefuseFuture(DateTimeOffset? at, TimeProvider clock, string what) =>
        at is { } instant && instant > clock.GetUtcNow()
            ? Problems.BadRequest($"'at' ({instant:O}) is in the future; point-in-time {what} look at the past. Leave 'at' out for what is published now.")
            : null;
}
