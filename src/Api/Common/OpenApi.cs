using System.Reflection;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Paco.Api.Common;

public static class OpenApi
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/swagger/v1/swagger.json";
    public const string SecuritySchemeName = "apiKey";

    public static IServiceCollection AddPacoOpenApi(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc(DocumentName, new OpenApiInfo
            {
                Title = "Paço API",
                Version = "v1",
                Description = "How municipal governments are organised: institutions, their organs, competences (atribuições), values and the legal bases they come from, as versioned resources. Lei de Acesso à Informação, art. 8.",
                License = new OpenApiLicense { Name = "Open data" },
            });
            var xml = Path.Combine(AppContext.BaseDirectory, $"{Assembly.GetExecutingAssembly().GetName().Name}.xml");
            if (File.Exists(xml))
            {
                options.IncludeXmlComments(xml);
            }
            options.SupportNonNullableReferenceTypes();
            options.NonNullableReferenceTypesAsRequired();
            options.UseAllOfToExtendReferenceSchemas();
            options.CustomSchemaIds(SchemaId);
            options.SchemaFilter<ExampleSchemaFilter>();
            options.AddSecurityDefinition(SecuritySchemeName, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "paco_<prefix>_<secret>",
                Description = "An API key: 'Authorization: Bearer paco_…'. Roles editor < publisher < admin; scoped to one institution or all. Reads of published content need none.",
            });
            options.OperationFilter<SecurityRequirementFilter>();
            options.OperationFilter<RouteParameterFilter>();
            options.OperationFilter<HttpHeadersOperationFilter>();
            options.OperationFilter<ValidatedParametersOperationFilter>();
            options.SchemaFilter<MemberSchemaFilter>();
            options.DocumentFilter<ContractDocumentFilter>();
            // Any JSON value (a diff's values, an audit line's detail): no type, so every generator takes it as such.
            options.MapType<System.Text.Json.Nodes.JsonNode>(() => new OpenApiSchema { Description = "Any JSON value." });
            options.MapType<System.Text.Json.JsonElement>(() => new OpenApiSchema { Description = "Any JSON value." });
            // Public reads first, then editing, then operations (ContractDocumentFilter.Tags), each by path.
            options.OrderActionsBy(api => $"{ContractDocumentFilter.TagRank(api.ActionDescriptor.EndpointMetadata.OfType<Microsoft.AspNetCore.Http.Metadata.ITagsMetadata>().FirstOrDefault()?.Tags.FirstOrDefault()):D2} {api.RelativePath} {MethodRank(api.HttpMethod)}");
        });
        return services;
    }

    /// <summary>Whether /swagger serves Swagger UI: OpenApi:SwaggerUi, by default only in Development.</summary>
    public static bool SwaggerUiEnabled(WebApplication app) => app.Configuration.GetValue("OpenApi:SwaggerUi", app.Environment.IsDevelopment());

    /// <summary>The OpenAPI document at <see cref="DocumentPath"/>, always public; Swagger UI at /swagger when <see cref="SwaggerUiEnabled"/>.</summary>
    public static WebApplication UsePacoOpenApi(this WebApplication app)
    {
        var ui = SwaggerUiEnabled(app);
        // Only requests under /swagger go through Swagger's middleware (it matches every request's path with a regex).
        app.UseWhen(http => http.Request.Path.StartsWithSegments("/swagger"), swagger =>
        {
            swagger.UseSwagger(options => options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1);
            if (ui)
            {
                swagger.UseSwaggerUI(options =>
                {
                    options.SwaggerEndpoint(DocumentPath, "Paço API v1");
                    options.DocumentTitle = "Paço API";
                });
            }
        });
        return app;
    }

    private static int MethodRank(string? method) => method switch { "GET" => 0, "POST" => 1, "PUT" => 2, "PATCH" => 3, "DELETE" => 4, _ => 5 };

    /// <summary>Readable schema names for generics: Page&lt;OrganSummary&gt; → OrganSummaryPage.</summary>
    private static string SchemaId(Type type) => type.IsGenericType
        ? string.Concat(type.GetGenericArguments().Select(SchemaId)) + type.Name[..type.Name.IndexOf('`')]
        : type.Name;
}

/// <summary>
/// Documents the route parameters a handler reads from the route itself rather than binding them (the versioned types'
/// shared handlers read {organ} or {legalBasis} by name), in the order the path names them.
/// </summary>
public sealed class RouteParameterFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var template = context.ApiDescription.RelativePath ?? "";
        var names = System.Text.RegularExpressions.Regex.Matches(template, @"\{(?<name>[A-Za-z]+)[^}]*\}").Select(m => m.Groups["name"].Value).ToList();
        operation.Parameters ??= [];
        foreach (var (name, position) in names.Select((n, i) => (n, i)))
        {
            if (operation.Parameters.Any(p => p.Name == name && p.In == ParameterLocation.Path))
            {
                continue;
            }
            operation.Parameters.Insert(Math.Min(position, operation.Parameters.Count), new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Path,
                Required = true,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }
    }
}

/// <summary>An example instance of a schema's type, registered by the feature that owns the type.</summary>
public sealed record SchemaExample(Type Type, System.Text.Json.Nodes.JsonNode? Value)
{
    public static SchemaExample Of<T>(T value) where T : notnull =>
        new(typeof(T), System.Text.Json.Nodes.JsonNode.Parse(PacoJson.SerializeToUtf8(value, typeof(T))));
}

/// <summary>Shows the registered example of each type in its schema.</summary>
public sealed class ExampleSchemaFilter(IEnumerable<SchemaExample> examples) : ISchemaFilter
{
    private readonly Dictionary<Type, System.Text.Json.Nodes.JsonNode?> _examples = examples.ToDictionary(e => e.Type, e => e.Value);

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is OpenApiSchema concrete && _examples.TryGetValue(context.Type, out var example))
        {
            concrete.Examples = example is null ? null : [example.DeepClone()];
        }
    }
}
