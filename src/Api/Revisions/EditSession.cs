using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Paco.Api.Audit;
using Paco.Api.Auth;
using Paco.Api.Common;
using Paco.Api.Data;

namespace Paco.Api.Revisions;

/// <summary>What every write handler takes: the services of one request, bound with [AsParameters].</summary>
public sealed record EditorialServices(PacoDb Db, ContentStore Store, ResourceModules Modules, TimeProvider Clock, HttpContext Http, CancellationToken CancellationToken)
{
    public const string ChangeNoteHeader = "X-Change-Note";
    public const int MaxChangeNoteLength = 500;

    /// <summary>The type the route is for (each versioned type's routes carry their module as metadata).</summary>
    public IResourceModule Module => Http.GetEndpoint()!.Metadata.GetRequiredMetadata<IResourceModule>();

    /// <summary>The resource's slug or id, from the type's own route parameter ({organ}, {legalBasis}).</summary>
    public string Key => Http.GetRouteValue(Module.Kind.RouteParameter) as string ?? "";

    public KeyGrant Grant => Http.Grant();

    /// <summary>The optional change note: X-Change-Note header (percent-encoded UTF-8 allowed, so accents survive HTTP headers).</summary>
    public string? ChangeNote
    {
        get
        {
            var raw = Http.Request.Headers[ChangeNoteHeader].ToString();
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
}

/// <summary>
/// One write to an existing resource, in one transaction: the institution is locked (always first), the resource row
/// is locked and loaded once with its draft and schedules, If-Match is checked once against the draft's ETag; then the
/// handler changes what it changes, and <see cref="CommitAsync"/> saves, commits and answers the new draft.
/// Cached answers go when the transaction commits (<see cref="PacoDb.AfterCommit"/>), never before, and never if it does not.
/// </summary>
public sealed class EditSession<TDocument> : IAsyncDisposable
{
    private readonly EditorialServices _services;
    private readonly IDbContextTransaction _transaction;
    private readonly List<ScheduledInfo> _scheduled;
    private readonly List<ScheduledPublication> _pendingSchedules = [];

    private EditSession(EditorialServices services, IDbContextTransaction transaction, InstitutionInfo institution, Resource resource, Revision latest, List<ScheduledInfo> scheduled)
    {
        _services = services;
        _transaction = transaction;
        Institution = institution;
        Resource = resource;
        Latest = latest;
        _scheduled = scheduled;
    }

    public InstitutionInfo Institution { get; }

    /// <summary>The resource row, locked and tracked: what the handler sets here is saved at commit.</summary>
    public Resource Resource { get; }

    /// <summary>The newest revision: the draft (or the one this session appended).</summary>
    public Revision Latest { get; private set; }

    public IResourceModule Module => _services.Module;

    private PacoDb Db => _services.Db;

    /// <returns>The session, or the problem that ends the request (428, 404, 412); the caller disposes the session.</returns>
    public static async Task<(EditSession<TDocument>? Session, ProblemHttpResult? Problem)> OpenAsync(EditorialServices services, string institution)
    {
        var kind = services.Module.Kind;
        var key = services.Key;
        if (!HttpConditions.HasIfMatch(services.Http.Request, out var ifMatch))
        {
            return (null, Problems.PreconditionRequired(
                $"Send If-Match with the ETag of the draft you edited (GET {kind.Collection(institution)}/{key}/draft answers it), so nobody's work is overwritten."));
        }
        var db = services.Db;
        var cancellationToken = services.CancellationToken;
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var opened = false;
        try
        {
            if (await services.Store.LockInstitutionAsync(institution, cancellationToken) is not { } found)
            {
                return (null, Problems.NotFound(InstitutionLookups.UnknownInstitution(institution)));
            }
            if (await LockedDrafts.LoadAsync(db, found.Id, kind, key, cancellationToken) is not { } locked)
            {
                return (null, Problems.NotFound($"Institution '{institution}' has no {kind.Name} '{key}'."));
            }
            var session = new EditSession<TDocument>(services, transaction, found, locked.Resource, locked.Latest, locked.Scheduled);
            var current = session.Answer().ETag;
            if (!HttpConditions.IfMatchAccepts(ifMatch, current))
            {
                return (null, Problems.PreconditionFailed(services.Http, current,
                    $"Someone changed it since you read it: the current ETag is {current}. Read the draft again, re-apply your change, and send that ETag."));
            }
            opened = true;
            return (session, null);
        }
        finally
        {
            if (!opened)
            {
                await transaction.DisposeAsync(); // rolls back: nothing was written
            }
        }
    }


    /// <summary>Appends <paramref name="document"/> (validated by the caller) as the new draft, with its audit line.</summary>
    public void AppendRevision(object document, string action, string? note)
    {
        Latest = _services.Store.AppendRevision(Resource, document, _services.Grant.Name, note);
        Audit(action, Latest.Number, new { note });
    }

    public void Schedule(int revision, DateTimeOffset at)
    {
        var scheduled = new ScheduledPublication
        {
            ResourceId = Resource.Id, RevisionNumber = revision, DueAt = ContentStore.AsStored(at), Author = _services.Grant.Name, CreatedAt = _services.Store.Now(),
        };
        Db.ScheduledPublications.Add(scheduled);
        _pendingSchedules.Add(scheduled);
        Audit("schedule-publish", revision, new { at });
    }

    /// <summary>What was scheduled is cancelled (the resource was taken off the site).</summary>
    public void ForgetSchedules() => _scheduled.Clear();

    public void Audit(string action, int? revision, object? detail) =>
        Db.Record(_services.Clock.GetUtcNow(), _services.Grant, Resource.InstitutionId, action, Resource.Type, Resource.Id, revision, detail);

    /// <summary>Saves, commits and answers the new draft with its ETag (also set on the response).</summary>
    public async Task<DraftResponse<TDocument>> CommitAsync()
    {
        await Db.SaveChangesAsync(_services.CancellationToken);
        await _transaction.CommitAsync(_services.CancellationToken);
        _scheduled.AddRange(_pendingSchedules.Select(s => new ScheduledInfo(s.Id, s.RevisionNumber, s.DueAt, s.Author)));
        _scheduled.Sort((a, b) => (a.DueAt, a.Id).CompareTo((b.DueAt, b.Id)));
        var (response, etag) = Answer();
        _services.Http.Response.Headers.ETag = etag;
        return response;
    }

    private (DraftResponse<TDocument> Response, string ETag) Answer() => Drafts.Of<TDocument>(Resource, Latest, _scheduled);

    public async ValueTask DisposeAsync() => await _transaction.DisposeAsync();
}

/// <summary>A resource locked for the caller's transaction, with its newest revision (the draft) and its pending schedules.</summary>
public sealed record LockedDraft(Resource Resource, Revision Latest, List<ScheduledInfo> Scheduled);

public static class LockedDrafts
{
    private sealed record DraftRow(
        Guid Id, Guid InstitutionId, string Type, string Slug, int LatestRevision, int? PublishedRevision, DateTimeOffset? PublishedAt, string? PublishedEtag,
        DateTimeOffset? RenderedAt, DateTimeOffset? ArchivedAt, string? ArchivedReason, DateTimeOffset CreatedAt,
        string Document, string ContentHash, DateTimeOffset RevisionCreatedAt, string Author, string? Note, string Scheduled);

    /// <summary>
    /// The resource of <paramref name="kind"/> addressed by <paramref name="key"/> (slug or id), locked FOR UPDATE and
    /// loaded with its draft and schedules in one query, and tracked (what the caller sets on it is saved); null when
    /// there is none. The caller holds the transaction and has locked the institution first.
    /// </summary>
    public static async Task<LockedDraft?> LoadAsync(PacoDb db, Guid institutionId, ResourceKind kind, string key, CancellationToken cancellationToken)
    {
        var (slug, id) = ResourceLookups.AddressOf(key);
        var row = (await db.Database.SqlQuery<DraftRow>($"""
            select r.id as "Id", r.institution_id as "InstitutionId", r.type as "Type", r.slug as "Slug", r.latest_revision as "LatestRevision",
                   r.published_revision as "PublishedRevision", r.published_at as "PublishedAt", r.published_etag as "PublishedEtag",
                   r.rendered_at as "RenderedAt", r.archived_at as "ArchivedAt", r.archived_reason as "ArchivedReason", r.created_at as "CreatedAt",
                   v.document::text as "Document", v.content_hash as "ContentHash", v.created_at as "RevisionCreatedAt", v.author as "Author", v.note as "Note",
                   (select coalesce(json_agg(json_build_object(
                              'id', s.id, 'revision', s.revision_number, 'author', s.author,
                              'dueAt', to_char(s.due_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')) order by s.due_at, s.id), '[]')::text
                    from scheduled_publications s where s.resource_id = r.id and s.done_at is null and s.cancelled_at is null) as "Scheduled"
            from resources r join revisions v on v.resource_id = r.id and v.number = r.latest_revision
            where r.institution_id = {institutionId} and r.type = {kind.Type} and (r.slug = {slug} or r.id = {id})
            for update of r
            """).ToListAsync(cancellationToken)).SingleOrDefault();
        if (row is null)
        {
            return null;
        }
        var resource = new Resource
        {
            Id = row.Id, InstitutionId = row.InstitutionId, Type = row.Type, Slug = row.Slug, LatestRevision = row.LatestRevision,
            PublishedRevision = row.PublishedRevision, PublishedAt = row.PublishedAt, PublishedEtag = row.PublishedEtag, RenderedAt = row.RenderedAt,
            ArchivedAt = row.ArchivedAt, ArchivedReason = row.ArchivedReason, CreatedAt = row.CreatedAt,
        };
        db.Resources.Attach(resource);
        var latest = new Revision
        {
            ResourceId = row.Id, Number = row.LatestRevision, Document = row.Document, ContentHash = row.ContentHash,
            CreatedAt = row.RevisionCreatedAt, Author = row.Author, Note = row.Note,
        };
        return new LockedDraft(resource, latest, JsonSerializer.Deserialize<List<ScheduledInfo>>(row.Scheduled, PacoJson.Options)!);
    }
}
