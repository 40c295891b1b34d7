using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Paco.Api.Audit;
using Paco.Api.Common;
using Paco.Api.Data;

namespace Paco.Api.Revisions;

/// <summary>
/// The editorial operations, the same for every versioned type. Each write is a straight line over one transaction:
/// read the body, open the edit session (lock, load, If-Match), check the document, change, commit.
/// </summary>
public static class EditorialEndpoints
{
    public static async Task<Results<Created<DraftResponse<TDocument>>, ValidationProblem, ProblemHttpResult>> Create<TDocument>(
        string institution, [AsParameters] EditorialServices services)
    {
        var (db, module, cancellationToken) = (services.Db, services.Module, services.CancellationToken);
        var (body, unreadable) = await DocumentInput.ReadAsync(services.Http.Request, DocumentInput.Json, cancellationToken);
        if (unreadable is not null)
        {
            return unreadable;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await services.Store.LockInstitutionAsync(institution, cancellationToken) is not { } found)
        {
            return Problems.NotFound(InstitutionLookups.UnknownInstitution(institution));
        }
        var (document, invalid, problem) = await DocumentInput.CheckAsync(services, found.Id, null, body!);
        if (document is null)
        {
            return invalid is not null ? invalid : problem!;
        }
        var id = Guid.CreateVersion7();
        var note = services.ChangeNote;
        db.Record(services.Clock.GetUtcNow(), services.Grant, found.Id, "create", module.Kind.Type, id, 1, new { note });
        var (resource, revision) = await services.Store.CreateAsync(found.Id, module, id, document, services.Grant.Name, note, cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        var (response, etag) = Drafts.Of<TDocument>(resource, revision, []);
        services.Http.Response.Headers.ETag = etag;
        return TypedResults.Created($"{module.Kind.Collection(institution)}/{resource.Slug}/draft", response);
    }

    public static async Task<Results<Ok<DraftResponse<TDocument>>, ProblemHttpResult>> GetDraft<TDocument>(string institution, [AsParameters] EditorialServices services)
    {
        var (db, kind, cancellationToken) = (services.Db, services.Module.Kind, services.CancellationToken);
        if (await FindAsync(services, institution) is not { } resource)
        {
            return await db.UnknownAsync(institution, kind, services.Key, cancellationToken);
        }
        var latest = await db.Revisions.AsNoTracking().SingleAsync(v => v.ResourceId == resource.Id && v.Number == resource.LatestRevision, cancellationToken);
        var scheduled = await db.ScheduledPublications.AsNoTracking()
            .Where(s => s.ResourceId == resource.Id && s.DoneAt == null && s.CancelledAt == null)
            .OrderBy(s => s.DueAt).ThenBy(s => s.Id)
            .Select(s => new ScheduledInfo(s.Id, s.RevisionNumber, s.DueAt, s.Author))
            .ToListAsync(cancellationToken);
        var (response, etag) = Drafts.Of<TDocument>(resource, latest, scheduled);
        services.Http.Response.Headers.ETag = etag;
        services.Http.Response.Headers.CacheControl = "private, no-cache";
        return TypedResults.Ok(response);
    }

    public static async Task<Results<Ok<DraftList<TDocument>>, ProblemHttpResult>> ListDrafts<TDocument>(string institution, [AsParameters] EditorialServices services)
    {
        var (db, kind, cancellationToken) = (services.Db, services.Module.Kind, services.CancellationToken);
        if (await db.InstitutionIdAsync(institution, cancellationToken) is not Guid institutionId)
        {
            return Problems.NotFound(InstitutionLookups.UnknownInstitution(institution));
        }
        var rows = await db.Resources.AsNoTracking()
            .Where(r => r.InstitutionId == institutionId && r.Type == kind.Type)
            .Join(db.Revisions.AsNoTracking(), r => new { r.Id, Number = r.LatestRevision }, v => new { Id = v.ResourceId, v.Number }, (r, v) => new { r, v })
            .OrderBy(x => x.r.Slug).ThenBy(x => x.r.Id)
            .ToListAsync(cancellationToken);
        var ids = rows.Select(x => x.r.Id).ToList();
        var scheduled = (await db.ScheduledPublications.AsNoTracking()
                .Where(s => ids.Contains(s.ResourceId) && s.DoneAt == null && s.CancelledAt == null)
                .OrderBy(s => s.DueAt).ThenBy(s => s.Id)
                .ToListAsync(cancellationToken))
            .ToLookup(s => s.ResourceId, s => new ScheduledInfo(s.Id, s.RevisionNumber, s.DueAt, s.Author));
        var items = rows.Select(x => Drafts.Of<TDocument>(x.r, x.v, scheduled[x.r.Id].ToList()).Response).ToList();
        services.Http.Response.Headers.CacheControl = "private, no-cache";
        return TypedResults.Ok(new DraftList<TDocument>(items));
    }

    public static async Task<Results<Ok<DraftResponse<TDocument>>, ValidationProblem, ProblemHttpResult>> Replace<TDocument>(
        string institution, [AsParameters] EditorialServices services)
    {
        var (body, unreadable) = await DocumentInput.ReadAsync(services.Http.Request, DocumentInput.Json, services.CancellationToken);
        if (unreadable is not null)
        {
            return unreadable;
        }
        return await WriteAsync<TDocument>(institution, services, "replace", _ => Task.FromResult<JsonNode?>(body), services.ChangeNote);
    }

    /// <summary>RFC 7396 merge patch over the current draft.</summary>
    public static async Task<Results<Ok<DraftResponse<TDocument>>, ValidationProblem, ProblemHttpResult>> Patch<TDocument>(
        string institution, [AsParameters] EditorialServices services)
    {
        var (patch, unreadable) = await DocumentInput.ReadAsync(services.Http.Request, DocumentInput.MergePatch, services.CancellationToken);
        if (unreadable is not null)
        {
            return unreadable;
        }
        return await WriteAsync<TDocument>(institution, services, "patch",
            draft => Task.FromResult(MergePatch.Apply(JsonNode.Parse(draft.Document), patch)), services.ChangeNote);
    }

    /// <summary>A new draft revision equal to an older one; history is never rewritten.</summary>
    public static Task<Results<Ok<DraftResponse<TDocument>>, ValidationProblem, ProblemHttpResult>> Restore<TDocument>(
        string institution, RestoreRequest request, [AsParameters] EditorialServices services) =>
        WriteAsync<TDocument>(institution, services, "restore", async draft =>
        {
            var old = await services.Db.Revisions.AsNoTracking()
                .Where(v => v.ResourceId == draft.ResourceId && v.Number == request.Revision).Select(v => v.Document).SingleOrDefaultAsync(services.CancellationToken);
            return old is null ? null : JsonNode.Parse(old);
        }, $"Restored revision {request.Revision}", request.Revision);

    /// <summary>A new draft revision made from the current one by <paramref name="next"/> (null: the revision to restore does not exist).</summary>
    private static async Task<Results<Ok<DraftResponse<TDocument>>, ValidationProblem, ProblemHttpResult>> WriteAsync<TDocument>(
        string institution, EditorialServices services, string action, Func<Revision, Task<JsonNode?>> next, string? note, int? restoring = null)
    {
        var (session, refused) = await EditSession<TDocument>.OpenAsync(services, institution);
        if (session is null)
        {
            return refused!;
        }
        await using (session)
        {
            if (await next(session.Latest) is not { } node)
            {
                return Problems.BadRequest($"'revision' must be an existing revision, 1 to {session.Latest.Number}; there is no revision {restoring}.");
            }
            var (document, invalid, problem) = await DocumentInput.CheckAsync(services, session.Institution.Id, session.Resource.Id, node);
            if (document is null)
            {
                return invalid is not null ? invalid : problem!;
            }
            session.AppendRevision(document, action, note);
            return TypedResults.Ok(await session.CommitAsync());
        }
    }

    public static async Task<Results<Ok<DraftResponse<TDocument>>, Accepted<DraftResponse<TDocument>>, ProblemHttpResult>> Publish<TDocument>(
        string institution, [FromBody] PublishRequest? request, [AsParameters] EditorialServices services)
    {
        request ??= new PublishRequest(null, null);
        var (session, refused) = await EditSession<TDocument>.OpenAsync(services, institution);
        if (session is null)
        {
            return refused!;
        }
        await using (session)
        {
            var resource = session.Resource;
            var number = request.Revision ?? resource.LatestRevision;
            if (number < 1 || number > resource.LatestRevision)
            {
                return Problems.BadRequest($"'revision' must be between 1 and {resource.LatestRevision}, the newest revision.");
            }
            if (request.At is { } at && at > services.Clock.GetUtcNow())
            {
                session.Schedule(number, at);
                return TypedResults.Accepted((string?)null, await session.CommitAsync());
            }
            session.Audit("publish", number, null); // first, so it is saved in the same batch as the pointer
            await services.Store.PublishAsync(session.Institution, resource, number, services.Grant.Name, render: true, services.CancellationToken,
                number == session.Latest.Number ? session.Latest : null);
            return TypedResults.Ok(await session.CommitAsync());
        }
    }

    public static Task<Results<Ok<DraftResponse<TDocument>>, ProblemHttpResult>> Unpublish<TDocument>(string institution, [AsParameters] EditorialServices services) =>
        TakeOffAsync<TDocument>(institution, services, reason: null);

    public static Task<Results<Ok<DraftResponse<TDocument>>, ProblemHttpResult>> Archive<TDocument>(
        string institution, ArchiveRequest request, [AsParameters] EditorialServices services) =>
        TakeOffAsync<TDocument>(institution, services, request.Reason.Trim());

    private static async Task<Results<Ok<DraftResponse<TDocument>>, ProblemHttpResult>> TakeOffAsync<TDocument>(string institution, EditorialServices services, string? reason)
    {
        var (session, refused) = await EditSession<TDocument>.OpenAsync(services, institution);
        if (session is null)
        {
            return refused!;
        }
        await using (session)
        {
            if (reason is null ? session.Resource.PublishedRevision is null : session.Resource.ArchivedAt is not null)
            {
                return Problems.Conflict(reason is null ? "It is not published." : "It is already archived.");
            }
            session.Audit(reason is null ? "unpublish" : "archive", null, reason is null ? null : new { reason });
            await services.Store.UnpublishAsync(session.Institution, session.Resource, services.Grant.Name, reason, services.CancellationToken);
            session.ForgetSchedules();
            return TypedResults.Ok(await session.CommitAsync());
        }
    }

    public static async Task<Results<Ok<History>, ProblemHttpResult>> GetHistory(string institution, [AsParameters] EditorialServices services)
    {
        var (db, kind, cancellationToken) = (services.Db, services.Module.Kind, services.CancellationToken);
        if (await FindAsync(services, institution) is not { } resource)
        {
            return await db.UnknownAsync(institution, kind, services.Key, cancellationToken);
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

    public static async Task<Results<Ok<DiffResponse>, ProblemHttpResult>> Diff(string institution, int from, int to, [AsParameters] EditorialServices services)
    {
        var (db, kind, key, cancellationToken) = (services.Db, services.Module.Kind, services.Key, services.CancellationToken);
        if (await FindAsync(services, institution) is not { } resource)
        {
            return await db.UnknownAsync(institution, kind, key, cancellationToken);
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

    private static Task<Resource?> FindAsync(EditorialServices services, string institution) =>
        services.Db.Resources.AsNoTracking()
            .Where(ResourceLookups.Addressed(services.Key))
            .Where(r => r.Type == services.Module.Kind.Type && services.Db.Institutions.Any(i => i.Id == r.InstitutionId && i.Slug == institution))
            .SingleOrDefaultAsync(services.CancellationToken);
}
