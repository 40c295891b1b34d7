using System.Text.Json;
using System.Text.RegularExpressions;

namespace Paco.Api.Common;

/// <summary>
/// What a client can act on when its JSON is refused: where (the JSON path) and what was expected, in the API's words.
/// System.Text.Json's own messages name .NET types ("could not be converted to Paco.Api.Organs.OrganDocument"); they
/// are never shown as they are.
/// </summary>
public static partial class JsonErrors
{
    /// <param name="document">The type the JSON was read as: what a field must be is found from the path in it, since the
    /// serializer's message names the record being built rather than the field's type.</param>
    public static string Describe(JsonException exception, Type? document = null)
    {
        var message = exception.Message;
        var path = string.IsNullOrEmpty(exception.Path) || exception.Path == "$" ? null : exception.Path;
        var at = path is null ? "The document" : $"'{path}'";
        var where = exception.LineNumber is long line && exception.BytePositionInLine is long position
            ? $" (line {line + 1}, byte {position + 1})" : "";

        if (message.Contains("duplicate", StringComparison.OrdinalIgnoreCase))
        {
            return "The body names a field twice; each field may appear once.";
        }
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            return $"{at} is not a field of this document{where}; see the schema in the OpenAPI document.";
        }
        if (Missing().Match(message) is { Success: true } missing)
        {
            return $"{at} is missing required fields: {missing.Groups["names"].Value}.";
        }
        if (message.Contains("null", StringComparison.OrdinalIgnoreCase) && message.Contains("allow", StringComparison.OrdinalIgnoreCase))
        {
            return $"{at} must not be null{where}.";
        }
        if (Converted().Match(message) is { Success: true } converted)
        {
            var type = document is not null && path is not null ? TypeAt(document, path) : null;
            return $"{at} must be {Expected(type is null ? converted.Groups["type"].Value : Name(type))}{where}.";
        }
        if (exception.Path is null && exception.LineNumber is not null)
        {
            // A reader error: the text is not JSON. Its message names no type; its position helps.
            return $"The body is not valid JSON: {Positions().Replace(message, "").Trim()}{where}.";
        }
        return $"{at} is not valid here{where}.";
    }

    /// <summary>The type of the field at a JSON path ("$.competences[0].text") of <paramref name="root"/>, if there is one.</summary>
    private static Type? TypeAt(Type root, string path)
    {
        var type = root;
        foreach (Match segment in Segments().Matches(path))
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (segment.Groups["index"].Success)
            {
                type = type.IsArray ? type.GetElementType() : type.GetInterfaces().Append(type)
                    .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
            }
            else
            {
                type = type.GetProperty(segment.Groups["name"].Value, System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.IgnoreCase)?.PropertyType;
            }
            if (type is null)
            {
                return null;
            }
        }
        return type;
    }

    private static string Name(Type type) => (Nullable.GetUnderlyingType(type) ?? type) is var t && t.IsGenericType
        ? t.Name + "[" + string.Join(",", t.GetGenericArguments().Select(a => a.Name)) + "]"
        : (Nullable.GetUnderlyingType(type) ?? type).Name;

    [GeneratedRegex(@"\.(?<name>\w+)|\[(?<index>\d+)\]")]
    private static partial Regex Segments();

    private static string Expected(string type) => type switch
    {
        _ when type.Contains("String", StringComparison.Ordinal) => "text",
        _ when type.Contains("Int", StringComparison.Ordinal) || type.Contains("Decimal", StringComparison.Ordinal) || type.Contains("Double", StringComparison.Ordinal) => "a number",
        _ when type.Contains("Boolean", StringComparison.Ordinal) => "true or false",
        _ when type.Contains("Guid", StringComparison.Ordinal) => "a UUID",
        _ when type.Contains("DateTimeOffset", StringComparison.Ordinal) || type.Contains("DateTime", StringComparison.Ordinal) => "an ISO 8601 date and time with its offset, like 2026-01-31T12:00:00-03:00",
        _ when type.Contains("DateOnly", StringComparison.Ordinal) => "a date like 2026-01-31",
        _ when type.Contains("List", StringComparison.Ordinal) || type.Contains("[]", StringComparison.Ordinal) || type.Contains("Enumerable", StringComparison.Ordinal) => "a list",
        _ => "an object",
    };

    [GeneratedRegex(@"missing required properties including: (?<names>.+?)\.?$")]
    private static partial Regex Missing();

    [GeneratedRegex(@"could not be converted to (?<type>\S+)")]
    private static partial Regex Converted();

    [GeneratedRegex(@"(Path: \S*|\|?\s*LineNumber: \d+|\|?\s*BytePositionInLine: \d+)\.?")]
    private static partial Regex Positions();
}

/// <summary>Every instant that enters the API (a JSON body) is kept in UTC: PostgreSQL stores instants, not offsets.</summary>
public sealed class UtcDateTimeOffsetConverter : System.Text.Json.Serialization.JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset().ToUniversalTime();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
