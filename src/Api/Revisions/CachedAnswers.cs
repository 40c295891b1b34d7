using Microsoft.AspNetCore.Http.HttpResults;
using Paco.Api.Common;

namespace Paco.Api.Revisions;

/// <summary>
/// The one cacheable-answer path. A read handler returns its answer and validators (<see cref="CachedJson{TSchema}"/>,
/// marked with what it shows by <c>CachedFor</c>); this convention looks the answer up before the handler runs, keeps
/// it afterwards, and <see cref="CachedAnswer"/> writes ETag, Last-Modified and Cache-Control, chooses the content coding
/// and answers 304. HEAD is served here too (it is routed as GET, see <see cref="HeadRequests"/>).
/// The key is the path and the query parameters the endpoint binds, so unknown parameters never split or pollute it.
/// A hit is served by <see cref="UseCachedAnswers"/> right after routing and CORS, before authentication and the
/// endpoint (binding, filters): a public answer already known costs no more than the framework's minimum.
/// When the database cannot be reached, an answer kept from before is served rather than an error (stale-if-error,
/// see <see cref="PublishedCache"/>); a read that finds no answer kept fails, and is answered 503.
/// </summary>
public static class CachedAnswers
{
    /// <summary>Marks an endpoint whose answers are kept in the in-process cache.</summary>
    public sealed class CachedInProcessMetadata;

    private static readonly CachedInProcessMetadata Marker = new();

    /// <summary>
    /// The base URL (answers hold absolute links for it, see <see cref="PublicUrls"/>), the path, the known query parameters,
    /// and the representation chosen from Accept where the endpoint offers several (<see cref="Representations"/>).
    /// </summary>
    public static PublishedCache.CacheKey KeyOf(HttpContext http) =>
        new(PublicUrls.BaseOf(http) + http.Request.Path.Value, QueryParameters.Normalized(http), Representations.KeyPart(http));

    /// <summary>Serves cached answers of marked endpoints; everything else (and every miss) goes on down the pipeline.</summary>
    public static IApplicationBuilder UseCachedAnswers(this IApplicationBuilder app)
    {
        var cache = app.ApplicationServices.GetRequiredService<PublishedCache>();
        return app.Use(async (http, next) =>
        {
            if ((HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)) && http.GetEndpoint()?.Metadata.GetMetadata<CachedInProcessMetadata>() is not null
                && cache.TryGet(KeyOf(http), out var hit))
            {
                await CachedAnswer.Stored(hit.Served, hit.LastModified, hit.Policy, hit.Headers, hit.ContentType).ExecuteAsync(http);
                return;
            }
            await next(http);
        });
    }

    public static TBuilder CachedInProcess<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.WithMetadata(Marker);
        builder.AddEndpointFilterFactory((factory, next) =>
        {
            var cache = factory.ApplicationServices.GetRequiredService<PublishedCache>();
            var database = factory.ApplicationServices.GetRequiredService<DatabaseOutage>();
            return async context =>
            {
                var http = context.HttpContext;
                var key = KeyOf(http);
                if (cache.TryGet(key, out var hit))
                {
                    return CachedAnswer.Stored(hit.Served, hit.LastModified, hit.Policy, hit.Headers, hit.ContentType);
                }
                var generation = cache.Generation;
                object? result;
                try
                {
                    result = await next(context);
                }
                catch (Exception exception) when (DatabaseOutage.IsConnectionFailure(exception, out var cause))
                {
                    // Stale-if-error: the first reads of an outage find out here; the answer kept from before is still the published one.
                    database.ReportUnreachable(cause);
                    if (cache.TryGet(key, out var kept))
                    {
                        return CachedAnswer.Stored(kept.Served, kept.LastModified, kept.Policy, kept.Headers, kept.ContentType);
                    }
                    throw;
                }
                var answer = result as CachedAnswer ?? (result as INestedHttpResult)?.Result as CachedAnswer;
                if (answer?.Scope is { } scope)
                {
                    cache.Set(key, new PublishedCache.CacheEntry(scope.InstitutionId, scope.ResourceId, answer.ServedAt(http), answer.LastModified, answer.Policy, answer.Headers, answer.ContentType), generation, answer.KeptCompressed);
                }
                return result;
            };
        });
        return builder;
    }
}
