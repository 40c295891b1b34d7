using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Paco.Api.Revisions;

namespace Paco.Api.Tests.Editorial;

/// <summary>The in-memory cache of published documents stays correct when several instances share one database.</summary>
public sealed class CacheTests : ApiFixture
{
    private const string Organ = "/api/v1/institutions/cache/organs/secretaria-cacheada";
    private string _publisher = "";

    [OneTimeSetUp]
    public async Task CreateContentAsync()
    {
        await Content.InstitutionAsync("cache");
        _publisher = await Content.KeyAsync("publisher", "cache");
        await Content.ResourceAsync(await InstitutionIdAsync(), "organ", "secretaria-cacheada", [TestContent.Organ("secretaria-cacheada", "Nome 1")], publish: 1);
    }

    private async Task<Guid> InstitutionIdAsync() => await QueryScalarAsync<Guid>("select id from institutions where slug = 'cache'");

    private static async Task WaitUntilCachingAsync(PacoFactory factory)
    {
        var cache = factory.Services.GetRequiredService<PublishedCache>();
        var deadline = Stopwatch.StartNew();
        using var client = factory.CreateClient();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            using (await client.GetAsync(Organ))
            {
            }
            if (cache.Count > 0)
            {
                return;
            }
            await Task.Delay(50);
        }
        Assert.Fail("The cache never started (its LISTEN connection did not come up).");
    }

    [Test]
    public async Task A_publish_through_one_instance_is_served_by_another_once_its_notification_arrives()
    {
        await using var second = new PacoFactory(ConnectionString, Settings);
        using var secondClient = second.CreateClient();
        await WaitUntilCachingAsync(Factory);
        await WaitUntilCachingAsync(second);
        var before = await ReadJsonAsync(await secondClient.GetAsync(Organ));

        // Edit and publish through the first instance's API.
        using var draftRequest = new HttpRequestMessage(HttpMethod.Get, Organ + "/draft");
        draftRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _publisher);
        using var draft = await Client.SendAsync(draftRequest);
        using var patch = new HttpRequestMessage(HttpMethod.Patch, Organ)
        {
            Content = new StringContent("{\"name\":\"Nome 2\"}", Encoding.UTF8, "application/merge-patch+json"),
        };
        patch.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _publisher);
        patch.Headers.TryAddWithoutValidation("If-Match", draft.Headers.ETag!.Tag);
        using var patched = await Client.SendAsync(patch);
        using var publish = new HttpRequestMessage(HttpMethod.Post, Organ + "/publish") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        publish.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _publisher);
        publish.Headers.TryAddWithoutValidation("If-Match", patched.Headers.ETag!.Tag);
        using var published = await Client.SendAsync(publish);
        Assert.That(published.StatusCode, Is.EqualTo(HttpStatusCode.OK), await published.Content.ReadAsStringAsync());
        var publishedAt = Stopwatch.StartNew();

        JsonNode after;
        do
        {
            after = await ReadJsonAsync(await secondClient.GetAsync(Organ));
            if (after["name"]!.GetValue<string>() == "Nome 2")
            {
                break;
            }
            await Task.Delay(20);
        }
        while (publishedAt.Elapsed < TimeSpan.FromSeconds(10)); // a bound on the wait, not a latency target (bench/ measures those)

        Assert.That(before["name"]!.GetValue<string>(), Is.EqualTo("Nome 1"), "the second instance had the old document cached");
        Assert.That(after["name"]!.GetValue<string>(), Is.EqualTo("Nome 2"));
        var own = await GetJsonAsync(Organ);
        Assert.That(own["name"]!.GetValue<string>(), Is.EqualTo("Nome 2"), "the instance that published serves it at once");
    }

    [Test]
    public async Task A_cached_document_answers_304_and_the_same_bytes_as_the_database()
    {
        await WaitUntilCachingAsync(Factory);
        using var first = await Client.GetAsync(Organ);
        using var second = await Client.GetAsync(Organ);
        using var request = new HttpRequestMessage(HttpMethod.Get, Organ);
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var revalidated = await Client.SendAsync(request);

        var stored = await QueryScalarAsync<string>("select published_json from resources where slug = 'secretaria-cacheada'");
        // Stored with its self link as a path, served with it absolute under the request's base.
        Assert.That(await second.Content.ReadAsStringAsync(), Is.EqualTo(stored.Replace("\"self\":\"/", "\"self\":\"http://localhost/")));
        Assert.That(second.Headers.ETag, Is.EqualTo(first.Headers.ETag));
        Assert.That(revalidated.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
    }
}
