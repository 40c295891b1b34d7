using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Paco.Api.Common;

/// <summary>
/// The order a list asks for with ?sort=: a field name, or the name after '-' for descending ("-name"). The values a
/// list accepts are the [AllowedValues] of its Sort property: the validator refuses others (400 listing them) and
/// OpenAPI shows them as the parameter's enum.
/// </summary>
public readonly record struct ListSort(string Field, bool Descending)
{
    public static ListSort Parse(string? sort, string defaultSort)
    {
        var value = string.IsNullOrEmpty(sort) ? defaultSort : sort;
        return value.StartsWith('-') ? new(value[1..], true) : new(value, false);
    }

    /// <summary>The values the query record's property accepts ([AllowedValues]), in their order.</summary>
    public static IReadOnlyList<string> AllowedFor<TQuery>(string property) =>
        typeof(TQuery).GetProperty(property)?.GetCustomAttribute<AllowedValuesAttribute>()?.Values.Select(v => v!.ToString()!).ToList()
        ?? throw new InvalidOperationException($"{typeof(TQuery).Name}.{property} has no [AllowedValues].");
}

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

public static class AllowedValuesRegistration
{
    public static IServiceCollection AddAllowedValuesInOpenApi(this IServiceCollection services)
    {
        services.ConfigureSwaggerGen(options => options.ParameterFilter<AllowedValuesParameterFilter>());
        return services;
    }
}
