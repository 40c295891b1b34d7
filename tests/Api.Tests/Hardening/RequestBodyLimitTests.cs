using Paco.Api.Common;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Paco.Api.Tests.Hardening;

/// <summary>A body the client sends without declaring its length, written as it goes (chunked).</summary>
public sealed class UndeclaredLengthContent(byte[] body) : HttpContent
{
    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(body).AsTask();

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}

/// <summary>How large a body may be, and that a larger one is refused with 413 before it takes the memory it claims.</summary>
public sealed class RequestBodyLimitTests : ApiFixture
{
    private const string Organs = "/api/v1/institutions/amostra/organs";
    private const int MiB = 1024 * 1024;

    private string _editor = "";

    [OneTimeSetUp]
    public async Task CreateKeyAsync() => _editor = await Content.KeyAsync("editor", "amostra", "bodies editor");

    /// <summary>A valid new organ, padded with spaces (still one JSON document) to exactly <paramref name="bytes"/>.</summary>
    public static byte[] OrganOfSize(string slug, int bytes)
    {
        var json = Encoding.UTF8.GetBytes(Editorial.EditorialTests.OrganBody(slug, "Secretaria de Corpo Grande", ("I", "Crescer;")).ToJsonString());
        var body = new byte[bytes];
        json.CopyTo(body, 0);
        body.AsSpan(json.Length).Fill((byte)' ');
        return body;
    }

    private async Task<HttpResponseMessage> PostAsync(HttpClient client, string url, HttpContent content, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        request.Headers.TransferEncodingChunked = content is UndeclaredLengthContent ? true : null; // (the factory's client would buffer it and send its length)
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return await client.SendAsync(request);
    }

    [Test]
    public async Task A_document_without_a_declared_length_is_refused_with_413_once_it_passes_1_MiB()
    {
        using var response = await PostAsync(Client, Organs, new UndeclaredLengthContent(OrganOfSize("chunked-too-large", MiB + 1)), _editor);

        await AssertProblemAsync(response, 413, "limit of 1048576 bytes");
        Assert.That(await QueryScalarAsync<long>("select count(*) from resources where slug = 'chunked-too-large'"), Is.EqualTo(0L), "nothing was stored");
    }

    [Test]
    public async Task A_document_of_exactly_1_MiB_is_accepted_with_or_without_a_declared_length()
    {
        using var declared = await PostAsync(Client, Organs, new ByteArrayContent(OrganOfSize("declared-1-mib", MiB)), _editor);
        using var chunked = await PostAsync(Client, Organs, new UndeclaredLengthContent(OrganOfSize("chunked-1-mib", MiB)), _editor);

        Assert.That(declared.StatusCode, Is.EqualTo(HttpStatusCode.Created), await declared.Content.ReadAsStringAsync());
        Assert.That(chunked.StatusCode, Is.EqualTo(HttpStatusCode.Created), await chunked.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task A_document_with_a_declared_length_over_1_MiB_is_refused_with_413()
    {
        using var response = await PostAsync(Client, Organs, new ByteArrayContent(OrganOfSize("declared-too-large", MiB + 1)), _editor);

        await AssertProblemAsync(response, 413, "the limit is 1048576");
    }
}

/// <summary>On Kestrel, which enforces the limits before the framework binds a body: small writes take small bodies.</summary>
public sealed class KestrelRequestBodyLimitTests : ApiFixture
{
    private ApiProcess _api = null!;
    private HttpClient _client = null!;
    private string _admin = "";

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _admin = await Content.KeyAsync("admin", null, "kestrel bodies admin");
        _api = await ApiProcess.StartAsync(ConnectionString);
        _client = new HttpClient { BaseAddress = _api.BaseAddress };
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        await _api.DisposeAsync();
    }

    private async Task<HttpResponseMessage> PostAsync(string url, byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _admin);
        request.Headers.IfMatch.Add(new EntityTagHeaderValue("\"stale\""));
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return await _client.SendAsync(request);
    }

    private static byte[] JsonOfSize(string json, int bytes)
    {
        var body = new byte[bytes];
        Encoding.UTF8.GetBytes(json).CopyTo(body, 0);
        body.AsSpan(json.Length).Fill((byte)' ');
        return body;
    }

    [TestCase("/api/v1/institutions/amostra/organs/secretaria-de-trabalho-e-assistencia-social/publish", "{\"revision\":1}")]
    [TestCase("/api/v1/keys", "{\"name\":\"x\",\"role\":\"editor\",\"institution\":\"amostra\"}")]
    [TestCase("/api/v1/institutions", "{\"slug\":\"grande\",\"name\":\"Grande\",\"kind\":\"prefeitura\"}")]
    public async Task A_small_write_refuses_a_body_over_64_KiB_with_413_before_binding_it(string url, string json)
    {
        using var response = await PostAsync(url, JsonOfSize(json, 64 * 1024 + 1));

        await AssertProblemAsync(response, 413, "65536");
    }

    [Test]
    public async Task An_import_takes_a_text_of_5_MiB_and_refuses_one_byte_more_with_413()
    {
        var text = new byte[Limits.ImportBodyBytes];
        text.AsSpan().Fill((byte)'a');
        using var fits = await ImportAsync(text);
        // With Expect: 100-continue the server refuses the declared length before the 5 MiB are sent (else it closes mid-upload).
        using var over = await ImportAsync(new byte[Limits.ImportBodyBytes + 1], expectContinue: true);

        Assert.That(fits.StatusCode, Is.EqualTo(HttpStatusCode.OK), await fits.Content.ReadAsStringAsync());
        await AssertProblemAsync(over, 413, Limits.ImportBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private async Task<HttpResponseMessage> ImportAsync(byte[] body, bool expectContinue = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/institutions/amostra/imports") { Content = new ByteArrayContent(body) };
        request.Headers.ExpectContinue = expectContinue;
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _admin);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        return await _client.SendAsync(request);
    }

    [Test]
    public async Task A_document_write_still_takes_up_to_1_MiB()
    {
        using var response = await PostAsync("/api/v1/institutions/amostra/organs", RequestBodyLimitTests.OrganOfSize("kestrel-1-mib", 1024 * 1024));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
    }
}
