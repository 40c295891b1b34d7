using Paco.Api.Common;

namespace Paco.Api.Embed;

/// <summary>
/// The embeddable web components (Embed/app, copied beside the binary as embed/ by the build) served at /embed/v1/ as
/// <see cref="StaticAssets"/>: plain ES modules a municipal site loads with &lt;script type="module"&gt;. Module scripts
/// are fetched in CORS mode, so another origin needs the CORS headers (the API's policy, <see cref="Cors"/>) and, for
/// pages that isolate themselves (COEP), Cross-Origin-Resource-Policy: cross-origin.
/// </summary>
public static class EmbedScript
{
    public const string Path = "/embed/v1";

    private static readonly IReadOnlyDictionary<string, string> CrossOrigin = new Dictionary<string, string>
    {
        ["Cross-Origin-Resource-Policy"] = "cross-origin",
    };

    public static IEndpointRouteBuilder MapEmbeddableComponents(this IEndpointRouteBuilder app) =>
        app.MapStaticAssets(Path, "embed", CachePolicy.Asset, CrossOrigin);
}
