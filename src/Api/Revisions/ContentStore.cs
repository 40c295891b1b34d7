using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Paco.Api.Common;
using Paco.Api.Data;
using Paco.Api.Institutions;
using Paco.Api.LegalBases;
using Paco.Api.Organs;

namespace Paco.Api.Revisions;

/// <summary>
/// The one way content is written: revisions are appended (never changed), publishing moves the
/// resource's pointer, refreshes the projections used by lists, and re-renders the stored public
/// representation of the resource and of everything whose representation shows it.
/// Callers own the transaction, so a write and its pointer change commit together.
/// Reads default to no tracking (PacoDb options), so every entity changed here is loaded AsTracking.
/// </summary>
public sealed class ContentStore(PacoDb db, TimeProvider clock, PublishedCache cache)
{
    private readonly List<(Guid InstitutionId, Guid ResourceId)> _announced = [];

    /// <summary>
    /// Serialises every change of what an institution publishes (publish, unpublish, archive, re-render): they read
    /// and re-render each other's documents, so two at once could store one's old bytes over the other's, or deadlock.
    /// Always taken first, before any row lock, in the caller's transaction.
    /// </summary>
    public async Task LockInstitutionAsync(Guid institutionId, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlAsync($"select pg_advisory_xact_lock(hashtextextended({institutionId.ToString()}, 0))", cancellationToken);

    /// <summary>
    /// After the caller's commit: drops this instance's cached answers for what changed once more. The invalidation
    /// before the commit can be undone by a read of the old rows in between; this one cannot.
    /// </summary>
    public void InvalidateCommitted()
    {
        foreach (var group in _announced.GroupBy(a => a.InstitutionId))
        {
            cache.Invalidate(group.Key, group.Select(a => a.ResourceId));
        }
        _announced.Clear();
    }
    public async Task<Resource> CreateAsync(
        Guid institutionId, string type, Guid id, string slug, object document, string author, string? note, CancellationToken cancellationToken)
    {
        var resource = new Resource
        {
            Id = id,
            InstitutionId = institutionId,
            Type = type,
            Slug = slug,
            CreatedAt = Now(),
        };
        db.Resources.Add(resource);
        await db.SaveChangesAsync(cancellationToken);
        await AppendRevisionAsync(resource, document, author, note, cancellationToken);
        return resource;
    }

    /// <summary>Appends the next revision. The number comes from an atomic increment, so concurrent writers never share or skip one.</summary>
    public async Task<Revision> AppendRevisionAsync(Resource resource, object document, string author, string? note, CancellationToken cancellationToken)
    {
        // Not composable (UPDATE … RETURNING): materialise, then take the single row.
        var number = (await db.Database
            .SqlQuery<int>($"update resources set latest_revision = latest_revision + 1 where id = {resource.Id} returning latest_revision as \"Value\"")
            .ToListAsync(cancellationToken)).Single();
        var json = Encoding.UTF8.GetString(PacoJson.SerializeToUtf8(document, document.GetType()));
        var revision = new Revision
        {
            ResourceId = resource.Id,
            Number = number,
            Document = json,
            ContentHash = ContentHash(json),
            CreatedAt = Now(),
            Author = author,
            Note = note,
        };
        db.Revisions.Add(revision);
        await db.SaveChangesAsync(cancellationToken);
        resource.LatestRevision = number;
        db.Entry(resource).Property(r => r.LatestRevision).IsModified = false;
        return revision;
    }

    /// <summary>
    /// Makes <paramref name="number"/> the published revision. With <paramref name="render"/> false the caller
    /// renders later (the seeder publishes a whole institution, then renders it once references all resolve).
    /// </summary>
    public async Task PublishAsync(Resource resource, int number, string author, bool render, CancellationToken cancellationToken)
    {
        var revision = await db.Revisions.AsNoTracking()
            .SingleAsync(r => r.ResourceId == resource.Id && r.Number == number, cancellationToken);
        var now = Now();
        resource.PublishedRevision = number;
        resource.PublishedAt = now;
        resource.ArchivedAt = null; // publishing an archived resource brings it back
        resource.ArchivedReason = null;
        db.Publications.Add(new Publication { ResourceId = resource.Id, RevisionNumber = number, Action = PublicationActions.Publish, At = now, Author = author });

        var affected = new HashSet<Guid> { resource.Id };
        if (resource.Type == ResourceTypes.Organ)
        {
            var document = PacoJson.Deserialize<OrganDocument>(revision.Document);
            affected.UnionWith(await ProjectOrganAsync(resource, document, cancellationToken));
        }
        else
        {
            var document = PacoJson.Deserialize<LegalBasisDocument>(revision.Document);
            affected.UnionWith(await ProjectLegalBasisAsync(resource, document, cancellationToken));
        }

        // The representation must exist in the same transaction as the pointer (a published resource always has one).
        resource.PublishedJson ??= "{}";
        await db.SaveChangesAsync(cancellationToken);
        if (render)
        {
            await RenderAsync(resource.InstitutionId, affected, cancellationToken);
        }
    }

    /// <summary>
    /// Takes the resource off the public site: unpublished, or archived with a reason (its URL then answers 410 Gone).
    /// Its revisions stay, and those that were published stay readable.
    /// </summary>
    public async Task UnpublishAsync(Resource resource, string author, string? archiveReason, CancellationToken cancellationToken)
    {
        var now = Now();
        resource.PublishedRevision = null;
        resource.PublishedAt = null;
        resource.PublishedJson = null;
        resource.PublishedEtag = null;
        resource.RenderedAt = now;
        if (archiveReason is not null)
        {
            resource.ArchivedAt = now;
            resource.ArchivedReason = archiveReason;
        }
        // What was scheduled before it was taken off must not silently bring it back.
        await db.ScheduledPublications.Where(s => s.ResourceId == resource.Id && s.DoneAt == null && s.CancelledAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.CancelledAt, now), cancellationToken);
        // Its projection goes too: lists, slugs and citations only ever show what is published.
        await db.Citations.Where(c => c.OrganId == resource.Id).ExecuteDeleteAsync(cancellationToken);
        await db.Organs.Where(o => o.ResourceId == resource.Id).ExecuteDeleteAsync(cancellationToken);
        await db.LegalBases.Where(l => l.ResourceId == resource.Id).ExecuteDeleteAsync(cancellationToken);
        db.Publications.Add(new Publication
        {
            ResourceId = resource.Id,
            Action = archiveReason is null ? PublicationActions.Unpublish : PublicationActions.Archive,
            At = now,
            Author = author,
        });
        await db.SaveChangesAsync(cancellationToken);
        await AnnounceChangedAsync(resource.InstitutionId, [resource.Id], cancellationToken);
        // Whatever showed it (parent, children, citing organs, cited legal bases) is rendered again without it.
        await RenderInstitutionAsync(resource.InstitutionId, cancellationToken);
    }

    /// <summary>Re-renders every published resource of an institution.</summary>
    public async Task RenderInstitutionAsync(Guid institutionId, CancellationToken cancellationToken)
    {
        var ids = await db.Resources.Where(r => r.InstitutionId == institutionId && r.PublishedRevision != null)
            .Select(r => r.Id).ToListAsync(cancellationToken);
        await RenderAsync(institutionId, ids.ToHashSet(), cancellationToken);
    }

    /// <summary>The citation rows an organ document projects: one per legal basis it links, one per competence citation.</summary>
    internal static List<CitationRow> CitationsOf(Guid organId, OrganDocument document) =>
        document.LegalBases
            .Select(l => new CitationRow { OrganId = organId, LegalBasisId = l.LegalBasisId, Role = l.Role })
            .Concat(document.Competences.SelectMany(c => c.Citations.Select(x => new CitationRow
            {
                OrganId = organId,
                LegalBasisId = x.LegalBasisId,
                CompetenceId = c.Id,
                CompetenceLabel = c.Label,
                CompetenceGroup = c.Group,
                Article = x.Article,
                Paragraph = x.Paragraph,
                Item = x.Item,
            })))
            .ToList();

    /// <summary>Returns the ids of the resources whose representation shows this organ.</summary>
    private async Task<IEnumerable<Guid>> ProjectOrganAsync(Resource resource, OrganDocument document, CancellationToken cancellationToken)
    {
        // The institution's published organs and their parents: for the cycle check, and as what to re-render.
        var parents = await db.Organs.AsNoTracking().Where(o => o.InstitutionId == resource.InstitutionId)
            .ToDictionaryAsync(o => o.ResourceId, o => o.ParentId, cancellationToken);
        if (document.ParentId is Guid parent)
        {
            // The hierarchy the public sees is made of published parents: publishing must not close a cycle there.
            var seen = new HashSet<Guid> { resource.Id };
            for (Guid? current = parent; current is Guid id; current = parents.GetValueOrDefault(id))
            {
                if (!seen.Add(id))
                {
                    throw new PublishConflictException("Publishing this revision would make the published hierarchy a cycle: its parent is among its own descendants.");
                }
            }
        }
        var row = await db.Organs.AsTracking().SingleOrDefaultAsync(o => o.ResourceId == resource.Id, cancellationToken);
        if (row is null)
        {
            row = new OrganRow { ResourceId = resource.Id, InstitutionId = resource.InstitutionId, Slug = document.Slug, Name = document.Name, Kind = document.Kind };
            db.Organs.Add(row);
        }
        row.Slug = document.Slug;
        row.Name = document.Name;
        row.Acronym = document.Acronym;
        row.Kind = document.Kind;
        row.ParentId = document.ParentId;
        row.DisplayOrder = document.DisplayOrder;
        resource.Slug = document.Slug;

        var previous = await db.Citations.AsTracking().Where(c => c.OrganId == resource.Id).ToListAsync(cancellationToken);
        db.Citations.RemoveRange(previous);
        var citations = CitationsOf(resource.Id, document);
        db.Citations.AddRange(citations);

        // Parent, children and organs naming this one as performer all show its name: re-rendering every organ
        // of the institution (tens, not thousands) is simpler than tracking each reference, and always correct.
        return previous.Select(c => c.LegalBasisId)
            .Concat(citations.Select(c => c.LegalBasisId))
            .Concat(parents.Keys);
    }

    private async Task<IEnumerable<Guid>> ProjectLegalBasisAsync(Resource resource, LegalBasisDocument document, CancellationToken cancellationToken)
    {
        var row = await db.LegalBases.AsTracking().SingleOrDefaultAsync(l => l.ResourceId == resource.Id, cancellationToken);
        if (row is null)
        {
            row = new LegalBasisRow { ResourceId = resource.Id, InstitutionId = resource.InstitutionId, Slug = document.Slug, Kind = document.Kind, Title = document.Title, Status = document.Status };
            db.LegalBases.Add(row);
        }
        row.Slug = document.Slug;
        row.Kind = document.Kind;
        row.Number = document.Number;
        row.Year = document.Year;
        row.Title = document.Title;
        row.Status = document.Status;
        resource.Slug = document.Slug;
        return await db.Citations.Where(c => c.LegalBasisId == resource.Id).Select(c => c.OrganId).Distinct().ToListAsync(cancellationToken);
    }

    private async Task RenderAsync(Guid institutionId, IReadOnlySet<Guid> resourceIds, CancellationToken cancellationToken)
    {
        var context = await RenderContext.LoadAsync(db, institutionId, cancellationToken);
        var resources = await db.Resources.AsTracking()
            .Where(r => resourceIds.Contains(r.Id) && r.PublishedRevision != null)
            .ToListAsync(cancellationToken);
        var ids = resources.Select(r => r.Id).ToList();
        var revisions = await db.Revisions.AsNoTracking()
            .Where(v => ids.Contains(v.ResourceId) && db.Resources.Any(r => r.Id == v.ResourceId && r.PublishedRevision == v.Number))
            .Select(v => new { v.ResourceId, v.Number, v.Document, v.ContentHash, v.CreatedAt })
            .ToDictionaryAsync(v => v.ResourceId, cancellationToken);

        var changed = new List<Guid>();
        foreach (var resource in resources)
        {
            var revision = revisions[resource.Id];
            var info = new RevisionInfo(revision.Number, resource.PublishedAt!.Value, revision.ContentHash);
            object representation = resource.Type == ResourceTypes.Organ
                ? context.RenderOrgan(resource.Id, PacoJson.Deserialize<OrganDocument>(revision.Document), info)
                : context.RenderLegalBasis(resource.Id, PacoJson.Deserialize<LegalBasisDocument>(revision.Document), info);
            var bytes = PacoJson.SerializeToUtf8(representation, representation.GetType());
            var etag = StrongEtag(revision.Number, bytes);
            if (etag != resource.PublishedEtag)
            {
                resource.PublishedJson = Encoding.UTF8.GetString(bytes);
                resource.PublishedEtag = etag;
                resource.RenderedAt = Now();
                changed.Add(resource.Id);
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        await AnnounceChangedAsync(institutionId, changed, cancellationToken);
    }

    /// <summary>
    /// Tells every instance (NOTIFY, delivered when the transaction commits) and this one (at once) that these
    /// published representations changed, so no cache serves the old bytes.
    /// </summary>
    private async Task AnnounceChangedAsync(Guid institutionId, IReadOnlyList<Guid> resourceIds, CancellationToken cancellationToken)
    {
        if (resourceIds.Count == 0)
        {
            return;
        }
        cache.Invalidate(institutionId, resourceIds);
        _announced.AddRange(resourceIds.Select(id => (institutionId, id)));
        foreach (var chunk in resourceIds.Chunk(200)) // NOTIFY payloads are limited to 8000 bytes
        {
            var payload = PublishedCache.Payload(institutionId, chunk);
            await db.Database.ExecuteSqlAsync($"select pg_notify({PublishedCache.Channel}, {payload})", cancellationToken);
        }
    }

    /// <summary>
    /// The time, at the precision PostgreSQL stores (microseconds): a value rendered before and after a round trip
    /// through the database must be the same bytes, or the ETag would change for nothing.
    /// </summary>
    private DateTimeOffset Now()
    {
        var now = clock.GetUtcNow();
        return now.AddTicks(-(now.Ticks % 10));
    }

    public static string ContentHash(string json) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));

    /// <summary>A strong validator: the revision number plus a digest of the exact bytes served.</summary>
    public static string StrongEtag(int revision, ReadOnlySpan<byte> bytes) =>
        $"\"{revision}-{Convert.ToHexStringLower(SHA256.HashData(bytes))[..20]}\"";

    /// <summary>A strong validator for a computed answer (lists, sub-resources): a digest of its exact bytes.</summary>
    public static string ContentEtag(ReadOnlySpan<byte> bytes) => $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..24]}\"";
}

/// <summary>A publication that would leave the published content inconsistent; answered 409.</summary>
public sealed class PublishConflictException(string message) : Exception(message);
