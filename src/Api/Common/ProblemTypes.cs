namespace Paco.Api.Common;

/// <summary>A kind of error: its stable <c>type</c> URI (RFC 9457 §3.1.1), the status it comes with, and what a client should do.</summary>
public sealed record ProblemType(string Name, int Status, string Title, string Description)
{
    /// <summary>
    /// Relative to the API's own address, so it is the same string on every deployment (compare it as a string) and
    /// resolves, against the URL of the request, to this type's description at /api/v1/problems/{name}.
    /// </summary>
    public string Uri => $"{ProblemTypes.BasePath}/{Name}";
}

/// <summary>Every kind of error the API answers with. A problem's <c>type</c> is one of these; <c>detail</c> says what happened this time.</summary>
public static class ProblemTypes
{
    public const string BasePath = "/api/v1/problems";

    public static readonly ProblemType BadRequest = new("bad-request", StatusCodes.Status400BadRequest, "Bad request",
        "The request cannot be taken as sent: a query parameter, a header or the body is malformed or out of range. 'detail' says which and how to fix it.");

    public static readonly ProblemType Validation = new("validation", StatusCodes.Status400BadRequest, "Validation failed",
        "One or more fields or parameters are invalid. 'errors' maps each one (a JSON path such as competences[2].text, or a parameter name) to what is wrong with it.");

    public static readonly ProblemType UnknownQueryParameter = new("unknown-query-parameter", StatusCodes.Status400BadRequest, "Unknown query parameter",
        "The query has a parameter this operation does not take (a misspelt filter, say), which would otherwise be ignored. 'unknown' lists them and 'allowed' the ones the operation takes.");

    public static readonly ProblemType Unauthorized = new("unauthorized", StatusCodes.Status401Unauthorized, "Unauthorized",
        "This operation needs an API key ('Authorization: Bearer paco_…'), and none was sent, or it is unknown, revoked or expired.");

    public static readonly ProblemType Forbidden = new("forbidden", StatusCodes.Status403Forbidden, "Forbidden",
        "The API key is valid but its role or institution does not allow this operation. Ask an admin of the institution for a key with the role named in 'detail'.");

    public static readonly ProblemType NotFound = new("not-found", StatusCodes.Status404NotFound, "Not found",
        "Nothing is at this address: an unknown institution, resource, revision or route. 'detail' says which part was not found.");

    public static readonly ProblemType MethodNotAllowed = new("method-not-allowed", StatusCodes.Status405MethodNotAllowed, "Method not allowed",
        "The address exists, but not with this HTTP method; the Allow header lists the ones it has.");

    public static readonly ProblemType NotAcceptable = new("not-acceptable", StatusCodes.Status406NotAcceptable, "Not acceptable",
        "Accept-Encoding refuses every content coding the answer has (identity;q=0 without br or gzip). Accept br, gzip or identity.");

    public static readonly ProblemType Conflict = new("conflict", StatusCodes.Status409Conflict, "Conflict",
        "The change cannot be made in the current state (already archived, not published, a slug taken at the same moment, a cycle in the hierarchy). Nothing was saved; read the resource again.");

    public static readonly ProblemType Gone = new("gone", StatusCodes.Status410Gone, "Gone",
        "The resource was archived: it is no longer published. 'archivedAt' and 'reason' say when and why; its revisions stay readable.");

    public static readonly ProblemType PreconditionFailed = new("precondition-failed", StatusCodes.Status412PreconditionFailed, "Precondition failed",
        "If-Match did not match: someone changed the resource since you read it. 'currentETag' (and the ETag header) is the current one: read it again, reapply your change, and send that ETag.");

    public static readonly ProblemType PayloadTooLarge = new("payload-too-large", StatusCodes.Status413PayloadTooLarge, "Payload too large",
        "The body is larger than this operation accepts; 'detail' gives the limit in bytes.");

    public static readonly ProblemType UnsupportedMediaType = new("unsupported-media-type", StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
        "The Content-Type is not one this operation accepts: application/json, or application/merge-patch+json for PATCH; text/plain or text/html for an import.");

    public static readonly ProblemType PreconditionRequired = new("precondition-required", StatusCodes.Status428PreconditionRequired, "Precondition required",
        "Changes to an existing resource need If-Match with the ETag you last read (of its draft, for documents), so that no one overwrites a change they have not seen.");

    public static readonly ProblemType TooManyRequests = new("too-many-requests", StatusCodes.Status429TooManyRequests, "Too many requests",
        "Too many requests (without a key, or with failed authentications) from this address in a minute. Wait the seconds in Retry-After.");

    public static readonly ProblemType InternalError = new("internal-error", StatusCodes.Status500InternalServerError, "Internal server error",
        "An unexpected error, logged with the 'traceId' of the answer; report it with that id. Nothing half-done was saved.");

    public static readonly ProblemType ServiceUnavailable = new("service-unavailable", StatusCodes.Status503ServiceUnavailable, "Service unavailable",
        "The database cannot be reached for now. Retry after the seconds in Retry-After; published content already cached is still served.");

    public static readonly IReadOnlyList<ProblemType> All =
    [
        BadRequest, Validation, UnknownQueryParameter, Unauthorized, Forbidden, NotFound, MethodNotAllowed, NotAcceptable, Conflict, Gone, PreconditionFailed,
        PayloadTooLarge, UnsupportedMediaType, PreconditionRequired, TooManyRequests, InternalError, ServiceUnavailable,
    ];

    /// <summary>The type of a problem with this status, when the code that made it did not choose one (400 is bad-request).</summary>
    public static ProblemType? ForStatus(int status) => All.FirstOrDefault(t => t.Status == status && t != Validation && t != UnknownQueryParameter);

    public static ProblemType? Named(string name) => All.FirstOrDefault(t => t.Name == name);
}
