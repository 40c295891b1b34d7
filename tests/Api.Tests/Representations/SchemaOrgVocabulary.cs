using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Paco.Api.Tests.Representations;

/// <summary>
/// The part of the schema.org vocabulary (https://schema.org, version 29) the JSON-LD answers use, written down from its
/// definitions: each type with its supertype and the properties it declares, each property with the types its values
/// may have ("expected types"). <see cref="Check"/> walks a JSON-LD document and lists every node whose type is unknown,
/// every property its type (or a supertype) does not have, and every value of a type the property does not expect.
/// A value of a property may also be a Role (schema.org's Role pattern): the Role then carries the same property.
/// </summary>
public static partial class SchemaOrgVocabulary
{
    private const string Schema = "https://schema.org/";

    private static readonly Dictionary<string, string?> Supertypes = new()
    {
        ["Thing"] = null,
        ["Organization"] = "Thing",
        ["GovernmentOrganization"] = "Organization",
        ["Person"] = "Thing",
        ["Place"] = "Thing",
        ["CreativeWork"] = "Thing",
        ["Legislation"] = "CreativeWork",
        ["Intangible"] = "Thing",
        ["StructuredValue"] = "Intangible",
        ["ContactPoint"] = "StructuredValue",
        ["PostalAddress"] = "ContactPoint",
        ["OpeningHoursSpecification"] = "StructuredValue",
        ["PropertyValue"] = "StructuredValue",
        ["Role"] = "Intangible",
        ["OrganizationRole"] = "Role",
        ["EmployeeRole"] = "OrganizationRole",
    };

    private static readonly Dictionary<string, Dictionary<string, string[]>> Properties = new()
    {
        ["Thing"] = new()
        {
            ["name"] = ["Text"], ["alternateName"] = ["Text"], ["description"] = ["Text"], ["url"] = ["URL"], ["sameAs"] = ["URL"],
            ["identifier"] = ["PropertyValue", "Text", "URL"], ["subjectOf"] = ["CreativeWork", "Event"],
        },
        ["Organization"] = new()
        {
            ["address"] = ["PostalAddress", "Text"], ["telephone"] = ["Text"], ["email"] = ["Text"],
            ["location"] = ["Place", "PostalAddress", "Text", "VirtualLocation"], ["parentOrganization"] = ["Organization"],
            ["subOrganization"] = ["Organization"], ["employee"] = ["Person"], ["member"] = ["Organization", "Person"],
            ["foundingDate"] = ["Date"], ["dissolutionDate"] = ["Date"],
        },
        ["Person"] = new() { ["jobTitle"] = ["DefinedTerm", "Text"], ["telephone"] = ["Text"], ["email"] = ["Text"] },
        ["Place"] = new()
        {
            ["address"] = ["PostalAddress", "Text"], ["telephone"] = ["Text"],
            ["openingHoursSpecification"] = ["OpeningHoursSpecification"], ["specialOpeningHoursSpecification"] = ["OpeningHoursSpecification"],
        },
        ["CreativeWork"] = new() { ["datePublished"] = ["Date", "DateTime"], ["dateModified"] = ["Date", "DateTime"] },
        ["Legislation"] = new()
        {
            ["legislationIdentifier"] = ["Text", "URL"], ["legislationType"] = ["CategoryCode", "Text"], ["legislationDate"] = ["Date"],
            ["legislationLegalForce"] = ["LegalForceStatus"],
        },
        ["ContactPoint"] = new() { ["telephone"] = ["Text"], ["email"] = ["Text"], ["hoursAvailable"] = ["OpeningHoursSpecification"] },
        ["PostalAddress"] = new()
        {
            ["streetAddress"] = ["Text"], ["addressLocality"] = ["Text"], ["addressRegion"] = ["Text"], ["postalCode"] = ["Text"],
            ["addressCountry"] = ["Country", "Text"], ["postOfficeBoxNumber"] = ["Text"],
        },
        ["OpeningHoursSpecification"] = new()
        {
            ["dayOfWeek"] = ["DayOfWeek"], ["opens"] = ["Time"], ["closes"] = ["Time"], ["validFrom"] = ["Date", "DateTime"], ["validThrough"] = ["Date", "DateTime"],
        },
        ["PropertyValue"] = new() { ["propertyID"] = ["Text", "URL"], ["value"] = ["Boolean", "Number", "StructuredValue", "Text"] },
        ["Role"] = new() { ["roleName"] = ["Text", "URL"], ["startDate"] = ["Date", "DateTime"], ["endDate"] = ["Date", "DateTime"] },
        ["OrganizationRole"] = new() { ["numberedPosition"] = ["Number"] },
        ["EmployeeRole"] = new() { ["baseSalary"] = ["MonetaryAmount", "Number", "PriceSpecification"], ["salaryCurrency"] = ["Text"] },
    };

    /// <summary>Enumerations: the members a value may name (as https://schema.org/… IRIs).</summary>
    private static readonly Dictionary<string, string[]> Enumerations = new()
    {
        ["DayOfWeek"] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "PublicHolidays"],
        ["LegalForceStatus"] = ["InForce", "NotInForce", "PartiallyInForce"],
    };

    /// <summary>What in <paramref name="document"/> the vocabulary does not allow; empty when every node keeps to it.</summary>
    public static IReadOnlyList<string> Check(JsonNode document)
    {
        var violations = new List<string>();
        if (document["@context"]?.GetValue<string>() != "https://schema.org")
        {
            violations.Add("$: @context is not https://schema.org");
        }
        // A document of many nodes (the open-data graph) keeps them in @graph: each is checked as a document of one is.
        if (document["@graph"] is JsonArray graph)
        {
            for (var i = 0; i < graph.Count; i++)
            {
                CheckNode(graph[i]!.AsObject(), $"$.@graph[{i}]", null, violations);
            }
            return violations;
        }
        CheckNode(document.AsObject(), "$", null, violations);
        return violations;
    }

    /// <summary>Every node of the document (itself included, and those of its @graph), for assertions on values.</summary>
    public static IEnumerable<JsonObject> Nodes(JsonNode node) => node switch
    {
        JsonObject o when o["@graph"] is JsonArray graph => Nodes(graph),
        JsonObject o => new[] { o }.Concat(o.Where(p => !p.Key.StartsWith('@')).SelectMany(p => p.Value is null ? [] : Nodes(p.Value))),
        JsonArray a => a.SelectMany(v => v is null ? [] : Nodes(v)),
        _ => [],
    };

    private static bool IsA(string type, string expected)
    {
        for (string? t = type; t is not null; t = Supertypes.GetValueOrDefault(t))
        {
            if (t == expected)
            {
                return true;
            }
        }
        return false;
    }

    /// <param name="roleOf">When the node is a Role: the property it stands in for, and that property's expected types.</param>
    private static void CheckNode(JsonObject node, string path, (string Property, string[] Expected)? roleOf, List<string> violations)
    {
        if (node["@type"]?.GetValue<string>() is not { } type || !Supertypes.ContainsKey(type))
        {
            violations.Add($"{path}: @type '{node["@type"]}' is not a type of the vocabulary table");
            return;
        }
        foreach (var (name, value) in node)
        {
            var at = $"{path}.{name}";
            if (name is "@type" or "@context")
            {
                continue;
            }
            if (name == "@id")
            {
                if (!Uri.TryCreate(value?.GetValue<string>(), UriKind.Absolute, out _))
                {
                    violations.Add($"{at}: '{value}' is not an absolute URL");
                }
                continue;
            }
            var expected = roleOf is { } role && role.Property == name ? role.Expected : ExpectedTypes(type, name);
            if (expected is null)
            {
                violations.Add($"{at}: {type} has no property '{name}'");
                continue;
            }
            foreach (var (item, index) in (value is JsonArray list ? list.ToList() : [value]).Select((v, i) => (v, i)))
            {
                CheckValue(item, value is JsonArray ? $"{at}[{index}]" : at, name, expected, violations);
            }
        }
    }

    private static string[]? ExpectedTypes(string type, string property)
    {
        for (string? t = type; t is not null; t = Supertypes.GetValueOrDefault(t))
        {
            if (Properties.TryGetValue(t, out var declared) && declared.TryGetValue(property, out var expected))
            {
                return expected;
            }
        }
        return null;
    }

    private static void CheckValue(JsonNode? value, string path, string property, string[] expected, List<string> violations)
    {
        switch (value)
        {
            case JsonObject node:
                var type = node["@type"]?.GetValue<string>() ?? "";
                if (IsA(type, "Role"))
                {
                    CheckNode(node, path, (property, expected), violations);
                }
                else if (!expected.Any(e => IsA(type, e)))
                {
                    violations.Add($"{path}: a {type} where {property} expects {string.Join(" or ", expected)}");
                }
                else
                {
                    CheckNode(node, path, null, violations);
                }
                return;
            case JsonValue scalar when scalar.TryGetValue<string>(out var text):
                if (!expected.Any(e => IsText(text, e)))
                {
                    violations.Add($"{path}: '{text}' is no {string.Join(" or ", expected)}");
                }
                return;
            case JsonValue number when number.TryGetValue<double>(out _):
                if (!expected.Contains("Number"))
                {
                    violations.Add($"{path}: a number where {property} expects {string.Join(" or ", expected)}");
                }
                return;
            default:
                violations.Add($"{path}: {value?.GetValueKind().ToString() ?? "null"} where {property} expects {string.Join(" or ", expected)}");
                return;
        }
    }

    private static bool IsText(string text, string expected) => expected switch
    {
        "Text" => text.Length > 0,
        "URL" => Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https",
        "Date" => DatePattern().IsMatch(text),
        "DateTime" => DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out _) && text.Contains('T'),
        "Time" => TimePattern().IsMatch(text),
        _ when Enumerations.TryGetValue(expected, out var members) => members.Any(m => text == Schema + m),
        _ => false,
    };

    // ISO 8601 dates as schema.org's Date takes them: a full date, or a year (a law known by its year).
    [GeneratedRegex(@"^\d{4}(-\d{2}-\d{2})?$")]
    private static partial Regex DatePattern();

    [GeneratedRegex(@"^([01]\d|2[0-4]):[0-5]\d(:[0-5]\d)?$")]
    private static partial Regex TimePattern();
}
