using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Npgsql;

namespace Paco.Api.Common;

/// <summary>Every error answer is RFC 9457 problem+json with a message a person can act on.</summary>
public static class Problems
{
    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    public static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest, title: "Bad request");

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict");

    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");

    public static ProblemHttpResult PreconditionRequired(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status428PreconditionRequired, title: "Precondition required", detail: detail);

    /// <summary>503 with Retry-After: 1, for work refused because too much of its kind is already waiting (nothing was done).</summary>
    public static ProblemHttpResult Busy(HttpContext http, string detail)
    {
        http.Response.Headers.RetryAfter = "1";
        return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service unavailable", detail: detail);
    }

    /// <summary>412 with the current ETag in the header and in the problem, so the client can read again and retry.</summary>
    public static ProblemHttpResult PreconditionFailed(HttpContext http, string currentETag, string detail)
    {
        http.Response.Headers.ETag = currentETag;
        return TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "Precondition failed", detail: detail,
            extensions: new Dictionary<string, object?> { ["currentETag"] = currentETag });
    }

    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        // Answers written by the framework itself (no route, wrong method or media type) get a useful detail too.
        problem.Detail ??= problem.Status switch
        {
            StatusCodes.Status404NotFound => $"Nothing is at {context.HttpContext.Request.Path}. The API lives under /api/v1; its OpenAPI document is /swagger/v1/swagger.json.",
            StatusCodes.Status405MethodNotAllowed => $"{context.HttpContext.Request.Method} is not allowed on {context.HttpContext.Request.Path}.",
            StatusCodes.Status415UnsupportedMediaType => "This Content-Type is not accepted here: send application/json (PATCH takes application/merge-patch+json).",
            StatusCodes.Status413PayloadTooLarge => $"The body is larger than the {BodyLimit(context.HttpContext)} bytes this operation accepts.",
            _ => null,
        };
        // One stable type per kind of error (ProblemTypes), in place of the framework's links to RFC sections.
        if (problem.Type is null || problem.Type.StartsWith("https://tools.ietf.org/", StringComparison.Ordinal))
        {
            var status = problem.Status ?? context.HttpContext.Response.StatusCode;
            problem.Type = (problem is HttpValidationProblemDetails ? ProblemTypes.Validation : ProblemTypes.ForStatus(status))?.Uri ?? "about:blank";
        }
        if (problem is HttpValidationProblemDetails)
        {
            // Its messages are in the language Accept-Language asked for (Languages); a cache keeps each language apart.
            context.HttpContext.Response.Headers.ContentLanguage = Languages.Current;
            context.HttpContext.Response.Headers.Append(Microsoft.Net.Http.Headers.HeaderNames.Vary, Microsoft.Net.Http.Headers.HeaderNames.AcceptLanguage);
        }
        problem.Instance ??= context.HttpContext.Request.Path;
        problem.Extensions.TryAdd("traceId", Activity.Current?.Id ?? context.HttpContext.TraceIdentifier);
    }

    private static long BodyLimit(HttpContext http) =>
        http.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? Limits.SmallRequestBodyBytes;
}

/// <summary>A change that would leave stored content inconsistent (a cycle in the published hierarchy, say); answered 409.</summary>
public sealed class ConflictException(string message) : Exception(message);

/// <summary>
/// Turns failures that are the client's doing into 4xx problems, conflicts in the database into 409, and an unreachable
/// database into 503 with Retry-After. Server-side failures are logged once per kind per interval (<see cref="FailureLog"/>):
/// an outage is one line, not a stack trace per request.
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger, DatabaseOutage database, FailureLog failures)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is Microsoft.EntityFrameworkCore.DbUpdateException { InnerException: PostgresException inner })
        {
            exception = inner;
        }
        if (DatabaseOutage.IsConnectionFailure(exception, out var cause))
        {
            database.ReportUnreachable(cause);
            database.CountUnavailableAnswer();
            httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            httpContext.Response.Headers.RetryAfter = DatabaseOutage.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = httpContext,
                Exception = exception,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status503ServiceUnavailable,
                    Title = "Service unavailable",
                    Detail = DatabaseOutage.UnavailableDetail,
                },
            });
        }
        var (status, title, detail) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Payload too large" : "Bad request", Describe(bad, httpContext)),
            ConflictException conflict => (StatusCodes.Status409Conflict, "Conflict", conflict.Message),
            PostgresException { SqlState: PostgresErrorCodes.UntranslatableCharacter or PostgresErrorCodes.CharacterNotInRepertoire } =>
                (StatusCodes.Status400BadRequest, "Bad request", "Text must not contain the NUL character (\\u0000) or invalid Unicode."),
            PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure } =>
                (StatusCodes.Status409Conflict, "Conflict", "Another change to the same content ran at the same moment; nothing was saved. Read it again and retry."),
            // Constraint names are the schema's, not the client's vocabulary: the detail says what happened, not where.
            PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } =>
                (StatusCodes.Status409Conflict, "Conflict", "Something with the same slug or identity was created at the same moment; nothing was saved. Read the list again and choose another slug, or retry."),
            PostgresException { SqlState: PostgresErrorCodes.ForeignKeyViolation } =>
                (StatusCodes.Status409Conflict, "Conflict", "The change refers to something that does not exist (or no longer does); nothing was saved."),
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested =>
                (499, "Client closed request", "The client closed the connection."),
            _ => (StatusCodes.Status500InternalServerError, "Internal server error", "An unexpected error occurred; it has been logged with the trace id below."),
        };
        if (status >= 500)
        {
            // A bug repeats for every request that meets it: its stack trace once per interval (per exception, error code
            // and endpoint, so one bug never hides another) is enough to find it.
            var postgres = exception as PostgresException;
            var statement = postgres?.BatchCommand?.CommandText;
            failures.Report(logger, LogLevel.Error,
                $"unhandled {exception.GetType().FullName} {postgres?.SqlState} at {exception.TargetSite} for {httpContext.GetEndpoint()?.DisplayName ?? httpContext.Request.Path}",
                $"Unhandled exception for {httpContext.Request.Method} {httpContext.Request.Path}" + (statement is null ? "" : $"; the statement was: {statement}"),
                exception);
        }
        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }

    // "Failed to bind parameter "Nullable<int> Page" from "abc"." → "'page' must be a whole number; 'abc' is not."
    private static readonly System.Text.RegularExpressions.Regex BindFailure =
        new("""^Failed to bind parameter "(?<type>.+) (?<name>\w+)" from "(?<value>.*)"\.$""", System.Text.RegularExpressions.RegexOptions.Compiled);

    private static string Describe(BadHttpRequestException exception, HttpContext httpContext)
    {
        if (exception.InnerException is System.Text.Json.JsonException json)
        {
            return JsonErrors.Describe(json, httpContext.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.RequestType);
        }
        if (exception.InnerException is InvalidOperationException { InnerException: System.Text.DecoderFallbackException })
        {
            return "The body is not valid UTF-8 text: JSON must be UTF-8 (RFC 8259 §8.1).";
        }
        var match = BindFailure.Match(exception.Message);
        if (!match.Success)
        {
            return exception.Message;
        }
        var name = match.Groups["name"].Value;
        var type = match.Groups["type"].Value;
        var expected = type.Contains("int", StringComparison.OrdinalIgnoreCase) ? "a whole number"
            : type.Contains("bool", StringComparison.OrdinalIgnoreCase) ? "true or false"
            : type.Contains("Guid", StringComparison.Ordinal) ? "a UUID"
            : $"a valid {type}";
        return $"'{char.ToLowerInvariant(name[0])}{name[1..]}' must be {expected}; '{match.Groups["value"].Value}' is not.";
    }
}

/// <summary>
/// Writes a problem whatever the request's Accept says (text/html, application/xml…): an error is always answered
/// as application/problem+json, which every client can read, rather than with an empty body or a 500. The framework's
/// own writer goes first and handles the usual case; this one takes what it declines.
/// </summary>
public sealed class AnyAcceptProblemWriter(Microsoft.Extensions.Options.IOptions<ProblemDetailsOptions> options) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public async ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var response = context.HttpContext.Response;
        problem.Status ??= response.StatusCode;
        problem.Title ??= ReasonPhrases.GetReasonPhrase(problem.Status.Value);
        options.Value.CustomizeProblemDetails?.Invoke(context);
        response.ContentType = "application/problem+json";
        await System.Text.Json.JsonSerializer.SerializeAsync(response.Body, problem, PacoJson.Options, context.HttpContext.RequestAborted);
    }
}
