using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Paco.Api.Tests.Embed;

/// <summary>
/// A municipal site on another origin than the API (its own Kestrel, on another loopback port): it serves the HTML pages a
/// test gives it and nothing else, so everything a component shows came from the API across origins.
/// </summary>
public sealed class HostSite : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _pages;

    private HostSite(WebApplication app, ConcurrentDictionary<string, string> pages, Uri baseAddress)
    {
        _app = app;
        _pages = pages;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<HostSite> StartAsync()
    {
        var baseAddress = new Uri($"http://127.0.0.1:{ApiProcess.FreePort()}");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(baseAddress.ToString());
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var pages = new ConcurrentDictionary<string, string>();
        app.Run(http =>
        {
            if (!pages.TryGetValue(http.Request.Path.Value ?? "/", out var html))
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                http.Response.ContentType = "text/html; charset=utf-8";
                return http.Response.WriteAsync("<!doctype html><html lang=\"pt-BR\"><title>Página não encontrada</title><h1>Página não encontrada</h1></html>");
            }
            http.Response.ContentType = "text/html; charset=utf-8";
            http.Response.Headers.CacheControl = "no-store";
            return http.Response.WriteAsync(html);
        });
        await app.StartAsync();
        return new HostSite(app, pages, baseAddress);
    }

    /// <summary>Serves <paramref name="html"/> at <paramref name="path"/> from now on; its absolute URL.</summary>
    public Uri Page(string path, string html)
    {
        _pages[path] = html;
        return new Uri(BaseAddress, path);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
