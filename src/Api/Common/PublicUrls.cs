using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Paco.Api.Common;

/// <summary>What a published resource links to: its own URL (absolute, where this answer is served).</summary>
public sealed record ResourceLinks(Uri Self);

/// <summary>
/// Absolute URLs in answers (self links, paging links). The base is Paco:PublicBaseUrl when set, otherwise the
/// request's scheme, host and path base; forwarded headers count only where the app applies them
/// (ASPNETCORE_FORWARDEDHEADERS_ENABLED, which sets the scheme from X-Forwarded-Proto).
/// <para>
/// Stored representations are rendered once and shared by every host that serves them, so they keep the self link as
/// a path ("/api/v1/…") and the answer makes it absolute for the base it is served at (<see cref="PublicUrls.WithAbsoluteSelf"/>),
/// once per base and resource: cached answers are keyed by the base too, and their ETag is over the bytes served.
/// </para>
/// </summary>
public sealed class PublicBaseUrl
{
    public const string Setting = "Paco:PublicBaseUrl";

    private readonly string? _configured;

    public PublicBaseUrl(IConfiguration configuration)
    {
        var value = configuration[Setting];
        if (string.IsNullOrWhiteSpace(value))
        {
            return;
        }
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw new InvalidOperationException($"{Setting} must be an absolute http or https URL without query (e.g. https://paco.example.gov.br); it is '{value}'.");
        }
        _configured = uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
    }

    /// <summary>The scheme, host and path prefix the API is reached at, without a trailing '/'.</summary>
    public string Of(HttpContext http) =>
        _configured ?? $"{http.Request.Scheme}://{http.Request.Host.ToUriComponent()}{http.Request.PathBase.ToUriComponent()}";
}

public static class PublicUrls
{
    private static readonly byte[] RelativeSelf = "\"self\":\"/"u8.ToArray();

    public static IServiceCollection AddPublicUrls(this IServiceCollection services) => services.AddSingleton<PublicBaseUrl>();

    public static string BaseOf(HttpContext http) => http.RequestServices.GetRequiredService<PublicBaseUrl>().Of(http);

    /// <summary>The links of the resource at <paramref name="path"/> ("/api/v1/…"), made absolute when the answer is served.</summary>
    public static ResourceLinks LinksTo(string path) => new(new Uri(path, UriKind.Relative));

    /// <summary>The path of an institution, the start of every path under it.</summary>
    public static string InstitutionPath(string institution) => $"/api/v1/institutions/{institution}";

    /// <summary>
    /// <paramref name="json"/> with every relative self link ("self":"/…) made absolute under <paramref name="baseUrl"/>;
    /// the same array when there is none. Exact on serialized JSON: a quote inside a string value is always escaped,
    /// so the sequence can only be a property named self whose value is a path.
    /// </summary>
    public static byte[] WithAbsoluteSelf(byte[] json, string baseUrl)
    {
        var span = json.AsSpan();
        var first = span.IndexOf(RelativeSelf);
        if (first < 0)
        {
            return json;
        }
        var prefix = JsonEncodedText.Encode(baseUrl, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).EncodedUtf8Bytes;
        var output = new ArrayBufferWriter<byte>(json.Length + 8 * prefix.Length);
        var at = first;
        while (at >= 0)
        {
            var cut = at + RelativeSelf.Length - 1; // before the path's '/'
            output.Write(span[..cut]);
            output.Write(prefix);
            span = span[cut..];
            at = span[1..].IndexOf(RelativeSelf) is var next and >= 0 ? next + 1 : -1;
        }
        output.Write(span);
        return output.WrittenSpan.ToArray();
    }
}
