using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Paco.Api.LinkedData;
using Paco.Api.Organs;
using Paco.Api.Revisions;

namespace Paco.Api.OpenData;

/// <summary>
/// The organs export as linked data: each published document rendered as the organ's JSON answer is (the organ module,
/// with its institution's render data) and mapped by <see cref="SchemaOrg.Organ"/>, the mapping of the organ's own
/// application/ld+json answer. Documents arrive ordered by institution, so only one institution's render data is held.
/// </summary>
public static class LinkedOrgans
{
    public static async IAsyncEnumerable<JsonObject> NodesAsync(IAsyncEnumerable<ExportedDocument> documents, OpenDataServices services, string baseUrl,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var module = services.Http.RequestServices.GetRequiredService<ResourceModules>().For(OrganModule.TypeName);
        var cache = services.Http.RequestServices.GetRequiredService<PublishedCache>();
        (InstitutionInfo Info, object RenderData)? current = null;
        await foreach (var document in documents.WithCancellation(cancellationToken))
        {
            if (current?.Info.Slug != document.Institution)
            {
                current = await RenderDataAsync(document.Institution, module, cache, services.Db, cancellationToken);
            }
            var (institution, renderData) = current.Value;
            var organ = (OrganResponse)module.Render(renderData, institution, document.Id, module.Read(document.Json),
                new Common.RevisionInfo(document.Revision, document.PublishedAt, document.ContentHash));
            var node = SchemaOrg.Organ(organ, baseUrl);
            node.Remove("@context"); // the graph's one @context applies to every node
            yield return node;
        }
    }

    private static async Task<(InstitutionInfo, object)> RenderDataAsync(string slug, IResourceModule module, PublishedCache cache, Data.PacoDb db,
        CancellationToken cancellationToken)
    {
        var generation = cache.Generation;
        var institution = await db.Institutions.AsNoTracking().Where(i => i.Slug == slug)
            .Select(i => new InstitutionInfo(i.Id, i.Slug, i.Name, i.Uf == null ? null : i.Uf.Trim(), i.Municipality)).SingleAsync(cancellationToken);
        if (!cache.TryGetRenderData(institution.Id, module.Kind.Type, out var renderData))
        {
            renderData = await module.LoadRenderDataAsync(db, institution, cancellationToken);
            cache.SetRenderData(institution.Id, module.Kind.Type, renderData, generation);
        }
        return (institution, renderData);
    }
}
