using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace Paco.Api.EditorialConsole; // not "Console": that would hide System.Console from every Paco.Api namespace

/// <summary>
/// The editorial console: static files (Console/app, copied beside the binary as console/) served at /console. It is a
/// client of the public editorial API like any other, so it needs nothing else from the service. Files are revalidated on
/// every load (no-cache + ETag), so a new version is picked up at once and an unchanged one costs a 304.
/// </summary>
public static class ConsoleApp
{
    public const string Path = "/console";

    public static IApplicationBuilder UseEditorialConsole(this WebApplication app)
    {
        var folder = System.IO.Path.Combine(AppContext.BaseDirectory, "console");
        if (!Directory.Exists(folder))
        {
            throw new InvalidOperationException($"The console's files are missing: {folder} (they are copied there by the build).");
        }
        var files = new PhysicalFileProvider(folder);
        app.Use((http, next) =>
        {
            if (http.Request.Path.Equals(Path, StringComparison.Ordinal))
            {
                http.Response.Redirect(Path + "/"); // relative URLs in index.html resolve under /console/
                return Task.CompletedTask;
            }
            return next(http);
        });
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files, RequestPath = Path });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            RequestPath = Path,
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "no-cache",
        });
        return app;
    }
}
