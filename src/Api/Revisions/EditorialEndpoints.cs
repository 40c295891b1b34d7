using Microsoft.AspNetCore.Mvc;
using Paco.Api.Auth;
using Paco.Api.Common;

namespace Paco.Api.Revisions;

/// <summary>Conventions every editorial route shares: the role it needs inside the institution, and its documented answers.</summary>
public static class EditorialEndpoints
{
    public static RouteHandlerBuilder Editorial(this RouteHandlerBuilder builder, string policy, string name, string summary) => builder
        .RequireRoleInInstitution(policy)
        .WithName(name)
        .WithSummary(summary)
        .WithTags("Editorial")
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status404NotFound);

    /// <summary>Writes to an existing resource need If-Match, and answer 412/428 otherwise.</summary>
    public static RouteHandlerBuilder Conditional(this RouteHandlerBuilder builder) => builder
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status412PreconditionFailed)
        .ProducesProblem(StatusCodes.Status428PreconditionRequired);

    /// <summary>Refuses bodies over <see cref="Limits.RequestBodyBytes"/> with 413 before they are read.</summary>
    public static RouteHandlerBuilder LimitedBody(this RouteHandlerBuilder builder) => builder
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .AddEndpointFilter(async (context, next) =>
        {
            var request = context.HttpContext.Request;
            if (request.ContentLength > Limits.RequestBodyBytes)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload too large",
                    detail: $"The body has {request.ContentLength} bytes; the limit is {Limits.RequestBodyBytes}.");
            }
            return await next(context);
        });
}
