using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Paco.Api.Common;
using Paco.Api.Data;

namespace Paco.Api.Revisions;

/// <summary>
/// What every public read handler takes: the services of one request, bound with [AsParameters]. The database context
/// is leased only when the handler runs, so an answer served from the cache never takes one from the pool.
/// </summary>
public sealed record ReadServices(PublishedCache Cache, TimeProvider Clock, HttpContext Http, CancellationToken CancellationToken)
{
    public PacoDb Db => field ??= Http.RequestServices.GetRequiredService<PacoDb>();

    /// <summary>The type the route is for (each type's routes carry their module as metadata).</summary>
    public IResourceModule Module => Http.GetEndpoint()!.Metadata.GetRequiredMetadata<IResourceModule>();

    /// <summary>The resource's slug or id, from the type's own route parameter ({organ}, {legalBasis}).</summary>
    public string Key => Http.GetRouteValue(Module.Kind.RouteParameter) as string ?? "";
}

/// <summary>A revision in a history list.</summary>
public sealed record RevisionSummary(
    int Number,
    DateTimeOffset CreatedAt,
    string Author,
    string? Note,
    string ContentHash,
    DateTimeOffset FirstPublishedAt,
    bool Current);

/// <summary>One published revision, exactly as it was stored. Never changes, so it is cacheable forever.</summary>
public sealed record RevisionResponse<TDocument>(
    Guid ResourceId,
    int Number,
    DateTimeOffset CreatedAt,
    string Author,
    string? Note,
    string ContentHash,
    DateTimeOffset FirstPublishedAt,
    [property: System.Diagnostics.CodeAnalysis.NotNull] TDocument Document); // every revision has its document

/// <summary>The public reads every versioned type has: its published representation (now or at an instant) and its published revisions.</summary>
public static class PublishedEndpoints
{
    private sealed record StoredRow(Guid Id, Guid InstitutionId, string Json, string ETag, DateTimeOffset RenderedAt);

    private static readonly Func<PacoDb, string, string, Guid, string, Task<StoredRow?>> StoredQuery =
        EF.CompileAsyncQuery((PacoDb db, string institution, string slug, Guid id, string type) =>
            db.Resources.AsNoTracking()
                .Where(r => (r.Slug == slug || r.Id == id) && r.Type == type && r.PublishedRevision != null && r.ArchivedAt == null)
                .Where(r => db.Institutions.Any(i => i.Id == r.InstitutionId && i.Slug == institution))
                .Select(r => new StoredRow(r.Id, r.InstitutionId, r.PublishedJson!, r.PublishedEtag!, r.RenderedAt!.Value))
                .FirstOrDefault());

    /// <summary>The stored representation of a published resource, addressed by slug or id: one indexed look-up, served as stored.</summary>
    public static async Task<(Guid Id, Guid InstitutionId, byte[] Body, string ETag, DateTimeOffset RenderedAt)?> FindStoredAsync(
        PacoDb db, string institution, string type, string key)
    {
        var row = Guid.TryParse(key, out var id)
            ? await StoredQuery(db, institution, "", id, type) // no slug is empty (schema check), so only the id matches
            : await StoredQuery(db, institution, key, Guid.Empty, type);
        return row is null ? null : (row.Id, row.InstitutionId, System.Text.Encoding.UTF8.GetBytes(row.Json), row.ETag, row.RenderedAt);
    }

    public static async Task<Results<CachedJson<TResponse>, ProblemHttpResult>> GetPublished<TResponse>(
        string institution, [FromQuery] DateTimeOffset? at, [AsParameters] ReadServices services)
    {
        var kind = services.Module.Kind;
        if (at is not null)
        {
            return await AtAsync<TResponse>(institution, at.Value, services);
        }
        return await FindStoredAsync(services.Db, institution, kind.Type, services.Key) is { } stored
            ? CachedJson<TResponse>.FromStored(stored.Body, stored.ETag, stored.RenderedAt).CachedFor(stored.InstitutionId, stored.Id)
            : await services.Db.MissingAsync(institution, kind, services.Key, services.CancellationToken);
    }

    private sealed record AtRow(Guid Id, Guid InstitutionId, string Slug, string Name, string? Uf, string? Municipality,
        string? Action, int? Number, DateTimeOffset? At, string? Document, string? ContentHash, DateTimeOffset NamesChangedAt);

    /// <summary>
    /// The resource as the public saw it at <paramref name="at"/>: the revision published then, rendered with today's
    /// names of what it refers to. One round trip finds the resource, the publication in force then and its revision;
    /// the names come from the institution's render data, cached until anything there changes.
    /// </summary>
    private static async Task<Results<CachedJson<TResponse>, ProblemHttpResult>> AtAsync<TResponse>(string institution, DateTimeOffset at, ReadServices services)
    {
        if (PointInTime.RefuseFuture(at, services.Clock, "reads") is { } future)
        {
            return future;
        }
        var module = services.Module;
        var (slug, id) = ResourceLookups.AddressOf(services.Key);
        var generation = services.Cache.Generation;
        var row = (await services.Db.Database.SqlQuery<AtRow>($"""
            select r.id as "Id", i.id as "InstitutionId", i.slug as "Slug", i.name as "Name", i.uf as "Uf", i.municipality as "Municipality",
                   p.action as "Action", p.revision_number as "Number", p.at as "At", v.document::text as "Document", v.content_hash as "ContentHash",
                   greatest(i.updated_at, (select max(x.rendered_at) from resources x where x.institution_id = i.id)) as "NamesChangedAt"
            from institutions i
            join lateral (select r.id from resources r
                          where r.institution_id = i.id and r.type = {module.Kind.Type} and r.public_slug is not null and (r.public_slug = {slug} or r.id = {id})
                          order by r.published_revision is not null desc, r.rendered_at desc limit 1) r on true
            left join lateral (select action, revision_number, at from publications
                               where resource_id = r.id and at <= {at.ToUniversalTime()} order by id desc limit 1) p on true
            left join revisions v on v.resource_id = r.id and v.number = p.revision_number and p.action = 'publish'
            where i.slug = {institution}
            """).ToListAsync(services.CancellationToken)).SingleOrDefault();
        if (row is null)
        {
            return await services.Db.MissingAsync(institution, module.Kind, services.Key, services.CancellationToken);
        }
        if (row is not { Document: { } json, Number: int number, At: { } publishedAt, ContentHash: { } hash })
        {
            return Problems.NotFound($"The {module.Kind.Name} '{services.Key}' was not published at {at:O}.");
        }
        var info = new InstitutionInfo(row.InstitutionId, row.Slug, row.Name, row.Uf?.Trim(), row.Municipality);
        if (!services.Cache.TryGetRenderData(info.Id, module.Kind.Type, out var renderData))
        {
            renderData = await module.LoadRenderDataAsync(services.Db, info, services.CancellationToken);
            services.Cache.SetRenderData(info.Id, module.Kind.Type, renderData, generation);
        }
        var rendered = (TResponse)module.Render(renderData, info, row.Id, module.Read(json), new RevisionInfo(number, publishedAt, hash));
        // It shows today's names of the institution and of what it refers to: it changes when they do, and so does its
        // Last-Modified; it goes from the cache when anything of the institution changes.
        return CachedJson<TResponse>.From(rendered, row.NamesChangedAt > publishedAt ? row.NamesChangedAt : publishedAt).CachedFor(info.Id);
    }

    private static IQueryable<Revision> PublishedRevisions(PacoDb db, Guid resourceId) =>
        db.Revisions.AsNoTracking().Where(v => v.ResourceId == resourceId
            && db.Publications.Any(p => p.ResourceId == v.ResourceId && p.RevisionNumber == v.Number && p.Action == PublicationActions.Publish));

    public static async Task<Results<CachedJson<Page<RevisionSummary>>, ProblemHttpResult>> ListRevisions(
        string institution, [AsParameters] PageQuery query, [AsParameters] ReadServices services)
    {
        var (db, kind, key, cancellationToken) = (services.Db, services.Module.Kind, services.Key, services.CancellationToken);
        var resource = await db.EverPublished(institution, kind.Type, key).Select(r => new { r.Id, r.InstitutionId, r.PublishedRevision, r.RenderedAt }).FirstOrDefaultAsync(cancellationToken);
        if (resource is null)
        {
            return await db.MissingAsync(institution, kind, key, cancellationToken);
        }
        var (page, pageSize) = query.PageAndSize();
        var published = await db.Publications.AsNoTracking()
            .Where(p => p.ResourceId == resource.Id && p.Action == PublicationActions.Publish)
            .GroupBy(p => p.RevisionNumber!.Value)
            .Select(g => new { Number = g.Key, FirstPublishedAt = g.Min(p => p.At) })
            .ToListAsync(cancellationToken);
        var firstPublished = published.ToDictionary(p => p.Number, p => p.FirstPublishedAt);
        var numbers = firstPublished.Keys.OrderDescending().Skip((page - 1) * pageSize).Take(pageSize).ToList();
        var revisions = await db.Revisions.AsNoTracking()
            .Where(v => v.ResourceId == resource.Id && numbers.Contains(v.Number))
            .Select(v => new { v.Number, v.CreatedAt, v.Author, v.Note, v.ContentHash })
            .ToListAsync(cancellationToken);
        var items = revisions.OrderByDescending(v => v.Number)
            .Select(v => new RevisionSummary(v.Number, v.CreatedAt, v.Author, v.Note, v.ContentHash, firstPublished[v.Number], v.Number == resource.PublishedRevision))
            .ToList();
        var total = firstPublished.Count;
        return CachedJson<Page<RevisionSummary>>.From(new Page<RevisionSummary>(items, page, pageSize, total), resource.RenderedAt ?? DateTimeOffset.UnixEpoch,
            headers: Paging.Links(services.Http, page, pageSize, total)).CachedFor(resource.InstitutionId, resource.Id);
    }

    public static async Task<Results<CachedJson<RevisionResponse<TDocument>>, ProblemHttpResult>> GetRevision<TDocument>(
        string institution, int number, [AsParameters] ReadServices services)
    {
        var (db, kind, key, cancellationToken) = (services.Db, services.Module.Kind, services.Key, services.CancellationToken);
        var resource = await db.EverPublished(institution, kind.Type, key).Select(r => new { r.Id, r.InstitutionId }).FirstOrDefaultAsync(cancellationToken);
        if (resource is null)
        {
            return await db.MissingAsync(institution, kind, key, cancellationToken);
        }
        var revision = await PublishedRevisions(db, resource.Id)
            .Where(v => v.Number == number)
            .Select(v => new
            {
                v.Number, v.CreatedAt, v.Author, v.Note, v.ContentHash, v.Document,
                FirstPublishedAt = db.Publications.Where(p => p.ResourceId == v.ResourceId && p.RevisionNumber == v.Number && p.Action == PublicationActions.Publish).Min(p => p.At),
            })
            .SingleOrDefaultAsync(cancellationToken);
        if (revision is null)
        {
            return Problems.NotFound($"There is no published revision {number} of '{key}'. GET {kind.Collection(institution)}/{key}/revisions lists them.");
        }
        var response = new RevisionResponse<TDocument>(resource.Id, revision.Number, revision.CreatedAt, revision.Author, revision.Note,
            revision.ContentHash, revision.FirstPublishedAt, PacoJson.Deserialize<TDocument>(revision.Document));
        return CachedJson<RevisionResponse<TDocument>>.From(response, revision.FirstPublishedAt, CachePolicy.Immutable).CachedFor(resource.InstitutionId, resource.Id);
    }
}
