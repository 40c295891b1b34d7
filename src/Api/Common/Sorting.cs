namespace Paco.Api.Common;

/// <summary>
/// The order a list asks for with ?sort=: a field name, or the name after '-' for descending ("-name"). The values a
/// list accepts are its query record's SortValues, checked by its validator with OneOf (400 listing them), which the
/// OpenAPI document shows as the parameter's enum.
/// </summary>
public readonly record struct ListSort(string Field, bool Descending)
{
    public static ListSort Parse(string? sort, string defaultSort)
    {
        var value = string.IsNullOrEmpty(sort) ? defaultSort : sort;
        return value.StartsWith('-') ? new(value[1..], true) : new(value, false);
    }
}
