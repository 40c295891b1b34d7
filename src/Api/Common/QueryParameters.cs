using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace Paco.Api.Common;

/// <summary>
/// The query parameters an endpoint binds, read once from its handler's signature ([FromQuery] parameters and the
/// [FromQuery] properties of [AsParameters] records). Cache keys and paging links are built from these alone,
/// so a parameter the endpoint does not know never reaches either.
/// </summary>
public static class QueryParameters
{
    private static readonly ConcurrentDictionary<MethodInfo, IReadOnlyList<string>> ByHandler = new();

    public static IReadOnlyList<string> Of(Endpoint? endpoint) =>
        endpoint?.Metadata.GetMetadata<MethodInfo>() is { } method ? ByHandler.GetOrAdd(method, Read) : [];

    /// <summary>The request's known query parameters, sorted by name, as "name=value&amp;…": the same query always gives the same text.</summary>
    public static string Normalized(HttpContext http)
    {
        var names = Of(http.GetEndpoint());
        if (names.Count == 0 || http.Request.Query.Count == 0)
        {
            return "";
        }
        var parts = new List<string>();
        foreach (var name in names)
        {
            if (http.Request.Query.TryGetValue(name, out var values))
            {
                parts.AddRange(values.Select(v => $"{name}={Uri.EscapeDataString(v ?? "")}"));
            }
        }
        return string.Join('&', parts);
    }

    private static IReadOnlyList<string> Read(MethodInfo method)
    {
        var names = new List<string>();
        foreach (var parameter in method.GetParameters())
        {
            if (parameter.GetCustomAttribute<AsParametersAttribute>() is not null)
            {
                names.AddRange(parameter.ParameterType.GetProperties()
                    .Select(p => p.GetCustomAttribute<FromQueryAttribute>() is { } query ? query.Name ?? p.Name : null)
                    .OfType<string>());
            }
            else if (parameter.GetCustomAttribute<FromQueryAttribute>() is { } query)
            {
                names.Add(query.Name ?? parameter.Name!);
            }
        }
        return names.Order(StringComparer.Ordinal).ToList();
    }
}
