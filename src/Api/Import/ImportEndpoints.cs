using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Paco.Api.Auth;
using Paco.Api.Common;
using Paco.Api.Organs;
using Paco.Api.Revisions;

namespace Paco.Api.Import;

/// <summary>Importing a text: a proposal first (nothing written), then the reviewed proposal applied as drafts, all or nothing.</summary>
public static class ImportEndpoints
{
    public const string Tag = "Import";

    private const string AnyMediaType = "*/*";

    public static IServiceCollection AddImports(this IServiceCollection services)
    {
        services.AddScoped<ImportService>();
        services.AddSingleton<IValidator<ImportProposal>, ImportProposalValidator>();
        // The body of a proposal request is the text itself: a string, shown with an example of the kind of text read.
        services.Configure<Swashbuckle.AspNetCore.SwaggerGen.SwaggerGenOptions>(options => options.OperationFilter<ReadMediaTypesOnly>());
        services.Configure<Swashbuckle.AspNetCore.SwaggerGen.SwaggerGenOptions>(options => options.MapType<ImportTextBody>(() => new Microsoft.OpenApi.OpenApiSchema
        {
            Type = Microsoft.OpenApi.JsonSchemaType.String,
            MaxLength = (int)Limits.ImportBodyBytes,
            Description = "The text: a structure law or decree, or an organ's page (pasted text, or the saved HTML).",
            Examples = [System.Text.Json.Nodes.JsonValue.Create(Documentation.ImportExamples.Text)!],
        }));
        return services;
    }

    public static IEndpointRouteBuilder MapImports(this IEndpointRouteBuilder app)
    {
        var imports = app.MapGroup("/api/v1/institutions/{institution}/imports")
            .WithTags(Tag)
            .WithValidation()
            .RequireRoleInInstitution(Authorization.EditorPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        imports.MapPost("/", Propose)
            .WithName("ProposeImport")
            .WithSummary("Read a structure law or an organ's page and answer what it would become: a proposal; nothing is written")
            .WithDescription("Send the text as text/plain (a pasted law or page) or text/html (a saved page: markup is stripped, list structure kept, scripts dropped unread), up to 5 MiB. "
                + "The proposal names the legal basis the text is, the organs found (with their parent, statements, values and competences by group, each with its label, its citation and the span of the source it came from) and warnings to review. "
                + "A text with no recognisable structure answers 200 with nothing proposed and a warning. Edit the proposal if needed, then send it to …/imports/apply.")
            // Any media type reaches the handler, which says what to send instead (a PDF: its text); the document shows the two it reads.
            .Accepts<ImportTextBody>(Importer.PlainText, Importer.Html, AnyMediaType)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .LimitedBody(Limits.ImportBodyBytes)
            .WithinBodiesInFlight();
        imports.MapPost("/apply", Apply)
            .WithName("ApplyImport")
            .WithSummary("Create the drafts of a (possibly edited) proposal, in one transaction: all or nothing")
            .WithDescription("New organs and legal bases become revision 1 (a draft); organs the proposal matched become a new draft revision of that organ (never a duplicate), "
                + "keeping the ids of competences whose text is unchanged. Each draft records its provenance (the source's hash and the spans). "
                + "409 names what changed since the proposal was made (an organ edited, or created with the same name), and nothing is written. Publish the drafts as usual.")
            .Accepts<ImportProposal>(DocumentInput.Json)
            .AcceptsChangeNote()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .LimitedBody(Limits.ImportBodyBytes)
            .WithinBodiesInFlight();
        return app;
    }

    public static async Task<Results<Ok<ImportProposal>, ProblemHttpResult>> Propose(string institution, HttpRequest request, ImportService imports, CancellationToken cancellationToken)
    {
        var (text, refused) = await ImportInput.ReadAsync(request, cancellationToken);
        if (text is null)
        {
            return refused!;
        }
        if (await imports.LoadExistingAsync(institution, cancellationToken) is not { } existing)
        {
            return Problems.NotFound(Data.InstitutionLookups.UnknownInstitution(institution));
        }
        return TypedResults.Ok(Importer.Propose(text.Text, text.Sha256, text.MediaType, existing));
    }

    public static async Task<Results<Ok<ImportResult>, ValidationProblem, ProblemHttpResult>> Apply(
        string institution, [FromBody] ImportProposal proposal, [AsParameters] EditorialServices services, ImportService imports)
    {
        if (proposal.Institution != institution)
        {
            return Problems.BadRequest($"The proposal was made for institution '{proposal.Institution}', not '{institution}': apply it there, or import the text again here.");
        }
        var grant = services.Grant;
        var outcome = await imports.ApplyAsync(institution, proposal, new ImportActor(grant.Name, grant.KeyId), services.ChangeNote, services.CancellationToken);
        if (outcome.NotFound is { } missing)
        {
            return Problems.NotFound(missing);
        }
        if (outcome.Conflicts is { } conflicts)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict",
                detail: $"The institution changed since the proposal was made, so nothing was written: {string.Join(" ", conflicts)} Import the text again to get a current proposal.",
                extensions: new Dictionary<string, object?> { ["changes"] = conflicts });
        }
        if (outcome.Invalid is { } errors)
        {
            return Validation.Invalid(errors, Languages.Text("The proposal would make invalid drafts, so nothing was written; see errors (keyed by the proposal's JSON paths).",
                "A proposta geraria rascunhos inválidos, por isso nada foi gravado; veja 'errors' (pelos caminhos JSON da proposta)."));
        }
        return TypedResults.Ok(outcome.Result!);
    }
}

/// <summary>The text an import reads, sent as the whole body (text/plain or text/html).</summary>
public sealed record ImportTextBody;

/// <summary>The import accepts any media type only to answer a helpful 415; its document lists the two it reads.</summary>
public sealed class ReadMediaTypesOnly : Swashbuckle.AspNetCore.SwaggerGen.IOperationFilter
{
    public void Apply(Microsoft.OpenApi.OpenApiOperation operation, Swashbuckle.AspNetCore.SwaggerGen.OperationFilterContext context)
    {
        if (operation.OperationId == "ProposeImport" && operation.RequestBody is Microsoft.OpenApi.OpenApiRequestBody body)
        {
            body.Content?.Remove("*/*");
            body.Required = true;
        }
    }
}

/// <summary>What a proposal needs to be applied at all; what its drafts must be is checked by the organ and legal-basis validators, as for any write.</summary>
public sealed class ImportProposalValidator : AbstractValidator<ImportProposal>
{
    public ImportProposalValidator()
    {
        RuleFor(p => p.Institution).NotEmpty();
        RuleFor(p => p.Source).NotNull();
        RuleFor(p => p.Source.Sha256).NotEmpty().Matches("^[0-9a-f]{64}$").When(p => p.Source is not null)
            .WithMessage("'source.sha256' must be the 64 hex digits the proposal came with.", "'source.sha256' deve ser os 64 dígitos hexadecimais que vieram com a proposta.");
        RuleFor(p => p.Source.MediaType).NotEmpty().When(p => p.Source is not null);
        RuleFor(p => p.Warnings).NotNull().WithMessage("'warnings' must be sent back as the proposal had them (an empty list is fine).", "'warnings' deve voltar como veio na proposta (uma lista vazia serve).");
        RuleFor(p => p.CitedLegalBases).NotNull();
        RuleForEach(p => p.CitedLegalBases).NotNull().ChildRules(l => LegalBasis(l));
        RuleFor(p => p.LegalBasis!).ChildRules(l => LegalBasis(l)).When(p => p.LegalBasis is not null);
        RuleFor(p => p.Organs).NotNull()
            .Must(o => o is null || o.Count <= Limits.Competences).WithMessage($"A proposal may have at most {Limits.Competences} organs.", $"Uma proposta pode ter no máximo {Limits.Competences} órgãos.")
            .Must(o => o is null || o.Where(x => x is not null).Select(x => x.Slug).Distinct().Count() == o.Count(x => x is not null))
            .WithMessage("Each organ's slug must appear once in the proposal.", "O slug de cada órgão deve aparecer uma só vez na proposta.");
        RuleForEach(p => p.Organs).NotNull().ChildRules(organ =>
        {
            organ.RuleFor(o => o.Slug).Slug();
            organ.RuleFor(o => o.Name).NotEmpty();
            organ.RuleFor(o => o.Statements).NotNull();
            organ.RuleFor(o => o.Values).NotNull();
            organ.RuleFor(o => o.Corrections).NotNull();
            organ.RuleFor(o => o.LegalBases).NotNull();
            organ.RuleForEach(o => o.LegalBases).NotNull().ChildRules(l => l.RuleFor(x => x.LegalBasis).NotEmpty());
            organ.RuleFor(o => o.Competences).NotNull();
            organ.RuleForEach(o => o.Competences).NotNull().ChildRules(c =>
            {
                c.RuleFor(x => x.Group).NotEmpty().OneOf(CompetenceGroups.All);
                c.RuleFor(x => x.Citations).NotNull();
                c.RuleForEach(x => x.Citations).NotNull().ChildRules(x => x.RuleFor(y => y.LegalBasis).NotEmpty());
            });
        });
    }

    private static void LegalBasis(InlineValidator<ProposedLegalBasis> rules)
    {
        rules.RuleFor(l => l.Slug).Slug();
        rules.RuleFor(l => l.Title).NotEmpty();
    }
}
