using System.Net;
using System.Net.Http.Headers;

namespace Paco.Api.Tests.Editorial;

/// <summary>What an editorial client (the console) learns without being an admin: who its key is, and every draft.</summary>
public sealed class OwnKeyAndDraftListTests : ApiFixture
{
    private HttpRequestMessage Get(string url, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return request;
    }

    [Test]
    public async Task Get_own_key_tells_an_editor_its_name_role_and_institution_but_not_its_secret()
    {
        await Content.InstitutionAsync("propria");
        var key = await Content.KeyAsync("editor", "propria", "Joana da Comunicação");

        using var response = await Client.SendAsync(Get("/api/v1/keys/me", key));
        var me = await ReadJsonAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((me["name"]!.GetValue<string>(), me["role"]!.GetValue<string>(), me["institution"]!.GetValue<string>()),
            Is.EqualTo(("Joana da Comunicação", "editor", "propria")));
        Assert.That(key, Does.StartWith($"paco_{me["prefix"]!.GetValue<string>()}_"));
        Assert.That(me.ToJsonString(), Does.Not.Contain(key));
    }

    [Test]
    public async Task Draft_list_shows_never_published_organs_to_editors_only()
    {
        var institution = await Content.InstitutionAsync("rascunhos");
        var key = await Content.KeyAsync("editor", "rascunhos");
        await Content.ResourceAsync(institution, "organ", "nucleo-novo", [TestContent.Organ("nucleo-novo", "Núcleo Novo")]);

        using var response = await Client.SendAsync(Get("/api/v1/institutions/rascunhos/organs/drafts", key));
        var list = await ReadJsonAsync(response);
        using var anonymous = await Client.GetAsync("/api/v1/institutions/rascunhos/organs/drafts");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var item = list["items"]!.AsArray().Single()!;
        Assert.That((item["slug"]!.GetValue<string>(), item["document"]!["name"]!.GetValue<string>()), Is.EqualTo(("nucleo-novo", "Núcleo Novo")));
        Assert.That(item["state"]!["publishedRevision"], Is.Null);
        Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }
}
