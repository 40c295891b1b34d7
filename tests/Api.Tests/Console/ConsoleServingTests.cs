using System.Net;
using Paco.Api.Common;

namespace Paco.Api.Tests.Console;

/// <summary>How the console's files are served: compressed once, revalidated on every load, under the console's policy.</summary>
public sealed class ConsoleServingTests : ApiFixture
{
    [Test]
    public async Task Console_files_are_compressed_revalidated_and_a_304_keeps_the_console_policy()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/console/");
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "br");
        using var page = await Client.SendAsync(request);
        using var again = new HttpRequestMessage(HttpMethod.Get, "/console/");
        again.Headers.TryAddWithoutValidation("Accept-Encoding", "br");
        again.Headers.IfNoneMatch.Add(page.Headers.ETag!);
        using var notModified = await Client.SendAsync(again);
        using var module = await Client.GetAsync("/console/screens/import.js");

        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(page.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/html"));
        Assert.That(page.Content.Headers.ContentEncoding, Is.EqualTo(new[] { "br" }));
        Assert.That(page.Headers.CacheControl!.NoCache, Is.True, "a new console version is picked up at once");
        Assert.That(notModified.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        // The browser keeps the 304's policy for the page it shows: the API's default-src 'none' would block the console.
        Assert.That(notModified.Headers.GetValues("Content-Security-Policy").Single(), Is.EqualTo(SecurityHeaders.ConsolePolicy));
        Assert.That(module.Content.Headers.ContentType!.ToString(), Is.EqualTo("text/javascript; charset=utf-8"));
    }

    [Test]
    public async Task The_console_without_its_slash_is_redirected_to_it()
    {
        using var response = await Client.GetAsync("/console");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(response.Headers.Location!.ToString(), Is.EqualTo("/console/"));
    }
}
