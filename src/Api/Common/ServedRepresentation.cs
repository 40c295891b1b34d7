using System.IO.Compression;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Paco.Api.Common;

public enum ContentCoding
{
    Identity,
    Brotli,
    Gzip,
}

/// <summary>
/// The bytes an answer is served as, with self links absolute (<see cref="PublicUrls"/>), and its compressed variants.
/// Each variant has its own strong ETag (RFC 9110 §8.8.3: a strong validator changes with the content coding): the
/// identity one with "-br" or "-gz" before the closing quote. A variant is compressed the first time a request asks for
/// it and, when the representation is kept in the cache (<see cref="KeptBy"/>), kept with it: a published document is
/// compressed once per coding while it stays cached, never on every request. Bodies under
/// <see cref="MinimumCompressedBytes"/> are served as they are unless the client refuses identity.
/// <para>
/// <see cref="Compact"/> keeps it brotli-compressed only: a tenth of the memory (a 32 KB search answer is 3 KB), so a
/// cache holds ten times the answers; a request that wants it uncompressed (or gzip) has it decompressed (~0.05 ms).
/// </para>
/// </summary>
public sealed class ServedRepresentation
{
    /// <summary>Below this, compression saves less than a packet and costs more than it saves.</summary>
    public const int MinimumCompressedBytes = 1024;

    // Kept variants are made once and served many times; variants made for one answer (not cached) use faster levels.
    // Brotli 5 compresses an 18 KB organ to 16.6% in ~0.18 ms; 9 gains 0.1 point for 30 times the CPU (5.8 ms), which
    // a cache miss would pay on the request path (bench/RESULTS.md, "Compression").
    public const int KeptBrotliQuality = 5;
    public const int KeptGzipLevel = 6;
    private const int OnceBrotliQuality = 4;
    private const int OnceGzipLevel = 1;

    private static readonly byte[] NotSmaller = [];

    private byte[]? _identity; // null once compacted: made again from the brotli variant when asked for
    private byte[]? _brotli;
    private byte[]? _gzip;
    private Action<long>? _grown;

    private ServedRepresentation(byte[] identity, string etag)
    {
        _identity = identity;
        IdentityLength = identity.Length;
        ETag = etag;
    }

    /// <summary>The uncompressed bytes (decompressed again at each call once <see cref="Compact"/>ed).</summary>
    public byte[] Identity => Volatile.Read(ref _identity) ?? Decompressed(_brotli!, IdentityLength);

    public int IdentityLength { get; }

    /// <summary>The ETag of <see cref="Identity"/>.</summary>
    public string ETag { get; }

    /// <summary>Memory held: the identity bytes (unless compacted) and the variants made so far.</summary>
    public long Bytes => (Volatile.Read(ref _identity)?.Length ?? 0) + (Volatile.Read(ref _brotli)?.Length ?? 0) + (Volatile.Read(ref _gzip)?.Length ?? 0);

    /// <summary>
    /// From now on held brotli-compressed only (at the kept quality), when that is smaller. Called before it is kept
    /// in a cache: its memory is counted once it is kept, and it is never served from memory it no longer counts.
    /// </summary>
    public void Compact()
    {
        if (IdentityLength < MinimumCompressedBytes || Volatile.Read(ref _identity) is not { } identity)
        {
            return;
        }
        var brotli = Volatile.Read(ref _brotli);
        if (brotli is null)
        {
            brotli = Compress(identity, ContentCoding.Brotli, kept: true);
            brotli = Interlocked.CompareExchange(ref _brotli, brotli.Length < identity.Length ? brotli : NotSmaller, null) ?? brotli;
        }
        if (brotli.Length > 0 && brotli.Length < identity.Length)
        {
            Volatile.Write(ref _identity, null);
        }
    }

    /// <param name="body">The answer's bytes as rendered (self links as paths), <paramref name="etag"/> over them.</param>
    public static ServedRepresentation Of(byte[] body, string etag, string baseUrl)
    {
        var served = PublicUrls.WithAbsoluteSelf(body, baseUrl);
        return new(served, ReferenceEquals(served, body) ? etag : ETags.Of(served));
    }

    /// <summary>Kept in a cache from now on: variants are made at the kept quality, and the cache is told what they add.</summary>
    public void KeptBy(Action<long> grown) => Volatile.Write(ref _grown, grown);

    /// <summary>No longer kept: what it makes from now on is nobody's memory budget.</summary>
    public void Released() => Volatile.Write(ref _grown, null);

    /// <summary>The body and ETag to answer in <paramref name="coding"/>; identity when compressing would not make it smaller.</summary>
    public (byte[] Body, string ETag, ContentCoding Coding) In(ContentCoding coding)
    {
        var variant = coding switch
        {
            ContentCoding.Brotli => Variant(ref _brotli, coding),
            ContentCoding.Gzip => Variant(ref _gzip, coding),
            _ => null,
        };
        return variant is null || variant.Length == 0 ? (Identity, ETag, ContentCoding.Identity) : (variant, VariantETag(ETag, coding), coding);
    }

    /// <summary>The ETag of a variant: "abc" → "abc-br" (or W/"abc" → W/"abc-br").</summary>
    public static string VariantETag(string etag, ContentCoding coding) => coding switch
    {
        ContentCoding.Brotli => etag[..^1] + "-br\"",
        ContentCoding.Gzip => etag[..^1] + "-gz\"",
        _ => etag,
    };

    /// <summary>The identity ETag a variant's ETag was made from ("abc-br" → "abc"); others as they are.</summary>
    public static string IdentityETag(string etag) =>
        etag.EndsWith("-br\"", StringComparison.Ordinal) || etag.EndsWith("-gz\"", StringComparison.Ordinal) ? etag[..^4] + "\"" : etag;

    private byte[] Variant(ref byte[]? field, ContentCoding coding)
    {
        if (Volatile.Read(ref field) is { } made)
        {
            return made;
        }
        var kept = Volatile.Read(ref _grown) is not null;
        var compressed = Compress(Identity, coding, kept);
        var variant = compressed.Length < IdentityLength ? compressed : NotSmaller;
        if (Interlocked.CompareExchange(ref field, variant, null) is { } other)
        {
            return other; // another request made it first: one copy is kept
        }
        Volatile.Read(ref _grown)?.Invoke(variant.Length);
        return variant;
    }

    private static byte[] Decompressed(byte[] brotli, int length)
    {
        var identity = new byte[length];
        if (!BrotliDecoder.TryDecompress(brotli, identity, out var written) || written != length)
        {
            throw new InvalidOperationException("A kept brotli variant did not decompress to its identity length.");
        }
        return identity;
    }

    public static byte[] Compress(byte[] identity, ContentCoding coding, bool kept)
    {
        if (coding == ContentCoding.Brotli)
        {
            var buffer = new byte[BrotliEncoder.GetMaxCompressedLength(identity.Length)];
            if (!BrotliEncoder.TryCompress(identity, buffer, out var written, kept ? KeptBrotliQuality : OnceBrotliQuality, window: 22))
            {
                throw new InvalidOperationException("Brotli could not compress into its own maximum length.");
            }
            return buffer.AsSpan(0, written).ToArray();
        }
        using var output = new MemoryStream(identity.Length / 4 + 64);
        using (var gzip = new GZipStream(output, new ZLibCompressionOptions { CompressionLevel = kept ? KeptGzipLevel : OnceGzipLevel }, leaveOpen: true))
        {
            gzip.Write(identity);
        }
        return output.ToArray();
    }
}

/// <summary>Accept-Encoding (RFC 9110 §12.5.3) with q-values: br preferred, then gzip, then identity, among those the client accepts.</summary>
public static class ContentCodings
{
    private static readonly (ContentCoding Coding, string Name)[] ByPreference =
        [(ContentCoding.Brotli, "br"), (ContentCoding.Gzip, "gzip"), (ContentCoding.Identity, "identity")];

    /// <summary>
    /// The coding to answer in, or null when the client accepts none of them (identity;q=0 with no other). A body
    /// too small to be worth compressing is sent as it is, unless identity is refused.
    /// </summary>
    public static ContentCoding? Choose(StringValues acceptEncoding, int bodyLength)
    {
        if (StringValues.IsNullOrEmpty(acceptEncoding))
        {
            return ContentCoding.Identity; // absent (or empty: no coding wanted)
        }
        if (!StringWithQualityHeaderValue.TryParseList(acceptEncoding, out var offers))
        {
            return ContentCoding.Identity; // unreadable: as if absent
        }
        double QualityOf(string name)
        {
            var named = offers.Where(o => o.Value.Equals(name, StringComparison.OrdinalIgnoreCase)
                || (name == "gzip" && o.Value.Equals("x-gzip", StringComparison.OrdinalIgnoreCase))).ToList();
            if (named.Count > 0)
            {
                return named.Max(o => o.Quality ?? 1);
            }
            if (offers.FirstOrDefault(o => o.Value == "*") is { } any)
            {
                return any.Quality ?? 1;
            }
            return name == "identity" ? 1 : 0;
        }
        var identity = QualityOf("identity");
        if (bodyLength < ServedRepresentation.MinimumCompressedBytes && identity > 0)
        {
            return ContentCoding.Identity;
        }
        ContentCoding? best = null;
        var bestQuality = 0d;
        foreach (var (coding, name) in ByPreference)
        {
            var quality = coding == ContentCoding.Identity ? identity : QualityOf(name);
            if (quality > bestQuality)
            {
                (best, bestQuality) = (coding, quality);
            }
        }
        return best;
    }

    public static string? HeaderValue(ContentCoding coding) => coding switch
    {
        ContentCoding.Brotli => "br",
        ContentCoding.Gzip => "gzip",
        _ => null,
    };
}
