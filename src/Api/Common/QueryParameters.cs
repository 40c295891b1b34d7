using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.AspNetCore.Mvc;

namespace Paco.Api.Common;

/// <summary>
/// The query parameters an endpoint binds, read once from its handler's signature: [FromQuery] parameters and
/// properties of [AsParameters] records, and simple-typed parameters without a source that are not route values (which
/// minimal APIs bind from the query). Cache keys and paging links are built from these alone, and any other parameter
/// is refused (<see cref="UseKnownQueryParametersOnly"/>), so a parameter the endpoint does not know reaches neither.
/// </summary>
public static class QueryParameters
{
    private static readonly ConcurrentDictionary<Endpoint, IReadOnlyList<string>> ByEndpoint = new();

    public static IReadOnlyList<string> Of(Endpoint? endpoint) =>
        endpoint?.Metadata.GetMetadata<MethodInfo>() is { } method ? ByEndpoint.GetOrAdd(endpoint, e => Read(method, RouteValuesOf(e))) : [];

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

    /// <summary>Marks an endpoint that serves a file: its query is ignored, as a file's always is ("paco.js?v=2" busts caches).</summary>
    public sealed class AnyQueryMetadata;

    public static TBuilder TakesAnyQuery<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AnyQueryMetadata());

    /// <summary>
    /// A query parameter the endpoint does not bind answers 400 with the ones it does, rather than being silently ignored
    /// (a misspelt filter would otherwise return everything). Runs before cached answers are served, so a request with
    /// an unknown parameter never gets the cached 200 of the same path. Only endpoints with a handler are checked
    /// (health checks and the OpenAPI document are not), and not the shipped files (<see cref="TakesAnyQuery"/>).
    /// </summary>
    public static IApplicationBuilder UseKnownQueryParametersOnly(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.Request.Query.Count > 0 && http.GetEndpoint() is { } endpoint && endpoint.Metadata.GetMetadata<MethodInfo>() is not null
            && endpoint.Metadata.GetMetadata<AnyQueryMetadata>() is null)
        {
            var known = Of(endpoint);
            var unknown = http.Request.Query.Keys.Where(k => !known.Contains(k, StringComparer.OrdinalIgnoreCase)).Order(StringComparer.Ordinal).ToList();
            if (unknown.Count > 0)
            {
                var route = (endpoint as RouteEndpoint)?.RoutePattern.RawText ?? http.Request.Path.Value;
                var names = string.Join(", ", unknown.Select(u => $"'{u}'"));
                var detail = known.Count == 0
                    ? $"{http.Request.Method} {route} takes no query parameters; remove {names}."
                    : $"Unknown query parameter{(unknown.Count > 1 ? "s" : "")} {names}: {http.Request.Method} {route} takes {string.Join(", ", known)}.";
                await TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest, title: ProblemTypes.UnknownQueryParameter.Title,
                    type: ProblemTypes.UnknownQueryParameter.Uri,
                    extensions: new Dictionary<string, object?> { ["unknown"] = unknown, ["allowed"] = known }).ExecuteAsync(http);
                return;
            }
        }
        await next(http);
    });

    private static HashSet<string> RouteValuesOf(Endpoint endpoint) =>
        (endpoint as RouteEndpoint)?.RoutePattern.Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase) ?? [];

    private static IReadOnlyList<string> Read(MethodInfo method, HashSet<string> routeValues)
    {
        var names = new List<string>();
        foreach (var parameter in method.GetParameters())
        {
            if (parameter.GetCustomAttribute<AsParametersAttribute>() is not null)
            {
                // What [AsParameters] binds: the constructor's parameters, or the settable properties (not computed ones).
                var type = parameter.ParameterType;
                var constructorParameters = type.GetConstructors().SelectMany(c => c.GetParameters()).Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
                names.AddRange(type.GetProperties()
                    .Where(p => p.SetMethod is { IsPublic: true } || constructorParameters.Contains(p.Name))
                    .Select(p => QueryName(p.GetCustomAttributes(), p.Name, p.PropertyType, routeValues))
                    .OfType<string>());
            }
            else if (QueryName(parameter.GetCustomAttributes(), parameter.Name!, parameter.ParameterType, routeValues) is { } name)
            {
                names.Add(name);
            }
        }
        return names.Distinct().Order(StringComparer.Ordinal).ToList();
    }

    private static string? QueryName(IEnumerable<Attribute> attributes, string name, Type type, HashSet<string> routeValues)
    {
        var list = attributes.ToList();
        if (list.OfType<FromQueryAttribute>().FirstOrDefault() is { } query)
        {
            return query.Name ?? name;
        }
        var bound = list.Any(a => a is Microsoft.AspNetCore.Http.Metadata.IFromRouteMetadata or Microsoft.AspNetCore.Http.Metadata.IFromHeaderMetadata
            or Microsoft.AspNetCore.Http.Metadata.IFromBodyMetadata or Microsoft.AspNetCore.Http.Metadata.IFromServiceMetadata
            or Microsoft.AspNetCore.Http.Metadata.IFromFormMetadata);
        // What minimal APIs bind from the query by themselves: a simple value (string, number, bool, date, Guid…) named by no route value.
        return !bound && !routeValues.Contains(name) && IsSimple(Nullable.GetUnderlyingType(type) ?? type) ? name : null;
    }

    private static bool IsSimple(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(Guid)
        || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(DateOnly) || type == typeof(TimeOnly) || type == typeof(TimeSpan);
}
