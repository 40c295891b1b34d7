using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Paco.Api.Common;
using Paco.Api.Data;

namespace Paco.Api.Revisions;

/// <summary>
/// The one way content is written: revisions are appended (never changed), publishing moves the resource's pointer,
/// lets the resource's module refresh its projections, and re-renders the stored public representation of the
/// resource and of everything whose representation shows it. Callers own the transaction, so a write and its
/// pointer change commit together; cached answers are dropped when (and only when) that transaction commits.
/// Reads default to no tracking (PacoDb options), so every entity changed here is tracked explicitly.
/// </summary>
public sealed class ContentStore(PacoDb db, TimeProvider clock, PublishedCache cache, ResourceModules modules, IEnumerable<IPublishedContentObserver> observers)
{
    /// <summary>
    /// The institution, locked for this transaction. Every change of what an institution publishes (publish, unpublish,
    /// archive, re-render) and every draft write takes it first, before any row lock: one order, so no deadlock, and
    /// changes that read and re-render each other's documents never interleave.
    /// </summary>
    public Task<InstitutionInfo?> LockInstitutionAsync(string slug, CancellationToken cancellationToken) =>
        LockAsync("slug = @key", slug, cancellationToken);

    public async Task<InstitutionInfo> LockInstitutionAsync(Guid institutionId, CancellationToken cancellationToken) =>
        (await LockAsync("id = @key", institutionId, cancellationToken))!;

    /// <summary>
    /// Two statements in one round trip: the lock, then the read. Read in the locking statement, the row would come
    /// from that statement's snapshot, taken before it waited, so a change committed by the holder of the lock (a new
    /// name, say) would be rendered over with the old one.
    /// </summary>
    private async Task<InstitutionInfo?> LockAsync(string condition, object key, CancellationToken cancellationToken)
    {
        // A transaction-scoped lock: the caller's transaction holds it (and the connection is open with it).
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction() as Npgsql.NpgsqlTransaction
            ?? throw new InvalidOperationException("Locking an institution needs a transaction: the lock lasts until it ends.");
        await using var batch = new Npgsql.NpgsqlBatch(transaction.Connection, transaction);
        batch.BatchCommands.Add(new Npgsql.NpgsqlBatchCommand($"select pg_advisory_xact_lock(hashtextextended(id::text, 0)) from institutions where {condition}")
        {
            Parameters = { new Npgsql.NpgsqlParameter("key", key) },
        });
        batch.BatchCommands.Add(new Npgsql.NpgsqlBatchCommand($"select id, slug, name, uf, municipality from institutions where {condition}")
        {
            Parameters = { new Npgsql.NpgsqlParameter("key", key) },
        });
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new InstitutionInfo(reader.GetGuid(0), reader.GetString(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3).Trim(), reader.IsDBNull(4) ? null : reader.GetString(4))
            : null;
    }

    /// <summary>A new resource with <paramref name="document"/> as its revision 1, saved.</summary>
    public async Task<(Resource Resource, Revision Revision)> CreateAsync(
        Guid institutionId, IResourceModule module, Guid id, object document, string author, string? note, CancellationToken cancellationToken)
    {
        var resource = new Resource
        {
            Id = id,
            InstitutionId = institutionId,
            Type = module.Kind.Type,
            Slug = module.SlugOf(document),
            CreatedAt = Now(),
        };
        db.Resources.Add(resource);
        var revision = AppendRevision(resource, document, author, note);
        await db.SaveChangesAsync(cancellationToken);
        return (resource, revision);
    }

    /// <summary>
    /// Adds the next revision to <paramref name="resource"/> (tracked: new, or locked FOR UPDATE by the caller, so
    /// the number cannot be taken twice), to be saved with the caller's next SaveChanges. The database refuses gaps.
    /// </summary>
    public Revision AppendRevision(Resource resource, object document, string author, string? note)
    {
        var utf8 = PacoJson.SerializeToUtf8(document, document.GetType());
        var revision = new Revision
        {
            ResourceId = resource.Id,
            Number = resource.LatestRevision + 1,
            Document = Encoding.UTF8.GetString(utf8),
            ContentHash = ContentHash(utf8), // of the same bytes, not of the string encoded again
            CreatedAt = Now(),
            Author = author,
            Note = note,
        };
        resource.LatestRevision = revision.Number;
        if (resource.PublishedRevision is null)
        {
            resource.Slug = modules.For(resource.Type).SlugOf(document); // its address follows the draft until it is published
        }
        db.Revisions.Add(revision);
        return revision;
    }

    /// <summary>
    /// Makes revision <paramref name="number"/> (<paramref name="revision"/> when the caller has it) the published one.
    /// With <paramref name="render"/> false the caller renders later (the seeder publishes a whole institution, then
    /// renders it once every reference resolves).
    /// </summary>
    public async Task PublishAsync(InstitutionInfo institution, Resource resource, int number, string author, bool render, CancellationToken cancellationToken,
        Revision? revision = null)
    {
        revision ??= await db.Revisions.SingleAsync(r => r.ResourceId == resource.Id && r.Number == number, cancellationToken);
        var module = modules.For(resource.Type);
        var document = module.Read(revision.Document);
        var now = Now();
        var wasPublished = resource.PublishedRevision is not null;
        resource.PublishedRevision = number;
        resource.PublishedAt = now;
        resource.Slug = module.SlugOf(document);
        resource.PublicSlug = resource.Slug;
        resource.ArchivedAt = null; // publishing an archived resource brings it back
        resource.ArchivedReason = null;
        db.Publications.Add(new Publication { ResourceId = resource.Id, RevisionNumber = number, Action = PublicationActions.Publish, At = now, Author = author });
        var dependants = await module.ProjectAsync(db, institution, resource, document, cancellationToken);
        if (!wasPublished)
        {
            // The representation exists in the same transaction as the pointer (a published resource always has one);
            // rendering fills it. (An edit session does not load the stored bytes: it never needs them.)
            resource.PublishedJson = "{}";
        }
        await db.SaveChangesAsync(cancellationToken);
        if (render)
        {
            await RenderAsync(institution, dependants, cancellationToken, (resource, document, revision));
            await ObserveAsync(institution, cancellationToken);
        }
    }

    /// <summary>What the institution publishes changed (this transaction): features that keep something derived from it refresh it.</summary>
    private async Task ObserveAsync(InstitutionInfo institution, CancellationToken cancellationToken)
    {
        foreach (var observer in observers)
        {
            await observer.PublishedContentChangedAsync(db, institution, cancellationToken);
        }
    }

    /// <summary>
    /// Takes the resource off the public site: unpublished, or archived with a reason (its URL then answers 410 Gone).
    /// Its revisions stay, and those that were published stay readable.
    /// </summary>
    public async Task UnpublishAsync(InstitutionInfo institution, Resource resource, string author, string? archiveReason, CancellationToken cancellationToken)
    {
        var now = Now();
        resource.PublishedRevision = null;
        resource.PublishedAt = null;
        resource.PublishedJson = null;
        db.Entry(resource).Property(r => r.PublishedJson).IsModified = true; // an edit session never loads the stored bytes, so null may look unchanged
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
        // Its projections go too: lists, slugs and citations only ever show what is published.
        await modules.For(resource.Type).RemoveProjectionAsync(db, resource.Id, cancellationToken);
        db.Publications.Add(new Publication
        {
            ResourceId = resource.Id,
            Action = archiveReason is null ? PublicationActions.Unpublish : PublicationActions.Archive,
            At = now,
            Author = author,
        });
        await db.SaveChangesAsync(cancellationToken);
        await AnnounceAsync(institution.Id, [resource.Id], cancellationToken);
        // Whatever showed it (parent, children, citing organs, cited legal bases) is rendered again without it.
        await RenderInstitutionAsync(institution, cancellationToken);
    }

    /// <summary>Re-renders every published resource of an institution (its name or state changed, or something left it).</summary>
    public async Task RenderInstitutionAsync(InstitutionInfo institution, CancellationToken cancellationToken)
    {
        var ids = await db.Resources.Where(r => r.InstitutionId == institution.Id && r.PublishedRevision != null).Select(r => r.Id).ToListAsync(cancellationToken);
        await RenderAsync(institution, ids, cancellationToken);
        await ObserveAsync(institution, cancellationToken);
        // Answers about the institution at large (lists, the tree) show its name even when no document changed.
        db.AfterCommit(() => cache.Invalidate(institution.Id, []));
        var payload = PublishedCache.Payload(institution.Id, []);
        await db.Database.ExecuteSqlAsync($"select pg_notify({PublishedCache.Channel}, {payload})", cancellationToken);
    }

    private sealed record Dependant(Guid Id, string Type, int Number, DateTimeOffset PublishedAt, string? PublishedEtag, string Document, string ContentHash);

    /// <summary>
    /// Renders the published representation of <paramref name="resourceIds"/> (and of <paramref name="self"/>, which the
    /// caller tracks and has the document of) and stores those whose bytes changed, announcing them.
    /// </summary>
    private async Task RenderAsync(InstitutionInfo institution, IReadOnlyCollection<Guid> resourceIds, CancellationToken cancellationToken,
        (Resource Resource, object Document, Revision Revision)? self = null)
    {
        // Types that show what other types publish (IResourceModule.ShowsOtherTypes) are rendered again on every change.
        var watchers = modules.All.Where(m => m.ShowsOtherTypes && m.Kind.Type != self?.Resource.Type).Select(m => m.Kind.Type).ToArray();
        var watching = watchers.Length == 0 ? [] : await db.Resources
            .Where(r => r.InstitutionId == institution.Id && r.PublishedRevision != null && watchers.Contains(r.Type))
            .Select(r => r.Id).ToListAsync(cancellationToken);
        var ids = resourceIds.Concat(watching).Where(id => id != self?.Resource.Id).Distinct().ToArray();
        var dependants = ids.Length == 0
            ? []
            : await db.Database.SqlQuery<Dependant>($"""
                select r.id as "Id", r.type as "Type", r.published_revision as "Number", r.published_at as "PublishedAt",
                       r.published_etag as "PublishedEtag", v.document::text as "Document", v.content_hash as "ContentHash"
                from resources r join revisions v on v.resource_id = r.id and v.number = r.published_revision
                where r.id = any({ids}) and r.institution_id = {institution.Id}
                """).ToListAsync(cancellationToken);

        var renderData = new Dictionary<string, object>();
        async Task<(IResourceModule Module, object Data)> ModuleFor(string type)
        {
            var module = modules.For(type);
            if (!renderData.TryGetValue(type, out var data))
            {
                renderData[type] = data = await module.LoadRenderDataAsync(db, institution, cancellationToken);
            }
            return (module, data);
        }

        var now = Now();
        var changed = new List<Guid>();
        var updates = new List<(Guid Id, string Json, string ETag)>();
        if (self is var (resource, document, revision))
        {
            var (module, data) = await ModuleFor(resource.Type);
            var bytes = Serialize(module.Render(data, institution, resource.Id, document, new RevisionInfo(revision.Number, resource.PublishedAt!.Value, revision.ContentHash)));
            var etag = ETags.Of(bytes);
            if (etag != resource.PublishedEtag)
            {
                updates.Add((resource.Id, Encoding.UTF8.GetString(bytes), etag));
                // Written with the dependants below; the tracked entity learns the new values as already saved.
                var entry = db.Entry(resource);
                entry.Property(r => r.PublishedJson).CurrentValue = entry.Property(r => r.PublishedJson).OriginalValue = updates[^1].Json;
                entry.Property(r => r.PublishedEtag).CurrentValue = entry.Property(r => r.PublishedEtag).OriginalValue = etag;
                entry.Property(r => r.RenderedAt).CurrentValue = entry.Property(r => r.RenderedAt).OriginalValue = now;
            }
            changed.Add(resource.Id); // its pointer moved: lists and histories showing it change even when its bytes do not
        }
        foreach (var dependant in dependants.Where(d => modules.Find(d.Type) is not null))
        {
            var (module, data) = await ModuleFor(dependant.Type);
            var bytes = Serialize(module.Render(data, institution, dependant.Id, module.Read(dependant.Document),
                new RevisionInfo(dependant.Number, dependant.PublishedAt, dependant.ContentHash)));
            var etag = ETags.Of(bytes);
            if (etag != dependant.PublishedEtag)
            {
                updates.Add((dependant.Id, Encoding.UTF8.GetString(bytes), etag));
                changed.Add(dependant.Id);
            }
        }
        if (updates.Count > 0)
        {
            // One statement for every representation that changed.
            var updateIds = updates.Select(u => u.Id).ToArray();
            var jsons = updates.Select(u => u.Json).ToArray();
            var etags = updates.Select(u => u.ETag).ToArray();
            await db.Database.ExecuteSqlAsync($"""
                update resources set published_json = x.json, published_etag = x.etag, rendered_at = {now}
                from unnest({updateIds}, {jsons}, {etags}) as x(id, json, etag) where resources.id = x.id
                """, cancellationToken);
        }
        await AnnounceAsync(institution.Id, changed, cancellationToken);
    }

    private static byte[] Serialize(object representation) => PacoJson.SerializeToUtf8(representation, representation.GetType());

    /// <summary>
    /// These published representations changed: every instance is told (NOTIFY, delivered at commit) and this one drops
    /// its cached answers once the transaction commits (a read between now and the commit would see the old rows).
    /// </summary>
    private async Task AnnounceAsync(Guid institutionId, IReadOnlyList<Guid> resourceIds, CancellationToken cancellationToken)
    {
        if (resourceIds.Count == 0)
        {
            return;
        }
        var ids = resourceIds.ToArray();
        db.AfterCommit(() => cache.Invalidate(institutionId, ids));
        foreach (var chunk in ids.Chunk(200)) // NOTIFY payloads are limited to 8000 bytes
        {
            var payload = PublishedCache.Payload(institutionId, chunk);
            await db.Database.ExecuteSqlAsync($"select pg_notify({PublishedCache.Channel}, {payload})", cancellationToken);
        }
    }

    /// <summary>
    /// The time, at the precision PostgreSQL stores (microseconds): a value rendered before and after a round trip
    /// through the database must be the same bytes, or the ETag would change for nothing.
    /// </summary>
    public DateTimeOffset Now() => AsStored(clock.GetUtcNow());

    /// <summary>An instant as the database gives it back (UTC, microseconds), so a value built in memory serialises like one read.</summary>
    public static DateTimeOffset AsStored(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return utc.AddTicks(-(utc.Ticks % 10));
    }

    public static string ContentHash(string json) => ContentHash(Encoding.UTF8.GetBytes(json));

    public static string ContentHash(ReadOnlySpan<byte> utf8) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(utf8));
}
