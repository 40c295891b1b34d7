using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Paco.Api.Common;

/// <summary>Shows a query parameter's [AllowedValues] as its schema's enum, so generated clients know the closed set.</summary>
public sealed class AllowedValuesParameterFilter : IParameterFilter
{
    public void Apply(IOpenApiParameter parameter, ParameterFilterContext context)
    {
        var allowed = (context.ParameterInfo?.GetCustomAttribute<AllowedValuesAttribute>() ?? context.PropertyInfo?.GetCustomAttribute<AllowedValuesAttribute>())?.Values;
        if (allowed is not null && parameter.Schema is OpenApiSchema schema)
        {
            schema.Enum = allowed.Select(v => (System.Text.Json.Nodes.JsonNode)System.Text.Json.Nodes.JsonValue.Create(v!.ToString())!).ToList();
        }
    }
}

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
    /// <summary>The OpenAPI side of the HTTP conventions: closed sets of query values as enums, and the note on HEAD, compression and unknown parameters.</summary>
    public static IServiceCollection AddHttpConventionsInOpenApi(this IServiceCollection services)
    {
        services.ConfigureSwaggerGen(options =>
        {
            options.ParameterFilter<AllowedValuesParameterFilter>();
            options.DocumentFilter<HttpConventionsDocumentFilter>();
        });
        return services;
    }
}
