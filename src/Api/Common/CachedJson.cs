using System.Reflection;
using System.Text;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Net.Http.Headers;
using Paco.Api.Revisions;

namespace Paco.Api.Common;

/// <summary>How long shared caches (CDNs) may keep an answer.</summary>
public enum CachePolicy
{
    /// <summary>Current content: short freshness, revalidated with the ETag.</summary>
    Current,

    /// <summary>A published revision: its bytes never change.</summary>
    Immutable,
}

/// <summary>
/// A JSON answer with a strong ETag, Last-Modified and Cache-Control, that answers 304 itself when the
/// client's If-None-Match matches. <typeparamref name="TSchema"/> is what the bytes contain, for OpenAPI:
/// stored representations are served as stored, never deserialised and serialised again.
/// </summary>
public sealed class CachedJson<TSchema> : IResult, IEndpointMetadataProvider
{
    private readonly byte[] _body;

    private CachedJson(byte[] body, string etag, DateTimeOffset lastModified, CachePolicy policy, TSchema? value = default, IReadOnlyDictionary<string, string>? headers = null)
    {
        _body = body;
        Value = value;
        Headers = headers;
        ETag = etag;
        LastModified = lastModified;
        Policy = policy;
    }

    public string ETag { get; }

    /// <summary>Headers that belong to the answer (Link and X-Total-Count of a page), kept with it in the cache.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; }

    /// <summary>The exact bytes served.</summary>
    public byte[] Body => _body;

    /// <summary>The value, when the answer was built from one (not for stored representations).</summary>
    public TSchema? Value { get; }
    public DateTimeOffset LastModified { get; }
    public CachePolicy Policy { get; }

    public static CachedJson<TSchema> FromStored(byte[] body, string etag, DateTimeOffset lastModified, CachePolicy policy = CachePolicy.Current,
        IReadOnlyDictionary<string, string>? headers = null) =>
        new(body, etag, lastModified, policy, headers: headers);

    public static CachedJson<TSchema> From(TSchema value, DateTimeOffset lastModified, CachePolicy policy = CachePolicy.Current,
        IReadOnlyDictionary<string, string>? headers = null)
    {
        var body = PacoJson.SerializeToUtf8(value!, typeof(TSchema));
        return new(body, ContentStore.ContentEtag(body), lastModified, policy, value, headers);
    }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        var headers = response.GetTypedHeaders();
        response.Headers.ETag = ETag;
        // HTTP dates have one-second precision; truncating keeps If-Modified-Since comparisons exact.
        headers.LastModified = DateTimeOffset.FromUnixTimeSeconds(LastModified.ToUnixTimeSeconds());
        response.Headers.CacheControl = Policy == CachePolicy.Immutable
            ? "public, max-age=31536000, immutable"
            : "public, max-age=60, stale-while-revalidate=300";
        response.Headers.Vary = "Accept-Encoding";
        foreach (var (name, value) in Headers ?? new Dictionary<string, string>())
        {
            response.Headers[name] = value;
        }

        if (HttpConditions.IsNotModified(httpContext.Request, ETag, LastModified))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = _body.Length;
        if (!HttpMethods.IsHead(httpContext.Request.Method))
        {
            await response.Body.WriteAsync(_body, httpContext.RequestAborted);
        }
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(TSchema), ["application/json"]));
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status304NotModified, typeof(void)));
    }
}

public static class HttpConditions
{
    /// <summary>Whether a write named what it edited: an If-Match other than "*" (which would overwrite anything).</summary>
    public static bool HasIfMatch(HttpRequest request, out string ifMatch)
    {
        ifMatch = request.Headers.IfMatch.ToString();
        return !string.IsNullOrWhiteSpace(ifMatch) && ifMatch.Trim() != "*";
    }

    /// <summary>RFC 9110 §13.1.1: If-Match uses the strong comparison, so weak tags never match.</summary>
    public static bool IfMatchAccepts(string ifMatch, string etag) =>
        EntityTagHeaderValue.TryParseList(ifMatch.Split(',').Select(s => s.Trim()).ToList(), out var tags)
        && tags.Any(t => t.Compare(EntityTagHeaderValue.Parse(etag), useStrongComparison: true));

    /// <summary>RFC 9110 §13.2.2: If-None-Match (weak comparison) wins; If-Modified-Since only without it.</summary>
    public static bool IsNotModified(HttpRequest request, string etag, DateTimeOffset lastModified)
    {
        var ifNoneMatch = request.Headers.IfNoneMatch;
        if (ifNoneMatch.Count > 0)
        {
            if (!EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags))
            {
                return false;
            }
            var current = EntityTagHeaderValue.Parse(etag);
            return tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(current, useStrongComparison: false));
        }
        var since = request.GetTypedHeaders().IfModifiedSince;
        return since is not null && lastModified.ToUnixTimeSeconds() <= since.Value.ToUnixTimeSeconds();
    }
}
