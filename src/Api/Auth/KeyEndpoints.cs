using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Paco.Api.Audit;
using Paco.Api.Common;
using Paco.Api.Data;

namespace Paco.Api.Auth;

/// <summary>Create a key: for one institution (slug) or, with null, for all (only an all-institutions admin may).</summary>
public sealed record CreateKeyRequest(string Name, [property: ClosedSet(typeof(Roles), "KeyRole")] string Role, string? Institution, DateTimeOffset? ExpiresAt);

/// <summary>A key as listed: never its secret.</summary>
public sealed record KeySummary(Guid Id, string Prefix, string Name, [property: ClosedSet(typeof(Roles), "KeyRole")] string Role, string? Institution, DateTimeOffset CreatedAt, string CreatedBy,
    DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt);

/// <summary>The answer to a key creation: the only time <see cref="Secret"/> is shown.</summary>
public sealed record CreatedKeyResponse(KeySummary Key, string Secret);

public sealed class CreateKeyRequestValidator : AbstractValidator<CreateKeyRequest>
{
    public CreateKeyRequestValidator(TimeProvider clock)
    {
        RuleFor(k => k.Name).NotEmpty().MaximumLength(200);
        RuleFor(k => k.Role).NotEmpty().OneOf(Roles.All);
        RuleFor(k => k.ExpiresAt).Must(e => e is null || e > clock.GetUtcNow()).WithMessage("'expiresAt' must be in the future.", "'expiresAt' deve estar no futuro.");
    }
}

public static class KeyEndpoints
{
    public static IEndpointRouteBuilder MapKeys(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/keys")
            .WithTags("API keys")
            .RequireAuthorization(Authorization.AdminPolicy)
            .WithValidation()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapPost("/", CreateKey).WithName("CreateKey")
            .WithSummary("Create an API key; its secret is in this answer only")
            .WithDescription("Admins. Role editor (writes drafts), publisher (also publishes, unpublishes, archives, restores) or admin (also manages keys and the institution); scoped to one institution, or to all when the creating key is. Only a hash of the secret is stored: keep it now.")
            .ProducesValidationProblem();
        group.MapGet("/", ListKeys).WithName("ListKeys").WithSummary("The keys this admin may manage (never their secrets)")
            .WithDescription("Admins. The keys of the admin's institution (or all, for a key of all institutions), with their role, who made them, when they were last used, and when they expire or were revoked.");
        // Any valid key may ask who it is (a console shows its name, role and scope); only admins list the others.
        app.MapGet("/api/v1/keys/me", GetOwnKey).WithName("GetOwnKey")
            .WithTags("API keys")
            .WithSummary("The key making the request: its name, role and institution scope (never its secret)")
            .WithDescription("Any valid key, whatever its role: what an editorial client shows of who is signed in. Never the secret.")
            .RequireAuthorization(Authorization.EditorPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        group.MapDelete("/{id:guid}", RevokeKey).WithName("RevokeKey").WithSummary("Revoke a key: it stops working at once and stays listed")
            .WithDescription("Admins of the key's institution. Its next request answers 401; the audit log keeps what it did.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Results<Created<CreatedKeyResponse>, ValidationProblem, ProblemHttpResult>> CreateKey(
        CreateKeyRequest request, PacoDb db, ApiKeyService keys, HttpContext http, TimeProvider clock, CancellationToken cancellationToken)
    {
        var grant = http.Grant();
        Guid? institutionId = null;
        if (request.Institution is not null)
        {
            institutionId = await db.InstitutionIdAsync(request.Institution, cancellationToken);
            if (institutionId is null)
            {
                return Validation.Invalid(new Dictionary<string, string[]> { ["institution"] = [InstitutionLookups.UnknownInstitution(request.Institution)] },
                    Languages.Text("One or more fields are invalid; see errors.", "Um ou mais campos são inválidos; veja 'errors'."));
            }
        }
        if (grant.InstitutionId is not null && institutionId != grant.InstitutionId)
        {
            return Problems.Forbidden($"The key '{grant.Name}' manages keys of '{grant.InstitutionSlug}' only; set institution to '{grant.InstitutionSlug}'.");
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var created = await keys.CreateAsync(request.Name.Trim(), request.Role, institutionId, request.ExpiresAt, grant.Name, cancellationToken);
        db.Record(clock.GetUtcNow(), grant, institutionId, "create-key", detail: new { prefix = created.Key.Prefix, name = created.Key.Name, role = created.Key.Role });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var summary = Summary(created.Key, request.Institution);
        return TypedResults.Created($"/api/v1/keys/{created.Key.Id}", new CreatedKeyResponse(summary, created.Secret));
    }

    public static async Task<Ok<IReadOnlyList<KeySummary>>> ListKeys(PacoDb db, HttpContext http, CancellationToken cancellationToken)
    {
        var grant = http.Grant();
        var keys = await db.ApiKeys.AsNoTracking()
            .Where(k => grant.InstitutionId == null || k.InstitutionId == grant.InstitutionId)
            .OrderBy(k => k.CreatedAt)
            .Select(k => new KeySummary(k.Id, k.Prefix, k.Name, k.Role,
                db.Institutions.Where(i => i.Id == k.InstitutionId).Select(i => i.Slug).FirstOrDefault(),
                k.CreatedAt, k.CreatedBy, k.ExpiresAt, k.RevokedAt, k.LastUsedAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok<IReadOnlyList<KeySummary>>(keys);
    }

    public static async Task<Ok<KeySummary>> GetOwnKey(PacoDb db, HttpContext http, CancellationToken cancellationToken)
    {
        var grant = http.Grant();
        var key = await db.ApiKeys.AsNoTracking().SingleAsync(k => k.Id == grant.KeyId, cancellationToken);
        return TypedResults.Ok(Summary(key, grant.InstitutionSlug));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeKey(Guid id, PacoDb db, HttpContext http, TimeProvider clock, CancellationToken cancellationToken)
    {
        var grant = http.Grant();
        var key = await db.ApiKeys.AsTracking().SingleOrDefaultAsync(k => k.Id == id && (grant.InstitutionId == null || k.InstitutionId == grant.InstitutionId), cancellationToken);
        if (key is null)
        {
            return Problems.NotFound($"There is no key {id} that this admin manages. GET /api/v1/keys lists them.");
        }
        if (key.RevokedAt is null)
        {
            key.RevokedAt = clock.GetUtcNow();
            db.Record(clock.GetUtcNow(), grant, key.InstitutionId, "revoke-key", detail: new { prefix = key.Prefix, name = key.Name });
            await db.SaveChangesAsync(cancellationToken);
        }
        return TypedResults.NoContent();
    }

    public static KeySummary Summary(ApiKey k, string? institution) =>
        new(k.Id, k.Prefix, k.Name, k.Role, institution, k.CreatedAt, k.CreatedBy, k.ExpiresAt, k.RevokedAt, k.LastUsedAt);
}
