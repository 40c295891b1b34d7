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

    /// <summary>The largest request body accepted on writes (413 above it).</summary>
    public const long RequestBodyBytes = 1024 * 1024;

    /// <summary>Path segments a slug cannot take because they are routes.</summary>
    public static readonly IReadOnlyList<string> ReservedSlugs = ["tree", "draft", "history", "diff", "revisions"];
}

public static class RequestBodies
{
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
