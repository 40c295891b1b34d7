using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using Paco.Api.Audit;
using Paco.Api.Auth;
using Paco.Api.Common;
using Paco.Api.Data;

namespace Paco.Api.Revisions;

/// <summary>What editors see of a resource: its newest revision (the draft) and its publication state.</summary>
public sealed record DraftResponse<TDocument>(
    Guid Id,
    string Slug,
    int Revision,
    DateTimeOffset CreatedAt,
    string Author,
    string? Note,
    string ContentHash,
    EditorialState State,
    TDocument Document);

public sealed record EditorialState(
    int? PublishedRevision,
    DateTimeOffset? PublishedAt,
    DateTimeOffset? ArchivedAt,
    string? ArchivedReason,
    IReadOnlyList<ScheduledInfo> Scheduled);

public sealed record ScheduledInfo(long Id, int Revision, DateTimeOffset DueAt, string Author);

/// <summary>Publish the newest revision, or <see cref="Revision"/>; now, or at <see cref="At"/> (a scheduled publication).</summary>
public sealed record PublishRequest(int? Revision, DateTimeOffset? At);

public sealed record ArchiveRequest(string Reason);

public sealed record RestoreRequest(int Revision);

/// <summary>A revision in the editors' history, with each time it was published.</summary>
public sealed record HistoryEntry(int Number, DateTimeOffset CreatedAt, string Author, string? Note, string ContentHash, bool Current, bool Latest, IReadOnlyList<HistoryEvent> Events);

public sealed record HistoryEvent(string Action, DateTimeOffset At, string Author);

public sealed record History(Guid Id, string Slug, int LatestRevision, int? PublishedRevision, IReadOnlyList<HistoryEntry> Revisions, IReadOnlyList<HistoryEvent> Unpublications);

public sealed record DiffResponse(Guid Id, int From, int To, IReadOnlyList<PatchOperation> Patch, IReadOnlyList<string> Summary);

/// <summary>How one versioned document type is prepared and checked before it is stored.</summary>
public interface IEditorialRules<TDocument>
{
    VersionedKind Kind { get; }

    string SlugOf(TDocument document);

    /// <summary>Fills what the server owns (new competence ids) and keeps what the client sent back.</summary>
    TDocument Prepare(TDocument document);

    /// <summary>Checks that need the database (references inside the institution, slug uniqueness), as JSON path → messages.</summary>
    Task<Dictionary<string, string[]>> CheckReferencesAsync(PacoDb db, Guid institutionId, Guid? resourceId, TDocument document, CancellationToken cancellationToken);
}

/// <summary>
/// The editorial operations, shared by every versioned resource type. Each write runs in one transaction:
/// the resource row is locked, If-Match is checked against the current draft, the revision (or pointer change)
/// and its audit line are written, and the transaction commits all or nothing.
/// </summary>
public sealed class Editorial<TDocument>(PacoDb db, ContentStore store, IValidator<TDocument> validator, IEditorialRules<TDocument> rules, TimeProvider clock)
    where TDocument : class
{
    public const string ChangeNoteHeader = "X-Change-Note";
    public const int MaxChangeNoteLength = 500;

    private VersionedKind Kind => rules.Kind;

    public async Task<Results<Created<DraftResponse<TDocument>>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        string institution, TDocument document, HttpContext http, CancellationToken cancellationToken)
    {
        if (await db.InstitutionIdAsync(institution, cancellationToken) is not Guid institutionId)
        {
            return Problems.NotFound(Lookups.UnknownInstitution(institution));
        }
        document = rules.Prepare(document);
        if (await ValidateAsync(institutionId, null, document, cancellationToken) is { } invalid)
        {
            return invalid;
        }
        var grant = http.Grant();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var resource = await store.CreateAsync(institutionId, Kind.Type, Guid.CreateVersion7(), rules.SlugOf(document), document, grant.Name, ChangeNote(http), cancellationToken);
        Audit(grant, institutionId, "create", resource.Id, 1, new { note = ChangeNote(http) });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        var draft = await LoadDraftAsync(resource.Id, cancellationToken);
        http.Response.Headers.ETag = draft.ETag;
        return TypedResults.Created($"/api/v1/institutions/{institution}/{Kind.Path}/{draft.Response.Slug}/draft", draft.Response);
    }

    public async Task<Results<Ok<DraftResponse<TDocument>>, ProblemHttpResult>> GetDraftAsync(
        string institution, string key, HttpContext http, CancellationToken cancellationToken)
    {
        if (await FindAsync(institution, key, cancellationToken) is not { } resource)
        {
            return await MissingAsync(institution, key, cancellationToken);
        }
        var draft = await LoadDraftAsync(resource.Id, cancellationToken);
        http.Response.Headers.ETag = draft.ETag;
        http.Response.Headers.CacheControl = "private, no-cache";
        return TypedResults.Ok(draft.Response);
    }

    public async Task<Results<Ok<DraftResponse<TDocument>>, ValidationProblem, ProblemHttpResult>> ReplaceAsync(
        string institution, string key, TDocument document, HttpContext http, CancellationToken cancellationToken) =>
        await WriteRevisionAsync(institution, key, http, "replace", _ => Task.FromResult<object>(document), cancellationToken);

    /// <summary>RFC 7396 merge patch over the current draft.</summary>
    public async Task<Results<Ok<DraftResponse<TDocument>>, ValidationProblem, ProblemHttpResult>> PatchAsync(
        string institution, string key, HttpContext http, CancellationToken cancellationToken)
    {
        if (!string.Equals(http.Request.ContentType?.Split(';')[0].Trim(), "application/merge-patch+json", StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: "PATCH takes an RFC 7396 merge patch: send 'Content-Type: application/merge-patch+json'.");
        }
        JsonNode? patch;
        try
        {
            patch = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException exception)
        {
            return Problems.BadRequest($"The body is not valid JSON: {exception.Message}");
        }
        if (patch is JsonObject patchObject && HasDuplicateKeys(patchObject))
        {
            return Problems.BadRequest("The merge patch names a field twice; each field may appear once.");
        }
        if (patch is not JsonObject)
        {
            return Problems.BadRequest("A merge patch must be a JSON object.");
        }
        return await WriteRevisionAsync(institution, key, http, "patch", current =>
        {
            var merged = MergePatch.Apply(JsonNode.Parse(current.Document)!, patch)!;
            return Task.FromResult<object>(merged);
        }, cancellationToken);
    }

    public async Task<Results<Ok<DraftResponse<TDocument>>, Accepted<DraftResponse<TDocument>>, ValidationProblem, ProblemHttpResult>> PublishAsync(
        string institution, string key, PublishRequest? request, HttpContext http, CancellationToken cancellationToken)
    {
        request ??= new PublishRequest(null, null);
        var scheduled = request.At is { } requestedAt && requestedAt > clock.GetUtcNow();
        var outcome = await LockedAsync(institution, key, http, async (resource, grant) =>
        {
            var number = request.Revision ?? resource.LatestRevision;
            if (number < 1 || number > resource.LatestRevision)
            {
                return Problems.BadRequest($"'revision' must be between 1 and {resource.LatestRevision}, the newest revision.");
            }
            var now = clock.GetUtcNow();
            if (scheduled && request.At is { } at)
            {
                db.ScheduledPublications.Add(new ScheduledPublication { ResourceId = resource.Id, RevisionNumber = number, DueAt = at, Author = grant.Name, CreatedAt = now });
                Audit(grant, resource.InstitutionId, "schedule-publish", resource.Id, number, new { at });
                await db.SaveChangesAsync(cancellationToken);
                return null;
            }
            await store.PublishAsync(resource, number, grant.Name, render: true, cancellationToken);
            Audit(grant, resource.InstitutionId, "publish", resource.Id, number, null);
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }, cancellationToken);
        switch (outcome.Problem)
        {
            case ValidationProblem validation:
                return validation;
            case ProblemHttpResult problem:
                return problem;
        }
        return scheduled ? TypedResults.Accepted((string?)null, outcome.Draft!) : TypedResults.Ok(outcome.Draft!);
    }

    public async Task<Results<Ok<DraftResponse<TDocument>>, ValidationProblem, ProblemHttpResult>> UnpublishAsync(
        string institution, string key, HttpContext http, CancellationToken cancellationToken) =>
        (await LockedAsync(institution, key, http, async (resource, grant) =>
        {
            if (resource.PublishedRevision is null)
            {
                return Conflict("It is not published.");
            }
            await store.UnpublishAsync(resource, grant.Name, archiveReason: null, cancellationToken);
            Audit(grant, resource.InstitutionId, "unpublish", resource.Id, null, null);
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }, cancellationToken)).ToResult();

    public async Task<Results<Ok<DraftResponse<TDocument>>, ValidationProblem, ProblemHttpResult>> ArchiveAsync(
        string institution, string key, ArchiveRequest request, HttpContext http, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > 1000)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["reason"] = ["Say why it is archived (1 to 1000 characters): the public sees it."] });
        }
        return (await LockedAsync(institution, key, http, async (resource, grant) =>
        {
            if (resource.ArchivedAt is not null)
            {
                return Conflict("It is already archived.");
            }
            await store.UnpublishAsync(resource, grant.Name, request.Reason.Trim(), cancellationToken);
            Audit(grant, resource.InstitutionId, "archive", resource.Id, null, new { reason = request.Reason.Trim() });
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }, cancellationToken)).ToResult();
    }

    /// <summary>A new draft revision equal to an older one; history is never rewritten.</summary>
    public async Task<Results<Ok<DraftResponse<TDocument>>, ValidationProblem, ProblemHttpResult>> RestoreAsync(
        string institution, string key, RestoreRequest request, HttpContext http, CancellationToken cancellationToken) =>
        await WriteRevisionAsync(institution, key, http, "restore", async current =>
        {
            var old = await db.Revisions.AsNoTracking().SingleOrDefaultAsync(v => v.ResourceId == current.ResourceId && v.Number == request.Revision, cancellationToken);
            return old is null
                ? Problems.BadRequest($"'revision' must be an existing revision, 1 to {current.Number}; there is no revision {request.Revision}.")
                : JsonNode.Parse(old.Document)!;
        }, cancellationToken, note: $"Restored revision {request.Revision}");

    public async Task<Results<Ok<History>, ProblemHttpResult>> HistoryAsync(string institution, string key, CancellationToken cancellationToken)
    {
        if (await FindAsync(institution, key, cancellationToken) is not { } resource)
        {
            return await MissingAsync(institution, key, cancellationToken);
        }
        var revisions = await db.Revisions.AsNoTracking().Where(v => v.ResourceId == resource.Id).OrderByDescending(v => v.Number)
            .Select(v => new { v.Number, v.CreatedAt, v.Author, v.Note, v.ContentHash }).ToListAsync(cancellationToken);
        var events = await db.Publications.AsNoTracking().Where(p => p.ResourceId == resource.Id).OrderBy(p => p.Id).ToListAsync(cancellationToken);
        var byRevision = events.Where(e => e.RevisionNumber != null).ToLookup(e => e.RevisionNumber!.Value);
        return TypedResults.Ok(new History(
            resource.Id,
            resource.Slug,
            resource.LatestRevision,
            resource.PublishedRevision,
            revisions.Select(v => new HistoryEntry(v.Number, v.CreatedAt, v.Author, v.Note, v.ContentHash, v.Number == resource.PublishedRevision,
                v.Number == resource.LatestRevision, byRevision[v.Number].Select(e => new HistoryEvent(e.Action, e.At, e.Author)).ToList())).ToList(),
            events.Where(e => e.RevisionNumber is null).Select(e => new HistoryEvent(e.Action, e.At, e.Author)).ToList()));
    }

    public async Task<Results<Ok<DiffResponse>, ProblemHttpResult>> DiffAsync(string institution, string key, int from, int to, CancellationToken cancellationToken)
    {
        if (await FindAsync(institution, key, cancellationToken) is not { } resource)
        {
            return await MissingAsync(institution, key, cancellationToken);
        }
        var documents = await db.Revisions.AsNoTracking()
            .Where(v => v.ResourceId == resource.Id && (v.Number == from || v.Number == to))
            .ToDictionaryAsync(v => v.Number, v => v.Document, cancellationToken);
        foreach (var number in new[] { from, to }.Where(n => !documents.ContainsKey(n)))
        {
            return Problems.NotFound($"'{key}' has no revision {number}; its revisions are 1 to {resource.LatestRevision}.");
        }
        var diff = RevisionDiff.Compute(JsonNode.Parse(documents[from]), JsonNode.Parse(documents[to]));
        return TypedResults.Ok(new DiffResponse(resource.Id, from, to, diff.Patch, diff.Summary));
    }

    // ---- the shared write path ----

    private sealed record Outcome(DraftResponse<TDocument>? Draft, IResult? Problem)
    {
        public Results<Ok<DraftResponse<TDocument>>, ValidationProblem, ProblemHttpResult> ToResult() => Problem switch
        {
            ValidationProblem validation => validation,
            ProblemHttpResult problem => problem,
            _ => TypedResults.Ok(Draft!),
        };
    }

    private async Task<Results<Ok<DraftResponse<TDocument>>, ValidationProblem, ProblemHttpResult>> WriteRevisionAsync(
        string institution, string key, HttpContext http, string action, Func<Revision, Task<object>> next, CancellationToken cancellationToken, string? note = null) =>
        (await LockedAsync(institution, key, http, async (resource, grant) =>
        {
            var current = await db.Revisions.AsNoTracking().SingleAsync(v => v.ResourceId == resource.Id && v.Number == resource.LatestRevision, cancellationToken);
            var produced = await next(current);
            if (produced is IResult problem)
            {
                return problem;
            }
            TDocument document;
            try
            {
                document = produced as TDocument ?? ((JsonNode)produced).Deserialize<TDocument>(PacoJson.Options)
                    ?? throw new JsonException("The document is null.");
            }
            catch (JsonException exception)
            {
                return Problems.BadRequest($"The merged document is not a valid {typeof(TDocument).Name}: {exception.Message}");
            }
            document = rules.Prepare(document);
            if (await ValidateAsync(resource.InstitutionId, resource.Id, document, cancellationToken) is { } invalid)
            {
                return invalid;
            }
            var revision = await store.AppendRevisionAsync(resource, document, grant.Name, note ?? ChangeNote(http), cancellationToken);
            resource.Slug = resource.PublishedRevision is null ? rules.SlugOf(document) : resource.Slug;
            Audit(grant, resource.InstitutionId, action, resource.Id, revision.Number, new { note = note ?? ChangeNote(http) });
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }, cancellationToken)).ToResult();

    /// <summary>Locks the resource, checks If-Match against its current draft ETag, runs the change, commits, and answers the new draft.</summary>
    private async Task<Outcome> LockedAsync(string institution, string key, HttpContext http, Func<Resource, KeyGrant, Task<IResult?>> change, CancellationToken cancellationToken)
    {
        if (!HttpConditions.HasIfMatch(http.Request, out var ifMatch))
        {
            return new Outcome(null, Problems.PreconditionRequired(
                $"Send If-Match with the ETag of the draft you edited (GET /api/v1/institutions/{institution}/{Kind.Path}/{key}/draft answers it), so nobody's work is overwritten."));
        }
        if (await FindAsync(institution, key, cancellationToken) is not { } found)
        {
            return new Outcome(null, await MissingAsync(institution, key, cancellationToken));
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await store.LockInstitutionAsync(found.InstitutionId, cancellationToken); // always before the row lock: one order, no deadlock
        var resource = (await db.Resources.FromSql($"select * from resources where id = {found.Id} for update").AsTracking().ToListAsync(cancellationToken)).Single();
        var current = await LoadDraftAsync(resource.Id, cancellationToken);
        if (!HttpConditions.IfMatchAccepts(ifMatch, current.ETag))
        {
            return new Outcome(null, Problems.PreconditionFailed(http, current.ETag,
                $"Someone changed it since you read it: the current ETag is {current.ETag}. Read the draft again, re-apply your change, and send that ETag."));
        }
        var problem = await change(resource, http.Grant());
        if (problem is not null)
        {
            return new Outcome(null, problem);
        }
        await transaction.CommitAsync(cancellationToken);
        store.InvalidateCommitted();
        db.ChangeTracker.Clear();
        var draft = await LoadDraftAsync(resource.Id, cancellationToken);
        http.Response.Headers.ETag = draft.ETag;
        return new Outcome(draft.Response, null);
    }

    private async Task<ValidationProblem?> ValidateAsync(Guid institutionId, Guid? resourceId, TDocument document, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var shape = await validator.ValidateAsync(document, cancellationToken);
        foreach (var group in shape.Errors.GroupBy(e => ValidationFilter.JsonPath(e.PropertyName)))
        {
            errors[group.Key] = group.Select(e => e.ErrorMessage).ToArray();
        }
        if (errors.Count == 0)
        {
            foreach (var (path, messages) in await rules.CheckReferencesAsync(db, institutionId, resourceId, document, cancellationToken))
            {
                errors[path] = messages;
            }
        }
        return errors.Count == 0 ? null : TypedResults.ValidationProblem(errors, detail: "The document has invalid fields; see errors (keyed by JSON path).", title: "Validation failed");
    }

    private sealed record Draft(DraftResponse<TDocument> Response, string ETag);

    private async Task<Draft> LoadDraftAsync(Guid resourceId, CancellationToken cancellationToken)
    {
        var resource = await db.Resources.AsNoTracking().SingleAsync(r => r.Id == resourceId, cancellationToken);
        var revision = await db.Revisions.AsNoTracking().SingleAsync(v => v.ResourceId == resourceId && v.Number == resource.LatestRevision, cancellationToken);
        var scheduled = await db.ScheduledPublications.AsNoTracking()
            .Where(s => s.ResourceId == resourceId && s.DoneAt == null && s.CancelledAt == null)
            .OrderBy(s => s.DueAt)
            .Select(s => new ScheduledInfo(s.Id, s.RevisionNumber, s.DueAt, s.Author))
            .ToListAsync(cancellationToken);
        var state = new EditorialState(resource.PublishedRevision, resource.PublishedAt, resource.ArchivedAt, resource.ArchivedReason, scheduled);
        var response = new DraftResponse<TDocument>(resource.Id, resource.Slug, revision.Number, revision.CreatedAt, revision.Author, revision.Note,
            revision.ContentHash, state, PacoJson.Deserialize<TDocument>(revision.Document));
        // The draft's validator covers the newest revision and the publication state: any change to either is a new ETag.
        var stateText = $"{revision.Number}|{revision.ContentHash}|{resource.PublishedRevision}|{resource.ArchivedAt:O}|{string.Join(',', scheduled.Select(s => s.Id))}";
        var etag = $"\"d{revision.Number}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(stateText)))[..12]}\"";
        return new Draft(response, etag);
    }

    private Task<Resource?> FindAsync(string institution, string key, CancellationToken cancellationToken) =>
        db.Resources.AsNoTracking()
            .Where(Lookups.Addressed(key))
            .Where(r => r.Type == Kind.Type && db.Institutions.Any(i => i.Id == r.InstitutionId && i.Slug == institution))
            .SingleOrDefaultAsync(cancellationToken);

    private async Task<ProblemHttpResult> MissingAsync(string institution, string key, CancellationToken cancellationToken) =>
        await db.InstitutionIdAsync(institution, cancellationToken) is null
            ? Problems.NotFound(Lookups.UnknownInstitution(institution))
            : Problems.NotFound($"Institution '{institution}' has no {Kind.Name} '{key}'.");

    private static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail);

    private void Audit(KeyGrant grant, Guid institutionId, string action, Guid resourceId, int? revision, object? detail) =>
        db.AuditLog.Add(new AuditEntry
        {
            InstitutionId = institutionId,
            At = clock.GetUtcNow(),
            KeyId = grant.KeyId,
            Actor = grant.Name,
            Action = action,
            ResourceType = Kind.Type,
            ResourceId = resourceId,
            Revision = revision,
            Detail = detail is null ? null : JsonSerializer.Serialize(detail, PacoJson.Options),
        });

    private static bool HasDuplicateKeys(JsonNode? node)
    {
        try
        {
            // JsonObject reports a repeated name when it is first enumerated.
            return node switch
            {
                JsonObject o => o.Any(p => HasDuplicateKeys(p.Value)),
                JsonArray a => a.Any(HasDuplicateKeys),
                _ => false,
            };
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    /// <summary>The optional change note: X-Change-Note header (percent-encoded UTF-8 allowed, so accents survive HTTP headers).</summary>
    private static string? ChangeNote(HttpContext http)
    {
        var raw = http.Request.Headers[ChangeNoteHeader].ToString();
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }
        // No control characters (PostgreSQL refuses NUL), and never cut a surrogate pair in two.
        var note = new string(Uri.UnescapeDataString(raw).Where(c => !char.IsControl(c)).ToArray()).Trim();
        if (note.Length <= MaxChangeNoteLength)
        {
            return note;
        }
        var cut = char.IsHighSurrogate(note[MaxChangeNoteLength - 1]) ? MaxChangeNoteLength - 1 : MaxChangeNoteLength;
        return note[..cut];
    }
}

/// <summary>RFC 7396 JSON Merge Patch.</summary>
public static class MergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }
        var result = target is JsonObject targetObject ? (JsonObject)targetObject.DeepClone() : new JsonObject();
        foreach (var (name, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(name);
            }
            else
            {
                result[name] = Apply(result[name], value);
            }
        }
        return result;
    }
}
