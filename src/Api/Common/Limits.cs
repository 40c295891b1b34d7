namespace Paco.Api.Common;

/// <summary>Limits shared by validation and the schema, in one place.</summary>
public static class Limits
{
    public const string SlugPattern = "^[a-z0-9]+(-[a-z0-9]+)*$";
    public const int SlugLength = 120;
    public const int NameLength = 300;
    public const int AcronymLength = 30;
    public const int StatementLength = 5000;
    public const int ValueLength = 300;
    public const int Values = 100;
    public const int CompetenceTextLength = 10_000;
    public const int Competences = 1000;
    public const int LabelLength = 20;
    public const int Citations = 50;
    public const int FragmentLength = 20;
    public const int TitleLength = 1000;
    public const int SummaryLength = 10_000;
    public const int UrlLength = 2000;

    /// <summary>The largest document body accepted (POST, PUT, PATCH of a versioned resource; 413 above it).</summary>
    public const long RequestBodyBytes = 1024 * 1024;

    /// <summary>The largest text an import reads (a structure law, a saved page), and the largest proposal applied; 413 above it.</summary>
    public const long ImportBodyBytes = 5 * 1024 * 1024;

    /// <summary>
    /// The largest body of every other request (publish, archive, restore, keys, institutions: a few hundred bytes),
    /// which the framework binds: the server's limit, raised to <see cref="RequestBodyBytes"/> only for document writes.
    /// </summary>
    public const long SmallRequestBodyBytes = 64 * 1024;

    /// <summary>Path segments a slug cannot take because they are routes.</summary>
    public static readonly IReadOnlyList<string> ReservedSlugs = ["tree", "drafts", "draft", "history", "diff", "revisions"];
}

public static class RequestBodies
{
    /// <summary>
    /// Bodies up to <paramref name="limit"/> bytes (by default <see cref="Limits.SmallRequestBodyBytes"/>). The limit is
    /// endpoint metadata, which routing hands to the server before anything reads the body: Kestrel refuses a larger
    /// declared length, and stops a chunked body at the limit, with 413. A filter answers 413 for a declared length
    /// above it on servers that cannot limit bodies themselves (the in-memory test server).
    /// </summary>
    public static RouteHandlerBuilder LimitedBody(this RouteHandlerBuilder builder, long limit = Limits.SmallRequestBodyBytes) => builder
        .WithMetadata(new BodySizeLimit(limit))
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .AddEndpointFilter(async (context, next) =>
        {
            var request = context.HttpContext.Request;
            if (request.ContentLength > limit)
            {
                return TooLarge(request.ContentLength.Value, limit);
            }
            return await next(context);
        });

    public static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult TooLarge(long? bytes, long limit) =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload too large",
            detail: bytes is long known ? $"The body has {known} bytes; the limit is {limit}." : $"The body is longer than the limit of {limit} bytes.");

    private sealed record BodySizeLimit(long? MaxRequestBodySize) : Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata;
}
