using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Paco.Api.Common;
using Paco.Api.Revisions;

namespace Paco.Api.Tests.Http;

/// <summary>br and gzip for JSON answers: negotiated with q-values, each coding with its own ETag, compressed once while cached.</summary>
public sealed class CompressionTests : ApiFixture
{
    private const string Saude = "/api/v1/institutions/amostra/organs/secretaria-de-saude";

    private async Task<HttpResponseMessage> GetAsync(string url, string? acceptEncoding, string? ifNoneMatch = null, HttpMethod? method = null)
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

    private static byte[] Decode(byte[] body, string? coding)
    {
        using var input = new MemoryStream(body);
        using Stream decoder = coding switch
        {
            "br" => new BrotliStream(input, CompressionMode.Decompress),
            "gzip" => new GZipStream(input, CompressionMode.Decompress),
            _ => throw new AssertionException($"Unexpected coding {coding}"),
        };
        using var output = new MemoryStream();
        decoder.CopyTo(output);
        return output.ToArray();
    }

    [TestCase("br", "br", "-br")]
    [TestCase("gzip", "gzip", "-gz")]
    [TestCase("gzip, deflate, br, zstd", "br", "-br")]
    [TestCase("gzip;q=1, br;q=0.5", "gzip", "-gz")]
    [TestCase("br;q=0, *", "gzip", "-gz")]
    [TestCase("*", "br", "-br")]
    public async Task Get_organ_answers_the_coding_the_client_prefers_with_an_etag_of_its_own(string acceptEncoding, string coding, string suffix)
    {
        using var identity = await GetAsync(Saude, null);
        var identityBytes = await identity.Content.ReadAsByteArrayAsync();

        using var compressed = await GetAsync(Saude, acceptEncoding);
        var body = await compressed.Content.ReadAsByteArrayAsync();

        Assert.That(compressed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(compressed.Content.Headers.ContentEncoding, Is.EqualTo(new[] { coding }));
        Assert.That(compressed.Headers.Vary, Does.Contain("Accept-Encoding"));
        Assert.That(compressed.Content.Headers.ContentLength, Is.EqualTo(body.Length));
        Assert.That(body.Length, Is.LessThan(identityBytes.Length / 2), "JSON compresses well");
        Assert.That(Decode(body, coding), Is.EqualTo(identityBytes), "the same representation, encoded");
        Assert.That(compressed.Headers.ETag!.IsWeak, Is.False);
        Assert.That(compressed.Headers.ETag.Tag, Is.EqualTo(identity.Headers.ETag!.Tag[..^1] + suffix + "\""));
        Assert.That(identity.Content.Headers.ContentEncoding, Is.Empty);
        Assert.That(identity.Headers.Vary, Does.Contain("Accept-Encoding"));
    }

    [TestCase("identity")]
    [TestCase("deflate")]
    [TestCase("br;q=0, gzip;q=0")]
    [TestCase("")]
    public async Task Get_organ_answers_identity_when_the_client_takes_no_other_coding(string acceptEncoding)
    {
        using var response = await GetAsync(Saude, acceptEncoding);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentEncoding, Is.Empty);
        Assert.That(response.Headers.ETag!.Tag, Does.Not.Contain("-br").And.Not.Contain("-gz"));
    }

    [Test]
    public async Task Get_organ_answers_406_when_the_client_refuses_every_coding()
    {
        using var response = await GetAsync(Saude, "identity;q=0, deflate");

        var problem = await AssertProblemAsync(response, 406, "br, gzip and identity");
        Assert.That(problem["type"]!.GetValue<string>(), Is.EqualTo("/api/v1/problems/not-acceptable"));
    }

    [Test]
    public async Task A_small_answer_is_sent_as_it_is_unless_identity_is_refused()
    {
        const string values = "/api/v1/institutions/amostra/organs/secretaria-de-saude/values";
        using var small = await GetAsync(values, "br, gzip");
        using var refused = await GetAsync(values, "br, identity;q=0");

        Assert.That(small.Content.Headers.ContentLength, Is.LessThan(ServedRepresentation.MinimumCompressedBytes));
        Assert.That(small.Content.Headers.ContentEncoding, Is.Empty, "under 1 KB compression is not worth it");
        Assert.That(refused.Content.Headers.ContentEncoding, Is.EqualTo(new[] { "br" }));
        Assert.That(Decode(await refused.Content.ReadAsByteArrayAsync(), "br"), Is.EqualTo(await small.Content.ReadAsByteArrayAsync()));
    }

    [Test]
    public async Task If_none_match_matches_only_the_etag_of_the_coding_served()
    {
        using var brotli = await GetAsync(Saude, "br");
        using var identity = await GetAsync(Saude, null);
        var brotliETag = brotli.Headers.ETag!.Tag;
        var identityETag = identity.Headers.ETag!.Tag;

        using var sameCoding = await GetAsync(Saude, "br", brotliETag);
        using var weakForm = await GetAsync(Saude, "br", "W/" + brotliETag);
        using var otherCoding = await GetAsync(Saude, "gzip", brotliETag);
        using var identityTagWithBrotli = await GetAsync(Saude, "br", identityETag);
        using var brotliTagWithoutCoding = await GetAsync(Saude, null, brotliETag);

        Assert.That(sameCoding.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        Assert.That(sameCoding.Headers.ETag!.Tag, Is.EqualTo(brotliETag));
        Assert.That(weakForm.StatusCode, Is.EqualTo(HttpStatusCode.NotModified), "If-None-Match compares weakly");
        Assert.That(otherCoding.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(otherCoding.Content.Headers.ContentEncoding, Is.EqualTo(new[] { "gzip" }));
        Assert.That(identityTagWithBrotli.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the client holds the identity bytes, not these");
        Assert.That(brotliTagWithoutCoding.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(brotliTagWithoutCoding.Content.Headers.ContentEncoding, Is.Empty);
    }

    [Test]
    public async Task Head_answers_the_headers_of_the_compressed_get()
    {
        using var get = await GetAsync(Saude, "br");
        using var head = await GetAsync(Saude, "br", method: HttpMethod.Head);

        Assert.That(head.Content.Headers.ContentEncoding, Is.EqualTo(new[] { "br" }));
        Assert.That(head.Content.Headers.ContentLength, Is.EqualTo(get.Content.Headers.ContentLength));
        Assert.That(head.Headers.ETag, Is.EqualTo(get.Headers.ETag));
        Assert.That(await head.Content.ReadAsByteArrayAsync(), Is.Empty);
    }

    [Test]
    public async Task A_cached_answer_is_compressed_once_per_coding_and_kept_with_it()
    {
        await WaitUntilAnswersAreCachedAsync();
        var cache = Factory.Services.GetRequiredService<PublishedCache>();
        const string organ = "/api/v1/institutions/amostra/organs/secretaria-de-planejamento-gestao-e-governanca";
        using var identity = await GetAsync(organ, null);
        Assert.That(identity.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var identityBytes = (await identity.Content.ReadAsByteArrayAsync()).Length;
        var before = cache.Bytes;

        using var first = await GetAsync(organ, "br");
        var afterFirst = cache.Bytes;
        using var second = await GetAsync(organ, "br");
        var afterSecond = cache.Bytes;
        using var gzip = await GetAsync(organ, "gzip");

        var brotliBytes = await first.Content.ReadAsByteArrayAsync();
        Assert.That(afterFirst - before, Is.EqualTo(brotliBytes.Length), "the brotli variant is kept with the cached answer, and counted");
        Assert.That(afterSecond, Is.EqualTo(afterFirst), "and served as kept: not compressed again");
        Assert.That(await second.Content.ReadAsByteArrayAsync(), Is.EqualTo(brotliBytes));
        Assert.That(cache.Bytes - afterSecond, Is.EqualTo((await gzip.Content.ReadAsByteArrayAsync()).Length));
        Assert.That(before, Is.GreaterThanOrEqualTo(identityBytes));
    }

    [Test]
    public async Task Lists_are_compressed_too()
    {
        using var response = await GetAsync("/api/v1/institutions/amostra/organs?pageSize=100", "gzip");

        Assert.That(response.Content.Headers.ContentEncoding, Is.EqualTo(new[] { "gzip" }));
        Assert.That(response.Headers.GetValues("X-Total-Count").Single(), Is.Not.Empty);
    }

    [Test]
    public void If_match_accepts_the_etag_of_a_compressed_variant_of_the_current_representation()
    {
        Assert.That(HttpConditions.IfMatchAccepts("\"abc-br\"", "\"abc\""), Is.True);
        Assert.That(HttpConditions.IfMatchAccepts("\"abc-gz\"", "\"abc\""), Is.True);
        Assert.That(HttpConditions.IfMatchAccepts("\"abc\"", "\"abc\""), Is.True);
        Assert.That(HttpConditions.IfMatchAccepts("W/\"abc\"", "\"abc\""), Is.False, "If-Match compares strongly");
        Assert.That(HttpConditions.IfMatchAccepts("\"abd-br\"", "\"abc\""), Is.False);
    }
}
