using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Paco.Api.Common;

/// <summary>Says in the document's description what holds for every operation and has no operation of its own.</summary>
public sealed class HttpConventionsDocumentFilter : IDocumentFilter
{
    public const string Note =
        " Every GET operation also answers HEAD (same status and headers, no body). JSON answers of 1 KB or more are sent with br or gzip when Accept-Encoding asks for it; each coding has its own ETag (\"…-br\", \"…-gz\"). Query parameters an operation does not list are answered 400.";

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        if (document.Info is { } info && info.Description?.Contains(Note, StringComparison.Ordinal) != true)
        {
            info.Description += Note;
        }
    }
}

public static class HttpConventionsRegistration
{
    /// <summary>The OpenAPI side of the HTTP conventions: the note on HEAD, compression and unknown parameters.</summary>
    public static IServiceCollection AddHttpConventionsInOpenApi(this IServiceCollection services)
    {
        services.ConfigureSwaggerGen(options =>
        {
            options.DocumentFilter<HttpConventionsDocumentFilter>();
        });
        return services;
    }
}
