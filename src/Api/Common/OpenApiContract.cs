using System.Reflection;
using System.Text.Json.Nodes;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Paco.Api.Common;

/// <summary>
/// The strings a property may hold, taken from <c>All</c> of <paramref name="set"/> (OrganKinds, CompetenceGroups…): the
/// same list the validators enforce, shown in the OpenAPI document as an enum.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class ClosedSetAttribute(Type set, string? schemaName = null) : Attribute
{
    public IReadOnlyList<string> Values { get; } =
        (set.GetField("All", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as IReadOnlyList<string>)
        ?? throw new ArgumentException($"{set.Name} has no public static All list of strings.", nameof(set));

    /// <summary>The set's own schema in the document, one named type per set for generated clients: OrganKinds → OrganKind.</summary>
    public string SchemaName { get; } = schemaName
        ?? (set.Name.EndsWith("ses", StringComparison.Ordinal) ? set.Name[..^2] : set.Name.EndsWith('s') ? set.Name[..^1] : set.Name);
}

/// <summary>What an endpoint does with HTTP headers, beyond what its return type says, for the OpenAPI document.</summary>
public static class HeaderConventions
{
    /// <summary>Writes to an existing resource need If-Match with its current ETag (428 without, 412 when stale).</summary>
    public static TBuilder RequiresIfMatch<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new IfMatchRequiredMetadata());

    /// <summary>The successful answer carries the ETag to send as If-Match on the next write.</summary>
    public static TBuilder AnswersWithETag<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AnswersWithETagMetadata());

    /// <summary>The write records the optional X-Change-Note header with the new revision.</summary>
    public static TBuilder AcceptsChangeNote<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AcceptsChangeNoteMetadata());

    /// <summary>
    /// A streamed answer (an export) with ETag, Last-Modified and Cache-Control, 304 on If-None-Match, and Content-Disposition
    /// naming the file: documented like a cached answer, though it is never kept in the process.
    /// </summary>
    public static TBuilder StreamsWithValidators<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new StreamsWithValidatorsMetadata());

    public sealed class StreamsWithValidatorsMetadata;
    public sealed class IfMatchRequiredMetadata;
    public sealed class AnswersWithETagMetadata;
    public sealed class AcceptsChangeNoteMetadata;
}

/// <summary>
/// The headers of every operation, from what the endpoint is: a cacheable answer (<see cref="CachedJson{TSchema}"/>)
/// has ETag, Last-Modified and Cache-Control and honours If-None-Match; a page adds Link and X-Total-Count; a 201 has
/// Location; conditional writes need If-Match; every operation may answer 429 and 503 with Retry-After.
/// </summary>
public sealed class HttpHeadersOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        var returned = TypesIn(context.MethodInfo?.ReturnType).ToList();
        var streamed = metadata.OfType<HeaderConventions.StreamsWithValidatorsMetadata>().Any();
        var cached = streamed || returned.Any(t => typeof(CachedAnswer).IsAssignableFrom(t));
        var paged = cached && returned.Any(t => IsGeneric(t, typeof(Page<>)));
        var document = context.Document;
        operation.Parameters ??= [];
        operation.Responses ??= [];

        if (cached)
        {
            operation.Parameters.Add(new OpenApiParameterReference(ContractComponents.IfNoneMatch, document));
            operation.Parameters.Add(new OpenApiParameterReference(ContractComponents.IfModifiedSince, document));
            operation.Parameters.Add(new OpenApiParameterReference(ContractComponents.AcceptEncoding, document));
            foreach (var status in new[] { "200", "304" })
            {
                if (operation.Responses.TryGetValue(status, out var response) && response is OpenApiResponse concrete)
                {
                    Add(concrete, document, ContractComponents.ETag, ContractComponents.LastModified, ContractComponents.CacheControl, ContractComponents.Vary);
                    if (status == "200")
                    {
                        Add(concrete, document, ContractComponents.ContentEncoding);
                    }
                    if (paged)
                    {
                        Add(concrete, document, ContractComponents.Link, ContractComponents.TotalCount);
                    }
                    if (streamed && status == "200")
                    {
                        Add(concrete, document, ContractComponents.ContentDisposition);
                    }
                }
            }
            if (operation.Responses.TryGetValue("304", out var notModified) && notModified is OpenApiResponse notModifiedResponse)
            {
                notModifiedResponse.Description = "Not Modified: the ETag sent in If-None-Match is still current (or nothing changed since If-Modified-Since); no body.";
            }
            operation.Responses.TryAdd("406", Problem("Not Acceptable: Accept-Encoding refuses br, gzip and identity alike.", document, null));
        }
        if (metadata.OfType<Representations.NegotiatedMetadata>().FirstOrDefault() is { } negotiated)
        {
            Negotiated(operation, negotiated, document);
        }
        if (metadata.OfType<HeaderConventions.IfMatchRequiredMetadata>().Any())
        {
            operation.Parameters.Add(new OpenApiParameterReference(ContractComponents.IfMatch, document));
        }
        if (metadata.OfType<HeaderConventions.AcceptsChangeNoteMetadata>().Any())
        {
            operation.Parameters.Add(new OpenApiParameterReference(ContractComponents.ChangeNote, document));
        }
        foreach (var (status, response) in operation.Responses)
        {
            if (response is not OpenApiResponse concrete)
            {
                continue;
            }
            if (status.StartsWith('2') && metadata.OfType<HeaderConventions.AnswersWithETagMetadata>().Any())
            {
                Add(concrete, document, ContractComponents.ETag);
            }
            if (status == "201")
            {
                Add(concrete, document, ContractComponents.Location);
            }
            if (status == "412")
            {
                Add(concrete, document, ContractComponents.ETag);
            }
        }
        if (metadata.OfType<Microsoft.AspNetCore.Http.Metadata.IProducesResponseTypeMetadata>()
            .Any(m => m.StatusCode == StatusCodes.Status400BadRequest && m.Type == typeof(HttpValidationProblemDetails)))
        {
            // A validation problem's messages come in the language asked for (Languages).
            operation.Parameters.Add(new OpenApiParameterReference(ContractComponents.AcceptLanguage, document));
            if (operation.Responses.TryGetValue("400", out var invalid) && invalid is OpenApiResponse invalidResponse)
            {
                Add(invalidResponse, document, ContractComponents.ContentLanguage);
            }
        }
        if (context.MethodInfo is not null)
        {
            // Every handled operation refuses a query parameter it does not take (QueryParameters.UseKnownQueryParametersOnly),
            // and a malformed parameter is answered 400 by the binding before any validator.
            operation.Responses.TryAdd("400", Problem("Bad Request: a parameter is malformed or out of range, or not one this operation takes; 'detail' (or 'errors') says which.", document, null));
        }
        if (operation.RequestBody is not null)
        {
            // Any body may be larger than the operation's limit, or not of a media type it reads.
            operation.Responses.TryAdd("413", Problem("Content Too Large: the body is larger than this operation accepts.", document, null));
            operation.Responses.TryAdd("415", Problem("Unsupported Media Type: send application/json (application/merge-patch+json for PATCH).", document, null));
        }
        // Every operation may be refused by the rate limits, and may find the database unreachable.
        operation.Responses.TryAdd("429", Problem("Too Many Requests: see Retry-After.", document, ContractComponents.RetryAfter));
        operation.Responses.TryAdd("503", Problem("Service Unavailable: the database cannot be reached; see Retry-After.", document, ContractComponents.RetryAfter));
    }

    /// <summary>
    /// The representations Accept chooses among: one 200 with each media type (JSON first, what clients get by default),
    /// Vary: Accept, Accept-Encoding, and a 406 that names both headers.
    /// </summary>
    private static void Negotiated(OpenApiOperation operation, Representations.NegotiatedMetadata negotiated, OpenApiDocument? document)
    {
        if (operation.Responses!.TryGetValue("200", out var ok) && ok is OpenApiResponse okResponse)
        {
            okResponse.Content ??= new Dictionary<string, IOpenApiMediaType>();
            foreach (var alternative in negotiated.Alternatives)
            {
                var json = alternative.Media.MediaType.EndsWith("json", StringComparison.Ordinal);
                okResponse.Content[alternative.Media.MediaType] = new OpenApiMediaType
                {
                    Schema = json ? new OpenApiSchemaReference(ContractComponents.JsonLdNode, document) : new OpenApiSchema { Type = JsonSchemaType.String },
                    Example = json ? JsonNode.Parse(alternative.Example) : JsonValue.Create(alternative.Example),
                };
            }
            okResponse.Description = $"OK: the representation Accept chooses: {string.Join(", ", negotiated.Offered.Select(m => m.MediaType))} (JSON when Accept is absent or */*).";
        }
        foreach (var status in new[] { "200", "304" })
        {
            if (operation.Responses.TryGetValue(status, out var response) && response is OpenApiResponse concrete && concrete.Headers is not null)
            {
                concrete.Headers[ContractComponents.Vary] = new OpenApiHeaderReference(ContractComponents.VaryNegotiated, document);
            }
        }
        operation.Responses["406"] = Problem("Not Acceptable: Accept allows none of the media types this operation has, or Accept-Encoding refuses br, gzip and identity alike.",
            document, ContractComponents.VaryNegotiated, ContractComponents.Vary);
    }

    private static OpenApiResponse Problem(string description, OpenApiDocument? document, string header, string name) => new()
    {
        Description = description,
        Content = new Dictionary<string, IOpenApiMediaType>
        {
            ["application/problem+json"] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(nameof(Microsoft.AspNetCore.Mvc.ProblemDetails), document) },
        },
        Headers = new Dictionary<string, IOpenApiHeader> { [name] = new OpenApiHeaderReference(header, document) },
    };

    private static OpenApiResponse Problem(string description, OpenApiDocument? document, string? header) => new()
    {
        Description = description,
        Content = new Dictionary<string, IOpenApiMediaType>
        {
            ["application/problem+json"] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(nameof(Microsoft.AspNetCore.Mvc.ProblemDetails), document) },
        },
        Headers = header is null ? null : new Dictionary<string, IOpenApiHeader> { [header] = new OpenApiHeaderReference(header, document) },
    };

    private static void Add(OpenApiResponse response, OpenApiDocument? document, params string[] headers)
    {
        response.Headers ??= new Dictionary<string, IOpenApiHeader>();
        foreach (var header in headers)
        {
            response.Headers[header] = new OpenApiHeaderReference(header, document);
        }
    }

    private static bool IsGeneric(Type type, Type definition) => type.IsGenericType && type.GetGenericTypeDefinition() == definition;

    private static IEnumerable<Type> TypesIn(Type? type)
    {
        if (type is null)
        {
            yield break;
        }
        yield return type;
        foreach (var argument in type.IsGenericType ? type.GetGenericArguments() : [])
        {
            foreach (var inner in TypesIn(argument))
            {
                yield return inner;
            }
        }
    }
}

/// <summary>The headers and header parameters the operations refer to, defined once in components.</summary>
public static class ContractComponents
{
    public const string ETag = "ETag";
    public const string LastModified = "Last-Modified";
    public const string CacheControl = "Cache-Control";
    public const string Link = "Link";
    public const string TotalCount = "X-Total-Count";
    public const string Location = "Location";
    public const string RetryAfter = "Retry-After";
    public const string IfNoneMatch = "If-None-Match";
    public const string IfModifiedSince = "If-Modified-Since";
    public const string IfMatch = "If-Match";
    public const string ChangeNote = "X-Change-Note";
    public const string ContentDisposition = "Content-Disposition";
    public const string Vary = "Vary";
    public const string ContentEncoding = "Content-Encoding";
    public const string AcceptEncoding = "Accept-Encoding";
    public const string AcceptLanguage = "Accept-Language";
    public const string ContentLanguage = "Content-Language";

    /// <summary>The Vary of operations that negotiate the media type (the header is Vary; the component has its own name).</summary>
    public const string VaryNegotiated = "VaryAccept";

    /// <summary>The schema of application/ld+json answers: a schema.org node (see src/Api/LinkedData).</summary>
    public const string JsonLdNode = "JsonLdNode";

    private static OpenApiSchema Text(string? pattern = null, string? format = null) => new() { Type = JsonSchemaType.String, Pattern = pattern, Format = format };

    // An entity tag (RFC 9110 §8.8.3): optionally weak, always quoted.
    private const string EntityTag = "^(W/)?\"[\\x21\\x23-\\x7E]*\"$";

    public static void AddTo(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Headers ??= new Dictionary<string, IOpenApiHeader>();
        document.Components.Parameters ??= new Dictionary<string, IOpenApiParameter>();
        var headers = document.Components.Headers;
        headers[ETag] = new OpenApiHeader
        {
            Description = "The entity tag of this representation (a strong ETag over its bytes; a compressed body's ends in -br or -gz inside the quotes). Send it as If-None-Match to revalidate, or as If-Match to change what you read.",
            Required = true, Schema = Text(EntityTag), Example = JsonValue.Create("\"3f0c9d1e2b7a4c5d6e8f9a0b\""),
        };
        headers[LastModified] = new OpenApiHeader
        {
            Description = "When what this answer shows last changed (an HTTP-date, RFC 9110 §5.6.7).",
            Required = true, Schema = Text(), Example = JsonValue.Create("Tue, 01 Dec 2026 20:20:49 GMT"),
        };
        headers[CacheControl] = new OpenApiHeader
        {
            Description = "How long shared caches may keep the answer: a minute (and five more while revalidating) for current content, a year for published revisions, which never change.",
            Required = true, Schema = Text(), Example = JsonValue.Create("public, max-age=60, stale-while-revalidate=300"),
        };
        headers[Link] = new OpenApiHeader
        {
            Description = "RFC 8288 links to the first, previous, next and last pages, absolute, keeping the other query parameters (filters, sort).",
            Required = true, Schema = Text(), Example = JsonValue.Create("<https://paco.example.gov.br/api/v1/institutions?page=1&pageSize=20>; rel=\"first\", <https://paco.example.gov.br/api/v1/institutions?page=1&pageSize=20>; rel=\"last\""),
        };
        headers[TotalCount] = new OpenApiHeader
        {
            Description = "How many items the whole list has (the body's 'total').",
            Required = true, Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "0" },
        };
        headers[Location] = new OpenApiHeader
        {
            Description = "Where the created resource is.",
            Required = true, Schema = Text(format: "uri-reference"),
        };
        headers[ContentDisposition] = new OpenApiHeader
        {
            Description = "The file name to save the export as (RFC 6266).",
            Required = true, Schema = Text("^attachment; filename=\"[^\"]+\"$"), Example = JsonValue.Create("attachment; filename=\"amostra-organs.csv\""),
        };
        headers[Vary] = new OpenApiHeader
        {
            Description = "The answer depends on Accept-Encoding: a cache keeps each content coding apart.",
            Required = true, Schema = Text("Accept-Encoding"), Example = JsonValue.Create("Accept-Encoding"),
        };
        headers[VaryNegotiated] = new OpenApiHeader
        {
            Description = "The answer depends on Accept (JSON, HTML or JSON-LD) and on Accept-Encoding: a cache keeps each representation and coding apart.",
            Required = true, Schema = Text("^Accept, Accept-Encoding$"), Example = JsonValue.Create("Accept, Accept-Encoding"),
        };
        headers[ContentEncoding] = new OpenApiHeader
        {
            Description = "br or gzip when the body is compressed (absent: identity). The ETag of a compressed body ends in -br or -gz inside the quotes.",
            Required = false, Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("br"), JsonValue.Create("gzip")] },
        };
        headers[RetryAfter] = new OpenApiHeader
        {
            Description = "Seconds to wait before retrying.",
            Required = true, Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1" },
        };
        headers[ContentLanguage] = new OpenApiHeader
        {
            Description = "On a validation problem: the language of its title, detail and errors' messages (en, or pt-BR when Accept-Language asked for Portuguese). Other problems are in English and do not carry it.",
            Required = false, Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. Languages.All.Select(l => JsonValue.Create(l))] },
        };
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[JsonLdNode] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "A schema.org node in JSON-LD: a GovernmentOrganization (an institution or organ, with the organs of a tree as subOrganization), its contacts, head and legal bases (Legislation). Other properties are schema.org's.",
            Required = new HashSet<string> { "@context", "@type", "@id" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["@context"] = new OpenApiSchema { Type = JsonSchemaType.String, Const = "https://schema.org" },
                ["@type"] = new OpenApiSchema { Type = JsonSchemaType.String, Const = "GovernmentOrganization" },
                ["@id"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri", Description = "The public URL of the institution or organ." },
            },
            AdditionalProperties = new OpenApiSchema(),
        };
        var parameters = document.Components.Parameters;
        parameters[AcceptLanguage] = new OpenApiParameter
        {
            Name = AcceptLanguage, In = ParameterLocation.Header, Required = false, Schema = Text(), Example = JsonValue.Create("pt-BR"),
            Description = "The language of validation messages, with q-values (RFC 9110 §12.5.4): pt-BR (any pt range) or en, the default. Content and other problems are not translated.",
        };
        parameters[IfNoneMatch] = new OpenApiParameter
        {
            Name = IfNoneMatch, In = ParameterLocation.Header, Required = false, Schema = Text(),
            Description = "The ETag of the representation you have: answered 304 Not Modified, without a body, while it is current.",
        };
        parameters[AcceptEncoding] = new OpenApiParameter
        {
            Name = AcceptEncoding, In = ParameterLocation.Header, Required = false, Schema = Text(),
            Description = "The content codings you take, with q-values: br is preferred, then gzip, then identity; bodies under 1 KB are sent as they are. 'identity;q=0' with no other coding is answered 406.",
        };
        parameters[IfModifiedSince] = new OpenApiParameter
        {
            Name = IfModifiedSince, In = ParameterLocation.Header, Required = false, Schema = Text(),
            Description = "An HTTP-date: answered 304 when nothing changed since (ignored when If-None-Match is sent).",
        };
        parameters[IfMatch] = new OpenApiParameter
        {
            Name = IfMatch, In = ParameterLocation.Header, Required = true, Schema = Text(),
            Description = "The ETag of what you read (the draft's, for documents: GET …/draft). Without it the answer is 428; when someone changed it since, 412 with the current ETag.",
        };
        parameters[ChangeNote] = new OpenApiParameter
        {
            Name = ChangeNote, In = ParameterLocation.Header, Required = false, Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 1500 },
            Description = "A short note saying why (kept with the revision, at most 500 characters); percent-encode non-ASCII text (UTF-8), e.g. Altera%C3%A7%C3%A3o.",
        };
    }
}

/// <summary>
/// What a property's declaration says beyond its type: the values of a <see cref="ClosedSetAttribute"/> as an enum, and
/// whether the serializer leaves it out when null (then it is never required; see <see cref="ContractDocumentFilter"/>).
/// </summary>
public sealed class MemberSchemaFilter : ISchemaFilter
{
    public const string OmittedWhenNull = "omittedWhenNull";

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema concrete || context.MemberInfo is null)
        {
            return;
        }
        if (context.MemberInfo.GetCustomAttribute<ClosedSetAttribute>() is { } set)
        {
            if (context.SchemaRepository.Schemas.TryGetValue(set.SchemaName, out var existing) && existing.Enum is null)
            {
                throw new InvalidOperationException($"The closed set's schema name {set.SchemaName} is a type's already: name the set (ClosedSet(typeof(…), \"{set.SchemaName}Code\")).");
            }
            if (!context.SchemaRepository.Schemas.ContainsKey(set.SchemaName))
            {
                context.SchemaRepository.AddDefinition(set.SchemaName, new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Enum = [.. set.Values.Select(v => (JsonNode)JsonValue.Create(v))],
                });
            }
            if (concrete.Type?.HasFlag(JsonSchemaType.Array) == true)
            {
                // A list of closed-set strings (days of the week): its items are the set.
                concrete.Items = new OpenApiSchemaReference(set.SchemaName);
            }
            else
            {
                // allOf: [$ref] here; ContractDocumentFilter.PlainReferences makes it a plain $ref (or oneOf [$ref, null]).
                var nullable = concrete.Type?.HasFlag(JsonSchemaType.Null) == true;
                concrete.Type = nullable ? JsonSchemaType.Null : null;
                concrete.AllOf = [new OpenApiSchemaReference(set.SchemaName)];
            }
        }
        if (context.MemberInfo.GetCustomAttribute<System.Text.Json.Serialization.JsonIgnoreAttribute>() is { Condition: not System.Text.Json.Serialization.JsonIgnoreCondition.Never })
        {
            concrete.Metadata ??= new Dictionary<string, object>();
            concrete.Metadata[OmittedWhenNull] = true;
        }
    }
}

/// <summary>
/// Query parameters documented from the validators that check them: an allowed set (<see cref="AllowedValuesValidator{T}"/>)
/// is an enum, an inclusive range a minimum and maximum, a required one required, a length limit a maxLength. What is documented is what is enforced, from one declaration.
/// </summary>
public sealed class ValidatedParametersOperationFilter(IServiceProvider services) : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (context.MethodInfo is null || operation.Parameters is null)
        {
            return;
        }
        foreach (var parameter in context.MethodInfo.GetParameters())
        {
            if (services.GetService(typeof(IValidator<>).MakeGenericType(parameter.ParameterType)) is not IValidator validator)
            {
                continue;
            }
            foreach (var member in validator.CreateDescriptor().GetMembersWithValidators())
            {
                var documented = operation.Parameters.FirstOrDefault(p => p.In == ParameterLocation.Query && string.Equals(p.Name, member.Key, StringComparison.OrdinalIgnoreCase));
                if (documented?.Schema is not OpenApiSchema schema)
                {
                    continue;
                }
                foreach (var (rule, _) in member)
                {
                    switch (rule)
                    {
                        case IAllowedValues allowed:
                            // The set's named schema when a property already has it (MemberSchemaFilter), so clients get one type per set.
                            var named = context.SchemaRepository.Schemas.FirstOrDefault(d => d.Value.Enum is { } values
                                && values.Select(v => v?.GetValue<string>()).SequenceEqual(allowed.Allowed)).Key;
                            if (named is not null && documented is OpenApiParameter parameterToName)
                            {
                                parameterToName.Schema = new OpenApiSchemaReference(named, context.Document);
                            }
                            else
                            {
                                schema.Enum = [.. allowed.Allowed.Select(v => (JsonNode)JsonValue.Create(v))];
                            }
                            break;
                        case FluentValidation.Validators.IBetweenValidator between:
                            schema.Minimum = Convert.ToString(between.From, System.Globalization.CultureInfo.InvariantCulture);
                            schema.Maximum = Convert.ToString(between.To, System.Globalization.CultureInfo.InvariantCulture);
                            break;
                        case FluentValidation.Validators.INotEmptyValidator:
                            if (documented is OpenApiParameter concrete)
                            {
                                concrete.Required = true;
                            }
                            schema.MinLength = 1;
                            break;
                        case FluentValidation.Validators.IMaximumLengthValidator length:
                            schema.MaxLength = length.Max;
                            break;
                    }
                }
            }
        }
    }
}

/// <summary>
/// The document as a whole: where it is served, its tags in reading order with what each holds, the health routes
/// (mapped outside the API explorer), merge-patch bodies as their own schemas, and every property of a schema that
/// only appears in answers marked required (the serializer writes every property, null included).
/// </summary>
public sealed class ContractDocumentFilter : IDocumentFilter
{
    /// <summary>Tags in the order readers need them: public reads first, editing after, operations last.</summary>
    public static readonly IReadOnlyList<(string Name, string Description)> Tags =
    [
        ("Institutions", "Prefeituras, câmaras and associations: who publishes. Public reads; creating and replacing one needs an admin key."),
        ("Organs", "The organs of an institution (secretarias, núcleos, divisões, conselhos…) as published: lists, the tree, one organ with its competences, values, head and contact, and its published revisions. Anonymous and cacheable."),
        ("Legal bases", "The laws, decrees and statutes organs and competences come from, with what cites them. Anonymous and cacheable."),
        ("Search", "Which organ handles this? Portuguese full-text search over published competences, organ names, statements and values, in one institution or across the country. Anonymous and cacheable."),
        ("Compliance", "How an institution's published content meets the LAI (art. 8º §1º I) and the PNTP criteria of Dimension 2, item by item and organ by organ, with what to fix first; and a ranking of institutions by score. Anonymous and cacheable."),
        ("Open data", "Everything an institution (or the country) publishes as open data: CSV per table in a zip, NDJSON, a data dictionary and a DCAT dataset description for portals such as CKAN. Streamed, anonymous, with ETags."),
        ("Changes", "What was published, unpublished or archived, in order, for portals that keep a copy (the change feed). Anonymous."),
        ("Editorial", "Drafts, publication, history and diffs of every versioned resource, with API keys: editors write drafts, publishers publish. Writes need If-Match."),
        ("Import", "Bringing existing content in: a structure law or an organ's page becomes a proposal to review, then drafts (editors)."),
        ("API keys", "Keys for editors, publishers and admins (admins only). The secret is shown once, when the key is created."),
        ("Problems", "What each kind of error means: the 'type' of every problem answer resolves here."),
        ("Health", "Liveness and readiness probes for orchestrators. Never rate-limited."),
    ];

    public static int TagRank(string? tag)
    {
        for (var i = 0; i < Tags.Count; i++)
        {
            if (Tags[i].Name == tag)
            {
                return i;
            }
        }
        return Tags.Count;
    }

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        document.Servers = [new OpenApiServer { Url = "/", Description = "The server this document is served from" }];
        document.Tags = new HashSet<OpenApiTag>(Tags.Select(t => new OpenApiTag { Name = t.Name, Description = t.Description }));
        ContractComponents.AddTo(document);
        AddHealthRoutes(document);
        AddMergePatchSchemas(document);
        RequireEveryPropertyOfAnswers(document); // before PlainReferences, which replaces property schemas (and their metadata)
        PlainReferences(document);
        DescribeProblems(document);
    }

    /// <summary>
    /// References as OpenAPI 3.1 (JSON Schema 2020-12) says them, in place of the allOf wrapper the generator needs to
    /// describe a property: <c>{"$ref", "description"}</c>, and for a nullable one <c>oneOf: [{"$ref"}, {"type": "null"}]</c>
    /// (the generator's <c>type: "null"</c> beside <c>allOf</c> would mean "null and an object", which nothing is).
    /// </summary>
    private static void PlainReferences(OpenApiDocument document)
    {
        IOpenApiSchema Plain(IOpenApiSchema schema)
        {
            if (schema is not OpenApiSchema concrete)
            {
                return schema;
            }
            if (concrete.Properties is not null)
            {
                foreach (var name in concrete.Properties.Keys.ToList())
                {
                    concrete.Properties[name] = Plain(concrete.Properties[name]);
                }
            }
            if (concrete.Items is not null)
            {
                concrete.Items = Plain(concrete.Items);
            }
            if (concrete.AdditionalProperties is not null)
            {
                concrete.AdditionalProperties = Plain(concrete.AdditionalProperties);
            }
            if (concrete.AllOf is [OpenApiSchemaReference { Reference.Id: { } id }] && concrete.Properties is null && concrete.Enum is null)
            {
                var reference = new OpenApiSchemaReference(id, document) { Description = concrete.Description };
                return concrete.Type == JsonSchemaType.Null
                    ? new OpenApiSchema { Description = concrete.Description, OneOf = [new OpenApiSchemaReference(id, document), new OpenApiSchema { Type = JsonSchemaType.Null }] }
                    : reference;
            }
            return schema;
        }
        foreach (var name in document.Components!.Schemas!.Keys.ToList())
        {
            document.Components.Schemas[name] = Plain(document.Components.Schemas[name]);
        }
        var bodies = document.Paths.Values.SelectMany(p => (IEnumerable<OpenApiOperation>?)p.Operations?.Values ?? [])
            .SelectMany(o => (o.RequestBody?.Content?.Values ?? []).Concat(((IEnumerable<IOpenApiResponse>?)o.Responses?.Values ?? []).SelectMany(r => r.Content?.Values ?? [])));
        foreach (var media in bodies.OfType<OpenApiMediaType>().Where(m => m.Schema is not null))
        {
            media.Schema = Plain(media.Schema!);
        }
    }

    private static void AddHealthRoutes(OpenApiDocument document)
    {
        OpenApiOperation Probe(string id, string summary, string description, bool canFail)
        {
            var responses = new OpenApiResponses
            {
                ["200"] = new OpenApiResponse
                {
                    Description = "Healthy",
                    Content = new Dictionary<string, IOpenApiMediaType> { ["text/plain"] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The word Healthy." }, Example = JsonValue.Create("Healthy") } },
                },
            };
            if (canFail)
            {
                responses["503"] = new OpenApiResponse
                {
                    Description = "Unhealthy: the database does not answer",
                    Content = new Dictionary<string, IOpenApiMediaType> { ["text/plain"] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The word Unhealthy." }, Example = JsonValue.Create("Unhealthy") } },
                };
            }
            return new OpenApiOperation
            {
                OperationId = id, Summary = summary, Description = description, Responses = responses, Security = [],
                Tags = new HashSet<OpenApiTagReference> { new("Health", document) },
            };
        }
        document.Paths ??= [];
        document.Paths["/health/live"] = new OpenApiPathItem
        {
            Operations = new Dictionary<HttpMethod, OpenApiOperation> { [HttpMethod.Get] = Probe("Live", "Liveness: the process answers", "Always 200 while the process runs; it does not touch the database.", canFail: false) },
        };
        document.Paths["/health/ready"] = new OpenApiPathItem
        {
            Operations = new Dictionary<HttpMethod, OpenApiOperation> { [HttpMethod.Get] = Probe("Ready", "Readiness: the database answers", "200 when the database answers within 5 seconds, 503 otherwise.", canFail: true) },
        };
    }

    /// <summary>
    /// A merge patch (RFC 7396) is a partial document: nothing in it is required, at any depth objects are merged
    /// (so nested objects are patches too), arrays are replaced whole, and null removes a field. Each PATCH body gets
    /// a &lt;Document&gt;MergePatch schema saying exactly that, instead of the whole document's.
    /// </summary>
    private static void AddMergePatchSchemas(OpenApiDocument document)
    {
        var schemas = document.Components!.Schemas!;
        string PatchOf(string name)
        {
            var patchName = name + "MergePatch";
            if (schemas.ContainsKey(patchName) || schemas[name] is not OpenApiSchema original)
            {
                return patchName;
            }
            var patch = (OpenApiSchema)original.CreateShallowCopy();
            schemas[patchName] = patch;
            patch.Required = null;
            patch.Examples = null;
            patch.Description = $"An RFC 7396 merge patch of {name}: only the fields to change. Objects are merged field by field, arrays replaced whole; null removes an optional field.";
            patch.Properties = original.Properties?.ToDictionary(p => p.Key, p => PatchProperty(p.Value));
            return patchName;
        }
        IOpenApiSchema PatchProperty(IOpenApiSchema property)
        {
            // allOf: [$ref] wraps references to objects (so the property can be nullable and described).
            if (property is OpenApiSchema { AllOf: [OpenApiSchemaReference { Reference.Id: { } target }] } wrapper
                && schemas[target] is OpenApiSchema { Properties.Count: > 0 })
            {
                var copy = (OpenApiSchema)wrapper.CreateShallowCopy();
                copy.AllOf = [new OpenApiSchemaReference(PatchOf(target), document)];
                return copy;
            }
            return property;
        }
        foreach (var operation in document.Paths.Values.SelectMany(p => (IEnumerable<OpenApiOperation>?)p.Operations?.Values ?? []))
        {
            if (operation.RequestBody?.Content?.TryGetValue("application/merge-patch+json", out var media) == true
                && media is OpenApiMediaType concrete && concrete.Schema is OpenApiSchemaReference { Reference.Id: { } name })
            {
                concrete.Schema = new OpenApiSchemaReference(PatchOf(name), document);
            }
        }
    }

    /// <summary>Schemas that clients never send are always answered whole: every property is present (null when it has no value).</summary>
    private static void RequireEveryPropertyOfAnswers(OpenApiDocument document)
    {
        var schemas = document.Components!.Schemas!;
        var sent = new HashSet<string>();
        void Visit(IOpenApiSchema? schema)
        {
            switch (schema)
            {
                case null:
                    return;
                case OpenApiSchemaReference { Reference.Id: { } id }:
                    if (sent.Add(id))
                    {
                        Visit(schemas.TryGetValue(id, out var target) ? target : null);
                    }
                    return;
            }
            foreach (var inner in (schema.Properties?.Values ?? []).Concat(schema.AllOf ?? []).Concat(schema.AnyOf ?? []).Concat(schema.OneOf ?? []))
            {
                Visit(inner);
            }
            Visit(schema.Items);
            Visit(schema.AdditionalProperties);
        }
        foreach (var operation in document.Paths.Values.SelectMany(p => (IEnumerable<OpenApiOperation>?)p.Operations?.Values ?? []))
        {
            foreach (var media in operation.RequestBody?.Content?.Values ?? [])
            {
                Visit(media.Schema);
            }
            foreach (var parameter in operation.Parameters ?? [])
            {
                Visit(parameter.Schema);
            }
        }
        foreach (var (name, schema) in schemas)
        {
            if (!sent.Contains(name) && schema is OpenApiSchema { Properties.Count: > 0 } answer && !name.Contains("ProblemDetails", StringComparison.Ordinal))
            {
                answer.Required = new HashSet<string>(answer.Properties.Where(p => (p.Value as OpenApiSchema)?.Metadata?.ContainsKey(MemberSchemaFilter.OmittedWhenNull) != true).Select(p => p.Key));
            }
        }
    }

    /// <summary>What every problem answer has: a type from the catalogue, a title, the status, the path and a trace id.</summary>
    private static void DescribeProblems(OpenApiDocument document)
    {
        foreach (var name in new[] { nameof(Microsoft.AspNetCore.Mvc.ProblemDetails), nameof(HttpValidationProblemDetails) })
        {
            if (!document.Components!.Schemas!.TryGetValue(name, out var found) || found is not OpenApiSchema problem || problem.Properties is null)
            {
                continue;
            }
            problem.Description = "An RFC 9457 problem. 'type' is one of the kinds listed at /api/v1/problems (compare it as a string; it resolves against the API's URL), 'detail' says what happened and what to do.";
            if (problem.Properties.TryGetValue("type", out var type) && type is OpenApiSchema typeSchema)
            {
                typeSchema.Format = "uri-reference";
                typeSchema.Description = "The kind of error: " + string.Join(", ", ProblemTypes.All.Select(t => t.Uri)) + ".";
                typeSchema.Type = JsonSchemaType.String;
            }
            problem.Properties["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The id to quote when reporting the error: it is in the server's log." };
            problem.Required = new HashSet<string> { "type", "title", "status", "instance", "traceId" };
        }
    }
}

/// <summary>Marks the operations that need an API key, and says so explicitly (security: []) of those that need none.</summary>
public sealed class SecurityRequirementFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        operation.Security = [];
        if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Any())
        {
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(OpenApi.SecuritySchemeName, context.Document)] = [] });
        }
    }
}
