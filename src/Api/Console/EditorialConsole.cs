using Paco.Api.Common;

namespace Paco.Api.EditorialConsole; // not "Console": that would hide System.Console from every Paco.Api namespace

/// <summary>
/// The editorial console: static files (Console/app, copied beside the binary as console/) served at /console as
/// <see cref="StaticAssets"/> (compressed once, ETag). It is a client of the public editorial API like any other, so it
/// needs nothing else from the service. Files are revalidated on every load (no-cache + ETag), so a new version is
/// picked up at once and an unchanged one costs a 304.
/// </summary>
public static class ConsoleApp
{
    public const string Path = "/console";

    public static IEndpointRouteBuilder MapEditorialConsole(this IEndpointRouteBuilder app) =>
        app.MapStaticAssets(Path, "console", CachePolicy.Revalidate);
}
