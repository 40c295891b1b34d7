using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Net.Http.Headers;

namespace Paco.Api.Common;

/// <summary>How long shared caches (CDNs) may keep an answer.</summary>
public enum CachePolicy
{
    /// <summary>Current content: short freshness, revalidated with the ETag.</summary>
    Current,

    /// <summary>A published revision: its bytes never change.</summary>
    Immutable,

    /// <summary>
    /// A file of the service at a stable URL (the embeddable script): fresh for a day, since every municipal page that embeds
    /// it asks for it, then revalidated with its ETag, so a new version reaches them within a day.
    /// </summary>
    Asset,

    /// <summary>A file of an application (the console): revalidated on every use, so a new version is picked up at once.</summary>
    Revalidate,
}

/// <summary>The one validator format of the API: a strong ETag over the exact bytes served.</summary>
public static class ETags
{
    public static string Of(ReadOnlySpan<byte> bytes) => Format(SHA256.HashData(bytes));

    /// <summary>
    /// The ETag of the bytes <paramref name="value"/> serializes to (<see cref="PacoJson.SerializeToUtf8"/>), hashed as the
    /// serializer writes them in small chunks: a large document never needs a buffer of its whole size just for its ETag.
    /// </summary>
    public static string OfJson(object value, Type type)
    {
        using var hash = new HashingStream();
        System.Text.Json.JsonSerializer.Serialize(hash, value, type, PacoJson.Options);
        return Format(hash.Hash());
    }

    private static string Format(byte[] sha256) => $"\"{Convert.ToHexStringLower(sha256)[..24]}\"";

    private sealed class HashingStream : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private long _length;

        public byte[] Hash() => _hash.GetHashAndReset();

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _hash.AppendData(buffer);
            _length += buffer.Length;
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _hash.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}

/// <summary>
/// What a cached answer shows: one resource of an institution, or (ResourceId empty) the institution's content at large,
/// or (both empty) content across institutions, which goes at every change of any.
/// </summary>
public readonly record struct CacheScope(Guid InstitutionId, Guid ResourceId);

/// <summary>
/// A JSON answer and its validators: the exact bytes, a strong ETag over them, and the Last-Modified of the
/// same inputs. Writing it is the one place that sets ETag, Last-Modified and Cache-Control, chooses the content
/// coding (<see cref="ContentCodings"/>) and answers 304, for GET and HEAD alike.
/// </summary>
public class CachedAnswer : IResult
{
    public const string Json = "application/json; charset=utf-8";

    private ServedRepresentation? _served;

    protected CachedAnswer(byte[] body, string etag, DateTimeOffset lastModified, CachePolicy policy, IReadOnlyDictionary<string, string>? headers,
        string contentType = Json)
    {
        ContentType = contentType;
        Body = body;
        ETag = etag;
        LastModified = lastModified;
        Policy = policy;
        Headers = headers;
    }

    private CachedAnswer(ServedRepresentation served, DateTimeOffset lastModified, CachePolicy policy, IReadOnlyDictionary<string, string>? headers,
        string contentType)
    {
        _served = served;
        ContentType = contentType;
        ETag = served.ETag;
        LastModified = lastModified;
        Policy = policy;
        Headers = headers;
    }

    private readonly byte[]? _body;

    /// <summary>The bytes as rendered: self links are paths until <see cref="ServedAt"/> makes them absolute. (A stored answer's are its served ones, decompressed if they were kept compressed.)</summary>
    public byte[] Body { get => _body ?? _served!.Identity; private init => _body = value; }

    /// <summary>Kept compressed in the in-process cache (<see cref="ServedRepresentation.Compact"/>): for answers that are many and each asked for a few times, such as searches.</summary>
    public bool KeptCompressed { get; protected set; }

    /// <summary>Their media type: JSON, or another representation of the same content (CSV, HTML, JSON-LD).</summary>
    public string ContentType { get; }

    /// <summary>The ETag of <see cref="Body"/>.</summary>
    public string ETag { get; }

    public DateTimeOffset LastModified { get; }
    public CachePolicy Policy { get; }

    /// <summary>Headers that belong to the answer (Link and X-Total-Count of a page), kept with it in the cache.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; }

    /// <summary>Set when the answer may be kept in the in-process cache: what it shows, so it goes when that changes.</summary>
    public CacheScope? Scope { get; private set; }

    /// <summary>An answer kept in the cache, served as it was kept.</summary>
    public static CachedAnswer Stored(ServedRepresentation served, DateTimeOffset lastModified, CachePolicy policy, IReadOnlyDictionary<string, string>? headers,
        string contentType = Json) =>
        new(served, lastModified, policy, headers, contentType);

    /// <summary>
    /// Another representation of the same content (HTML, JSON-LD: <see cref="Representations"/>): its own bytes and ETag,
    /// the same Last-Modified, cache policy, headers and cache scope.
    /// </summary>
    public CachedAnswer Representing(byte[] body, string contentType) =>
        new(body, ETags.Of(body), LastModified, Policy, Headers, contentType) { Scope = Scope, KeptCompressed = KeptCompressed };

    /// <summary>What this request is answered with: the bytes with absolute self links for its base URL, and their ETag.</summary>
    public ServedRepresentation ServedAt(HttpContext http) => _served ??= ServedRepresentation.Of(Body, ETag, PublicUrls.BaseOf(http));

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var request = httpContext.Request;
        var response = httpContext.Response;
        var served = ServedAt(httpContext);
        var vary = Representations.IsNegotiated(httpContext) ? Representations.VaryNegotiated : "Accept-Encoding";
        if (ContentCodings.Choose(request.Headers.AcceptEncoding, served.IdentityLength) is not { } coding)
        {
            response.Headers.Vary = vary;
            await TypedResults.Problem(statusCode: StatusCodes.Status406NotAcceptable, title: ProblemTypes.NotAcceptable.Title, type: ProblemTypes.NotAcceptable.Uri,
                detail: $"Accept-Encoding '{request.Headers.AcceptEncoding}' refuses every coding this answer has: br, gzip and identity.").ExecuteAsync(httpContext);
            return;
        }
        var (body, etag, chosen) = served.In(coding);
        response.Headers.ETag = etag;
        // HTTP dates have one-second precision; truncating keeps If-Modified-Since comparisons exact.
        response.GetTypedHeaders().LastModified = DateTimeOffset.FromUnixTimeSeconds(LastModified.ToUnixTimeSeconds());
        response.Headers.CacheControl = Policy switch
        {
            CachePolicy.Immutable => "public, max-age=31536000, immutable",
            CachePolicy.Asset => "public, max-age=86400, stale-while-revalidate=86400",
            CachePolicy.Revalidate => "no-cache",
            _ => "public, max-age=60, stale-while-revalidate=300",
        };
        response.Headers.Vary = vary;
        if (Headers is not null)
        {
            foreach (var (name, value) in Headers)
            {
                response.Headers[name] = value;
            }
        }
        if (HttpConditions.IsNotModified(request, etag, LastModified))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        if (ContentCodings.HeaderValue(chosen) is { } encoding)
        {
            response.Headers.ContentEncoding = encoding;
        }
        response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(request.Method))
        {
            await response.Body.WriteAsync(body, httpContext.RequestAborted);
        }
    }

    /// <summary>Lets the cache keep this answer until what it shows changes.</summary>
    protected void SetScope(Guid institutionId, Guid resourceId) => Scope = new CacheScope(institutionId, resourceId);
}

/// <summary>
/// A <see cref="CachedAnswer"/> whose bytes are a <typeparamref name="TSchema"/>, for OpenAPI. Stored
/// representations are served as stored, never deserialised and serialised again.
/// </summary>
public sealed class CachedJson<TSchema> : CachedAnswer, IEndpointMetadataProvider
{
    private CachedJson(byte[] body, string etag, DateTimeOffset lastModified, CachePolicy policy, IReadOnlyDictionary<string, string>? headers)
        : base(body, etag, lastModified, policy, headers)
    {
    }

    public static CachedJson<TSchema> FromStored(byte[] body, string etag, DateTimeOffset lastModified, CachePolicy policy = CachePolicy.Current,
        IReadOnlyDictionary<string, string>? headers = null) =>
        new(body, etag, lastModified, policy, headers);

    /// <param name="lastModified">When the inputs of <paramref name="value"/> last changed: the same inputs its bytes (and ETag) come from.</param>
    public static CachedJson<TSchema> From(TSchema value, DateTimeOffset lastModified, CachePolicy policy = CachePolicy.Current,
        IReadOnlyDictionary<string, string>? headers = null)
    {
        var body = PacoJson.SerializeToUtf8(value!, typeof(TSchema));
        return new(body, ETags.Of(body), lastModified, policy, headers);
    }

    /// <summary>Cacheable until <paramref name="resourceId"/> (or, when empty, anything of the institution) changes.</summary>
    public CachedJson<TSchema> CachedFor(Guid institutionId, Guid resourceId = default)
    {
        SetScope(institutionId, resourceId);
        return this;
    }

    /// <summary>Kept brotli-compressed in the cache (<see cref="CachedAnswer.KeptCompressed"/>).</summary>
    public CachedJson<TSchema> Compressed()
    {
        KeptCompressed = true;
        return this;
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(TSchema), ["application/json"]));
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status304NotModified, typeof(void)));
    }
}

/// <summary>A small answer of another media type (JSON-LD) with the same validators, computed per request (not kept in process).</summary>
public sealed class CachedMedia : CachedAnswer
{
    private CachedMedia(byte[] body, string mediaType, DateTimeOffset lastModified) : base(body, ETags.Of(body), lastModified, CachePolicy.Current, null, mediaType)
    {
    }

    public static CachedMedia From(byte[] body, string mediaType, DateTimeOffset lastModified) => new(body, mediaType, lastModified);
}

public static class HttpConditions
{
    /// <summary>Whether a write named what it edited: an If-Match other than "*" (which would overwrite anything).</summary>
    public static bool HasIfMatch(HttpRequest request, out string ifMatch)
    {
        ifMatch = request.Headers.IfMatch.ToString();
        return !string.IsNullOrWhiteSpace(ifMatch) && ifMatch.Trim() != "*";
    }

    /// <summary>
    /// RFC 9110 §13.1.1: If-Match uses the strong comparison, so weak tags never match. The ETag of a compressed
    /// variant ("…-br", "…-gz") names the same content as the identity one, so it is accepted for it.
    /// </summary>
    public static bool IfMatchAccepts(string ifMatch, string etag) =>
        EntityTagHeaderValue.TryParseList(ifMatch.Split(',').Select(s => s.Trim()).ToList(), out var tags)
        && tags.Any(t => !t.IsWeak && ServedRepresentation.IdentityETag(t.Tag.Value!) == ServedRepresentation.IdentityETag(etag));

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
