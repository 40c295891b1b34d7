using Paco.Api.Common;

namespace Paco.Api.Embed;

/// <summary>
/// The embeddable web components (Embed/app, copied beside the binary as embed/ by the build, as the console's files are)
/// served at /embed/v1/: plain ES modules a municipal site loads with &lt;script type="module"&gt;. Each file is read once
/// at start-up and answered as a <see cref="CachedAnswer"/>, the API's one way of answering bytes: a strong ETag, 304 on
/// If-None-Match, br and gzip variants compressed once and kept, Vary: Accept-Encoding, HEAD. Module scripts are fetched
/// in CORS mode, so another origin needs the CORS headers (the API's policy, <see cref="Cors"/>) and, for pages that
/// isolate themselves (COEP), Cross-Origin-Resource-Policy: cross-origin. Not JSON API: left out of the OpenAPI document.
/// </summary>
public static class EmbedScript
{
    public const string Path = "/embed/v1";
    public const string MediaType = "text/javascript; charset=utf-8";

    private static readonly IReadOnlyDictionary<string, string> CrossOrigin = new Dictionary<string, string>
    {
        ["Cross-Origin-Resource-Policy"] = "cross-origin",
    };

    public static IEndpointRouteBuilder MapEmbeddableComponents(this IEndpointRouteBuilder app)
    {
        var folder = System.IO.Path.Combine(AppContext.BaseDirectory, "embed");
        var files = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.js") : [];
        if (files.Length == 0)
        {
            throw new InvalidOperationException($"The embeddable components' files are missing: {folder} (they are copied there by the build).");
        }
        foreach (var file in files)
        {
            var answer = Answer(File.ReadAllBytes(file), File.GetLastWriteTimeUtc(file));
            app.MapGet($"{Path}/{System.IO.Path.GetFileName(file)}", () => answer).ExcludeFromDescription();
        }
        return app;
    }

    private static CachedAnswer Answer(byte[] script, DateTime lastWritten)
    {
        // No self links in a script: the representation is the same for every base URL, so one is kept for all.
        var served = ServedRepresentation.Of(script, ETags.Of(script), baseUrl: "");
        served.KeptBy(static _ => { }); // compressed once, at the kept levels, and held for the life of the process
        return CachedAnswer.Stored(served, new DateTimeOffset(lastWritten, TimeSpan.Zero), CachePolicy.Asset, CrossOrigin, MediaType);
    }
}
