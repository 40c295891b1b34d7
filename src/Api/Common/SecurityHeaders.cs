using Microsoft.Extensions.Primitives;

namespace Paco.Api.Common;

/// <summary>
/// Headers every answer carries, errors and 304s included: no MIME sniffing, no referrer, and a Content-Security-Policy.
/// JSON (everything the API answers) gets the most restrictive policy there is; Swagger UI's page gets what it needs: its own scripts and styles (and inline style attributes), data: images, and fetching
/// the OpenAPI document from the same origin; the editorial console's pages get <see cref="ConsolePolicy"/>. HTML fragments of
/// the API (<see cref="Representations"/>) have nothing to run or style, so they get the JSON policy. The headers are added when the answer starts, so they also survive the
/// exception handler (which clears headers) and know the answer's content type.
/// </summary>
public static class SecurityHeaders
{
    public const string JsonPolicy = "default-src 'none'; frame-ancestors 'none'";
    public const string HtmlPolicy = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>
    /// The editorial console (/console): scripts and styles from its own files only, no inline script, style or style
    /// attribute, and fetch to the same origin; stricter than Swagger UI's, which needs inline styles.
    /// </summary>
    public const string ConsolePolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " +
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private const string ConsolePath = "/console";
    private const string ApiPath = "/api";
    private static readonly StringValues Console = ConsolePolicy;
    private static readonly StringValues NoSniff = "nosniff";
    private static readonly StringValues NoReferrer = "no-referrer";
    private static readonly StringValues Json = JsonPolicy;
    private static readonly StringValues Html = HtmlPolicy;

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        http.Response.OnStarting(static state =>
        {
            var response = (HttpResponse)state;
            var headers = response.Headers;
            headers.XContentTypeOptions = NoSniff;
            headers["Referrer-Policy"] = NoReferrer;
            var path = response.HttpContext.Request.Path;
            // Everything under /console has the console's policy, its 304s included: a browser revalidating the page
            // takes the 304's policy into the page it keeps, and a 304 has no content type to tell it is HTML.
            headers.ContentSecurityPolicy = path.StartsWithSegments(ConsolePath, StringComparison.Ordinal) ? Console
                : response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) != true ? Json
                : path.StartsWithSegments(ApiPath, StringComparison.Ordinal) ? Json : Html;
            return Task.CompletedTask;
        }, http.Response);
        return next(http);
    });
}
