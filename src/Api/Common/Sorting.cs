using System.ComponentModel.DataAnnotations;
using System.Reflection;

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
