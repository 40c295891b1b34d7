using System.Text.Json;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Paco.Api.Common;

/// <summary>A media type a resource can be answered in, and the Content-Type its answers carry.</summary>
public sealed record MediaRepresentation(string MediaType, string ContentType)
{
    public static readonly MediaRepresentation Json = new("application/json", CachedAnswer.Json);
    public static readonly MediaRepresentation Html = new("text/html", "text/html; charset=utf-8");
    public static readonly MediaRepresentation JsonLd = new("application/ld+json", "application/ld+json");
    public static readonly MediaRepresentation Csv = new("text/csv", "text/csv; charset=utf-8; header=present"); // RFC 4180, UTF-8

    /// <summary>Its name in a ?format= (json, html, csv, ld+json): the media subtype.</summary>
    public string Format => MediaType[(MediaType.IndexOf('/') + 1)..];
}

/// <summary>
/// Another representation of what an endpoint answers in JSON, made from the JSON answer itself (the bytes served, self
/// links absolute) and the base URL it is served at, so both show the same published data. <see cref="Example"/> is for
/// the OpenAPI document: a string for text media types, JSON for the others.
/// </summary>
public sealed record AlternativeRepresentation(MediaRepresentation Media, Func<byte[], string, byte[]> Render, string Example)
{
    public static AlternativeRepresentation Of<T>(MediaRepresentation media, Func<T, string, byte[]> render, string example) =>
        new(media, (json, baseUrl) => render(JsonSerializer.Deserialize<T>(json, PacoJson.Options)!, baseUrl), example);
}

/// <summary>
/// Content negotiation (RFC 9110 §12.5.1) for endpoints that answer in more than JSON: Accept, with q-values, chooses
/// JSON (the default: no Accept, */*, application/*, an unreadable Accept), or one of the endpoint's alternatives;
/// an Accept that allows none of them is answered 406. Each representation is a cached answer of its own (the chosen
/// media type is part of the cache key, see <see cref="KeyPart"/>), with its own ETag, and says Vary: Accept.
/// The handler answers JSON as it always does; <see cref="Negotiated"/> turns it into the chosen representation.
/// </summary>
public static class Representations
{
    /// <summary>What an endpoint offers besides JSON, in the order it prefers them when Accept ranks several equally.</summary>
    public sealed class NegotiatedMetadata(IReadOnlyList<AlternativeRepresentation> alternatives)
    {
        public IReadOnlyList<AlternativeRepresentation> Alternatives { get; } = alternatives;

        public IEnumerable<MediaRepresentation> Offered => Alternatives.Select(a => a.Media).Prepend(MediaRepresentation.Json);
    }

    public const string VaryNegotiated = "Accept, Accept-Encoding";
    private const string NotAcceptableKey = "!";
    private const string FormatParameter = "format";
    private static readonly object ChosenItem = new();

    public static TBuilder Negotiated<TBuilder>(this TBuilder builder, params AlternativeRepresentation[] alternatives) where TBuilder : IEndpointConventionBuilder
    {
        var metadata = new NegotiatedMetadata(alternatives);
        builder.WithMetadata(metadata);
        builder.AddEndpointFilterFactory((_, next) => async context =>
        {
            var http = context.HttpContext;
            if (Chosen(http) is not { } chosen)
            {
                return (object?)NotAcceptable(http, metadata);
            }
            var result = await next(context);
            if (chosen == MediaRepresentation.Json
                || (result as CachedAnswer ?? (result as INestedHttpResult)?.Result as CachedAnswer) is not { } answer)
            {
                return result; // JSON as the handler answered it, or a problem (always problem+json)
            }
            var alternative = metadata.Alternatives.First(a => a.Media == chosen);
            var baseUrl = PublicUrls.BaseOf(http);
            return answer.Representing(alternative.Render(answer.ServedAt(http).Identity, baseUrl), chosen.ContentType);
        });
        return builder;
    }

    /// <summary>Whether the endpoint negotiates the media type (its answers vary with Accept).</summary>
    public static bool IsNegotiated(HttpContext http) => http.GetEndpoint()?.Metadata.GetMetadata<NegotiatedMetadata>() is not null;

    /// <summary>What the cache key adds for the representation: nothing for JSON (and endpoints that do not negotiate).</summary>
    public static string KeyPart(HttpContext http) =>
        !IsNegotiated(http) ? "" : Chosen(http) is not { } chosen ? NotAcceptableKey : chosen == MediaRepresentation.Json ? "" : chosen.MediaType;

    /// <summary>The representation this request gets (JSON on endpoints that do not negotiate), or null when Accept allows none.</summary>
    public static MediaRepresentation? Chosen(HttpContext http)
    {
        if (http.Items.TryGetValue(ChosenItem, out var known))
        {
            return (MediaRepresentation?)known;
        }
        // A ?format= the operation takes (the compliance report's csv, html) names the representation: Accept is not
        // consulted (no 406). A format it does not offer is left to the operation's validator (400), as JSON meanwhile.
        var chosen = http.GetEndpoint()?.Metadata.GetMetadata<NegotiatedMetadata>() is not { } negotiated ? MediaRepresentation.Json
            : http.Request.Query.TryGetValue(FormatParameter, out var format)
                ? negotiated.Offered.FirstOrDefault(m => m.Format.Equals(format, StringComparison.OrdinalIgnoreCase)) ?? MediaRepresentation.Json
            : Choose(http.Request.Headers.Accept, negotiated.Offered.ToList());
        http.Items[ChosenItem] = chosen;
        return chosen;
    }

    /// <summary>
    /// The offered representation Accept ranks highest (the quality of the most specific range that matches it: text/html
    /// over text/* over */*), the first offered among equals; null when every offer has quality 0.
    /// </summary>
    public static MediaRepresentation? Choose(StringValues accept, IReadOnlyList<MediaRepresentation> offered)
    {
        if (StringValues.IsNullOrEmpty(accept) || !MediaTypeHeaderValue.TryParseList(accept, out var ranges) || ranges.Count == 0)
        {
            return offered[0];
        }
        MediaRepresentation? best = null;
        var bestQuality = 0d;
        foreach (var media in offered)
        {
            var quality = QualityOf(media.MediaType, ranges);
            if (quality > bestQuality)
            {
                (best, bestQuality) = (media, quality);
            }
        }
        return best;
    }

    private static double QualityOf(string mediaType, IList<MediaTypeHeaderValue> ranges)
    {
        var slash = mediaType.IndexOf('/');
        var (type, subtype) = (mediaType[..slash], mediaType[(slash + 1)..]);
        var specificity = -1;
        var quality = 0d;
        foreach (var range in ranges)
        {
            var matches = range.Type.Equals("*", StringComparison.Ordinal)
                ? 0
                : !range.Type.Equals(type, StringComparison.OrdinalIgnoreCase) ? -1
                : range.SubType.Equals("*", StringComparison.Ordinal) ? 1
                : range.SubType.Equals(subtype, StringComparison.OrdinalIgnoreCase) ? 2 : -1;
            if (matches > specificity)
            {
                (specificity, quality) = (matches, range.Quality ?? 1);
            }
        }
        return quality;
    }

    private static IResult NotAcceptable(HttpContext http, NegotiatedMetadata metadata)
    {
        http.Response.Headers.Vary = VaryNegotiated;
        var offered = string.Join(", ", metadata.Offered.Select(m => m.MediaType));
        return TypedResults.Problem(statusCode: StatusCodes.Status406NotAcceptable, title: ProblemTypes.NotAcceptable.Title, type: ProblemTypes.NotAcceptable.Uri,
            detail: $"Accept '{http.Request.Headers.Accept}' allows none of the media types this resource has: {offered}. Send one of them (or */*).");
    }
}
