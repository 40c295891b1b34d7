namespace Paco.Api.Common;

/// <summary>
/// Files that ship beside the binary (the console, the embeddable components), served as <see cref="CachedAnswer"/>s, the
/// API's one way of answering bytes: each file read once at start-up, a strong ETag, 304 on If-None-Match, br and gzip
/// variants compressed once and kept for the life of the process, Vary: Accept-Encoding, HEAD. Not JSON API: left out of
/// the OpenAPI document.
/// </summary>
public static class StaticAssets
{
    private static readonly IReadOnlyDictionary<string, string> MediaTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
    };

    /// <summary>
    /// Maps every file of <paramref name="folder"/> (below the binary, its subfolders too) at <paramref name="path"/>/its
    /// relative path; an index.html also answers the folder's own URL, "/console/" (routing ignores a final slash, so
    /// "/console" is the same route: it is redirected to "/console/", where relative URLs resolve inside the folder). Fails at start-up when the folder
    /// is missing or empty, or holds a file of a type it cannot name.
    /// </summary>
    public static IEndpointRouteBuilder MapStaticAssets(this IEndpointRouteBuilder app, string path, string folder, CachePolicy policy,
        IReadOnlyDictionary<string, string>? headers = null)
    {
        var root = Path.Combine(AppContext.BaseDirectory, folder);
        var files = Directory.Exists(root) ? Directory.GetFiles(root, "*", SearchOption.AllDirectories) : [];
        if (files.Length == 0)
        {
            throw new InvalidOperationException($"The files of {path} are missing: {root} (they are copied there by the build).");
        }
        foreach (var file in files)
        {
            if (!MediaTypes.TryGetValue(Path.GetExtension(file), out var mediaType))
            {
                throw new InvalidOperationException($"{file}: no media type is known for its extension; add it to StaticAssets.");
            }
            var answer = Answer(File.ReadAllBytes(file), File.GetLastWriteTimeUtc(file), policy, headers, mediaType);
            var relative = Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/');
            app.MapGet($"{path}/{relative}", () => answer).ExcludeFromDescription().TakesAnyQuery();
            if (relative == "index.html")
            {
                app.MapGet(path, (HttpContext http) => http.Request.Path.Value!.EndsWith('/') ? (IResult)answer : Results.Redirect(path + "/"))
                    .ExcludeFromDescription().TakesAnyQuery();
            }
        }
        return app;
    }

    private static CachedAnswer Answer(byte[] bytes, DateTime lastWritten, CachePolicy policy, IReadOnlyDictionary<string, string>? headers, string mediaType)
    {
        // No self links in a file: the representation is the same for every base URL, so one is kept for all.
        var served = ServedRepresentation.Of(bytes, ETags.Of(bytes), baseUrl: "");
        served.KeptBy(static _ => { }); // compressed once, at the kept levels, and held for the life of the process
        return CachedAnswer.Stored(served, new DateTimeOffset(lastWritten, TimeSpan.Zero), policy, headers, mediaType);
    }
}
