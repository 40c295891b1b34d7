using Microsoft.Net.Http.Headers;

namespace Paco.Api.Common;

/// <summary>
/// HEAD on every GET route, in one place: the request is routed as a GET (so no endpoint, and no OpenAPI operation,
/// exists twice) and then runs as a HEAD, through the same middleware and handler, so it gets the status and headers
/// a GET would (ETag, Last-Modified, Cache-Control, Content-Length, Content-Encoding, Link, X-Total-Count, 304) and no
/// body: whatever the handler writes is discarded. A CORS preflight asking for HEAD is routed as one asking for GET.
/// </summary>
public static class HeadRequests
{
    private enum Routed { HeadAsGet, PreflightForHeadAsGet }

    private static readonly object Marker = new();

    /// <summary>Routing itself (instead of the implicit routing at the start of the pipeline), with HEAD routed as GET.</summary>
    public static WebApplication UseRoutingWithHead(this WebApplication app)
    {
        app.Use((http, next) =>
        {
            var request = http.Request;
            if (HttpMethods.IsHead(request.Method))
            {
                request.Method = HttpMethods.Get;
                http.Items[Marker] = Routed.HeadAsGet;
            }
            else if (HttpMethods.IsOptions(request.Method) && request.Headers[HeaderNames.AccessControlRequestMethod] is [var asked] && HttpMethods.IsHead(asked!))
            {
                request.Headers[HeaderNames.AccessControlRequestMethod] = HttpMethods.Get;
                http.Items[Marker] = Routed.PreflightForHeadAsGet;
            }
            return next(http);
        });
        app.UseRouting();
        app.Use((http, next) =>
        {
            switch (http.Items[Marker])
            {
                case Routed.PreflightForHeadAsGet:
                    http.Request.Headers[HeaderNames.AccessControlRequestMethod] = HttpMethods.Head; // CORS answers for what was asked
                    break;
                case Routed.HeadAsGet:
                    http.Request.Method = HttpMethods.Head;
                    http.Response.Body = Stream.Null; // the servers that drop a HEAD's body by themselves and the test server alike
                    break;
            }
            return next(http);
        });
        return app;
    }
}
