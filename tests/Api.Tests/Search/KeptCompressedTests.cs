using System.IO.Compression;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Paco.Api.Revisions;

namespace Paco.Api.Tests.Search;

/// <summary>
/// Search answers are kept brotli-compressed in the in-process cache (a tenth of their size), and served exactly as
/// before in every coding; documents such as an organ stay kept as they are served.
/// </summary>
public sealed class KeptCompressedTests : ApiFixture
{
    private const string Search = "/api/v1/institutions/amostra/search?q=saude";

    private async Task<HttpResponseMessage> GetAsync(string url, string? acceptEncoding = null, string? ifNoneMatch = null, HttpMethod? method = null)
    {
        var request = new HttpRequestMessage(method ?? HttpMethod.Get, url);
        if (acceptEncoding is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        }
        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }
        return await Client.SendAsync(request);
    }

    private static byte[] Decode(byte[] body, string coding)
    {
        using var input = new MemoryStream(body);
        using Stream decoder = coding == "br" ? new BrotliStream(input, CompressionMode.Decompress) : new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        decoder.CopyTo(output);
        return output.ToArray();
    }

    [Test]
    public async Task A_kept_search_answer_takes_a_fraction_of_its_size_and_is_served_the_same_in_every_coding()
    {
        await WaitUntilAnswersAreCachedAsync();
        var cache = Factory.Services.GetRequiredService<PublishedCache>();
        var before = cache.Bytes;

        using var first = await GetAsync(Search);
        var identity = await first.Content.ReadAsByteArrayAsync();
        var etag = first.Headers.ETag!.Tag;
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(identity.Length, Is.GreaterThan(4096), "an answer with several hits");
        Assert.That(first.Content.Headers.ContentLength, Is.EqualTo(identity.Length));
        Assert.That(cache.Bytes - before, Is.GreaterThan(0).And.LessThan(identity.Length / 3), "kept compressed");

        using var hit = await GetAsync(Search);
        Assert.That(await hit.Content.ReadAsByteArrayAsync(), Is.EqualTo(identity), "a kept answer is served as it was first");
        Assert.That(hit.Headers.ETag!.Tag, Is.EqualTo(etag));
        Assert.That(hit.Content.Headers.ContentLength, Is.EqualTo(identity.Length));
        Assert.That(hit.Headers.GetValues("X-Total-Count").Single(), Is.EqualTo(first.Headers.GetValues("X-Total-Count").Single()));

        foreach (var (coding, suffix) in new[] { ("br", "-br"), ("gzip", "-gz") })
        {
            using var compressed = await GetAsync(Search, coding);
            Assert.That(compressed.Content.Headers.ContentEncoding, Is.EqualTo(new[] { coding }));
            Assert.That(compressed.Headers.ETag!.Tag, Is.EqualTo(etag[..^1] + suffix + "\""));
            Assert.That(Decode(await compressed.Content.ReadAsByteArrayAsync(), coding), Is.EqualTo(identity), coding);
        }

        using var head = await GetAsync(Search, method: HttpMethod.Head);
        Assert.That(head.Content.Headers.ContentLength, Is.EqualTo(identity.Length));
        using var notModified = await GetAsync(Search, ifNoneMatch: etag);
        Assert.That(notModified.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
    }

    [Test]
    public async Task A_kept_organ_is_kept_as_it_is_served()
    {
        await WaitUntilAnswersAreCachedAsync();
        var cache = Factory.Services.GetRequiredService<PublishedCache>();
        var before = cache.Bytes;

        using var organ = await GetAsync("/api/v1/institutions/amostra/organs/secretaria-de-saude");
        var body = await organ.Content.ReadAsByteArrayAsync();

        Assert.That(organ.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(cache.Bytes - before, Is.EqualTo(body.Length), "documents are few and read often: served from memory without decompressing");
    }
}
