using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Paco.Api.Common;

/// <summary>Every error answer is RFC 9457 problem+json with a message a person can act on.</summary>
public static class Problems
{
    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    public static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest, title: "Bad request");

    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        problem.Instance ??= context.HttpContext.Request.Path;
        problem.Extensions.TryAdd("traceId", Activity.Current?.Id ?? context.HttpContext.TraceIdentifier);
    }
}

/// <summary>Turns failures that are the client's doing into 4xx problems, and conflicts in the database into 409.</summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, "Bad request", Describe(bad)),
            PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg =>
                (StatusCodes.Status409Conflict, "Conflict", $"A resource with the same identity already exists ({pg.ConstraintName})."),
            PostgresException { SqlState: PostgresErrorCodes.ForeignKeyViolation } pg =>
                (StatusCodes.Status409Conflict, "Conflict", $"The change refers to something that does not exist or is still referred to ({pg.ConstraintName})."),
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested =>
                (499, "Client closed request", "The client closed the connection."),
            _ => (StatusCodes.Status500InternalServerError, "Internal server error", "An unexpected error occurred; it has been logged with the trace id below."),
        };
        if (status >= 500)
        {
            logger.LogError(exception, "Unhandled exception for {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
        }
        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }

    private static string Describe(BadHttpRequestException exception) =>
        exception.InnerException is FormatException or System.Text.Json.JsonException
            ? $"{exception.Message} {exception.InnerException.Message}"
            : exception.Message;
}
