using System.Text;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Paco.Api.Audit;
using Paco.Api.Auth;
using Paco.Api.Common;
using Paco.Api.Data;
using Paco.Api.Revisions;

namespace Paco.Api.Institutions;

/// <summary>What an admin writes about an institution.</summary>
public sealed record InstitutionInput(
    string Slug,
    string Name,
    [property: ClosedSet(typeof(InstitutionKinds))] string Kind,
    string? IbgeCode,
    string? Uf,
    string? Municipality,
    string? Website,
    Statements? Statements,
    IReadOnlyList<string>? Values);

public sealed class InstitutionInputValidator : AbstractValidator<InstitutionInput>
{
    public InstitutionInputValidator()
    {
        RuleFor(i => i.Slug).Slug();
        RuleFor(i => i.Name).NotEmpty().MaximumLength(Limits.NameLength);
        RuleFor(i => i.Kind).NotEmpty().OneOf(InstitutionKinds.All);
        RuleFor(i => i.IbgeCode).Matches("^[0-9]{7}$").WithMessage("'ibgeCode' must be the 7-digit IBGE municipality code, like 3106200.", "'ibgeCode' deve ser o código IBGE do município, de 7 dígitos, como 3106200.");
        RuleFor(i => i.Uf).Uf();
        RuleFor(i => i.Municipality).MaximumLength(Limits.NameLength);
        RuleFor(i => i.Website).HttpUrl();
        RuleFor(i => i.Statements!.About).MaximumLength(Limits.StatementLength).When(i => i.Statements is not null);
        RuleFor(i => i.Statements!.Mission).MaximumLength(Limits.StatementLength).When(i => i.Statements is not null);
        RuleFor(i => i.Statements!.Vision).MaximumLength(Limits.StatementLength).When(i => i.Statements is not null);
        RuleFor(i => i.Statements!.Purpose).MaximumLength(Limits.StatementLength).When(i => i.Statements is not null);
        RuleForEach(i => i.Values).NotEmpty().MaximumLength(Limits.ValueLength);
    }
}

public static class InstitutionEditing
{
    public static IEndpointRouteBuilder MapInstitutionEditing(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/institutions").WithTags("Institutions").WithValidation()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapPost("/", CreateInstitution)
            .WithName("CreateInstitution")
            .WithSummary("Create an institution (admins of every institution)")
            .WithDescription("Only a key that is admin of all institutions may create one. The slug becomes its address and cannot be taken twice (409). Answers the institution, its Location and its ETag (for a later PUT).")
            .RequireAuthorization(Authorization.AdminPolicy)
            .AnswersWithETag()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .LimitedBody();
        group.MapPut("/{institution}", ReplaceInstitution)
            .WithName("ReplaceInstitution")
            .WithSummary("Replace an institution's data (its admins); If-Match with the ETag of GET /institutions/{institution}")
            .WithDescription("Admins of the institution. The body is the whole institution (as POST takes it); the slug may change, and the old one then answers 404. Institutions are not versioned: the change is public at once.")
            .RequireRoleInInstitution(Authorization.AdminPolicy)
            .RequiresIfMatch()
            .AnswersWithETag()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired)
            .LimitedBody();
        return app;
    }

    public static async Task<Results<Created<InstitutionResponse>, ProblemHttpResult>> CreateInstitution(InstitutionInput input, [AsParameters] EditorialServices services)
    {
        var (db, http, clock, cancellationToken) = (services.Db, services.Http, services.Clock, services.CancellationToken);
        var grant = http.Grant();
        if (grant.InstitutionId is not null)
        {
            return Problems.Forbidden($"The key '{grant.Name}' is an admin of '{grant.InstitutionSlug}' only; creating institutions needs an admin key of every institution.");
        }
        if (await db.Institutions.AnyAsync(i => i.Slug == input.Slug, cancellationToken))
        {
            return Problems.Conflict($"An institution '{input.Slug}' already exists.");
        }
        var now = clock.GetUtcNow();
        var institution = new Institution
        {
            Id = Guid.CreateVersion7(), Slug = input.Slug, Name = input.Name, Kind = input.Kind, CreatedAt = now, UpdatedAt = now, Document = "{}",
        };
        Apply(institution, input, now);
        db.Institutions.Add(institution);
        db.Record(now, grant, institution.Id, "create-institution", "institution", institution.Id);
        await db.SaveChangesAsync(cancellationToken); // one batch: the institution, then its audit line
        var created = (await InstitutionRepresentation.LoadAsync(db, institution.Slug, cancellationToken))!;
        http.Response.Headers.ETag = created.ServedAt(http).ETag;
        return TypedResults.Created($"/api/v1/institutions/{institution.Slug}", Read(created, http));
    }

    public static async Task<Results<Ok<InstitutionResponse>, ProblemHttpResult>> ReplaceInstitution(
        string institution, InstitutionInput input, [AsParameters] EditorialServices services)
    {
        var (db, store, http, clock, cancellationToken) = (services.Db, services.Store, services.Http, services.Clock, services.CancellationToken);
        if (!HttpConditions.HasIfMatch(http.Request, out var ifMatch))
        {
            return Problems.PreconditionRequired($"Send If-Match with the ETag of GET /api/v1/institutions/{institution}.");
        }
        if (input.Slug != institution)
        {
            return Problems.BadRequest($"The slug is the institution's address and cannot change here ('{institution}' → '{input.Slug}').");
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await store.LockInstitutionAsync(institution, cancellationToken) is not { } locked)
        {
            return Problems.NotFound(InstitutionLookups.UnknownInstitution(institution));
        }
        var current = (await InstitutionRepresentation.LoadAsync(db, institution, cancellationToken))!;
        var currentETag = current.ServedAt(http).ETag; // what GET answers here: over the bytes with this base's self link
        if (!HttpConditions.IfMatchAccepts(ifMatch, currentETag))
        {
            return Problems.PreconditionFailed(http, currentETag, $"The institution changed since you read it: the current ETag is {currentETag}.");
        }
        var row = await db.Institutions.AsTracking().SingleAsync(i => i.Id == locked.Id, cancellationToken);
        var now = clock.GetUtcNow();
        Apply(row, input, now);
        row.Version++;
        db.Record(now, http.Grant(), row.Id, "replace-institution", "institution", row.Id);
        await db.SaveChangesAsync(cancellationToken);
        // Every published document shows the institution's name and its legal bases' URNs use its state and municipality.
        await store.RenderInstitutionAsync(locked with { Name = row.Name, Uf = row.Uf, Municipality = row.Municipality }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var updated = (await InstitutionRepresentation.LoadAsync(db, institution, cancellationToken))!;
        http.Response.Headers.ETag = updated.ServedAt(http).ETag;
        return TypedResults.Ok(Read(updated, http));
    }

    /// <summary>The institution as its GET serves it at this request's base (the same bytes its ETag is over).</summary>
    private static InstitutionResponse Read(CachedAnswer answer, HttpContext http) =>
        System.Text.Json.JsonSerializer.Deserialize<InstitutionResponse>(answer.ServedAt(http).Identity, PacoJson.Options)!;

    private static void Apply(Institution row, InstitutionInput input, DateTimeOffset now)
    {
        var previous = row.Document == "{}" ? null : PacoJson.Deserialize<InstitutionDocument>(row.Document);
        row.Name = input.Name;
        row.Kind = input.Kind;
        row.IbgeCode = input.IbgeCode;
        row.Uf = input.Uf;
        row.Municipality = input.Municipality;
        row.Website = input.Website;
        row.UpdatedAt = now;
        row.Document = Encoding.UTF8.GetString(PacoJson.SerializeToUtf8(
            new InstitutionDocument(input.Statements ?? Statements.None, input.Values ?? [], previous?.Source), typeof(InstitutionDocument)));
    }
}
