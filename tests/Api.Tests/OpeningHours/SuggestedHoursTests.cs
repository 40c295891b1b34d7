using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Paco.Api.Common;
using Paco.Api.Organs;

namespace Paco.Api.Tests.OpeningHours;

/// <summary>Structured hours proposed from an organ draft's free text: read only, accepted by the editor with the patch it gives.</summary>
public sealed class SuggestedHoursTests : ApiFixture
{
    private const string Organs = "/api/v1/institutions/horarios/organs";
    private string _editor = "";
    private string _otherEditor = "";

    private static Address At(string street, string? hours, IReadOnlyList<OpeningHoursSpecification>? structured = null) =>
        new(street, "1", null, "Centro", "Exemplo", "BA", "40000-000", hours, structured);

    [OneTimeSetUp]
    public async Task CreateContentAsync()
    {
        var institution = await Content.InstitutionAsync("horarios", "BA", "Exemplo");
        await Content.InstitutionAsync("horarios-outra", "BA", "Outra");
        _editor = await Content.KeyAsync("editor", "horarios");
        _otherEditor = await Content.KeyAsync("editor", "horarios-outra");
        var published = TestContent.Organ("saude", "Secretaria de Saúde") with
        {
            Contact = new Contact([At("Rua A", "Segunda a sexta, das 8h às 17h")], [], [], null),
        };
        var draft = published with
        {
            Contact = new Contact(
            [
                At("Rua A", "Segunda a sexta, das 8h às 12h e das 13h às 17h; sábados das 8h às 12h"),
                At("Rua B", "Horário comercial"),
                At("Rua C", "8h–14h", [new OpeningHoursSpecification(["Monday"], "08:00", "14:00")]),
                At("Rua D", null),
            ], [new Phone("(71) 3000-0000", null)], [], null),
        };
        var organ = await Content.ResourceAsync(institution, OrganModule.TypeName, "saude", [published], publish: 1);
        await Content.AppendAsync(organ, draft, publish: false);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, string? key, HttpContent? body = null, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, url) { Content = body };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        return await Client.SendAsync(request);
    }

    [Test, Order(1)]
    public async Task Each_address_of_the_draft_gets_a_proposal_or_a_reason_and_nothing_is_written()
    {
        using var response = await SendAsync(HttpMethod.Get, $"{Organs}/saude/draft/suggested-hours", _editor);
        var body = await ReadJsonAsync(response);
        using var draft = await SendAsync(HttpMethod.Get, $"{Organs}/saude/draft", _editor);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body.ToJsonString());
        Assert.That(body["revision"]!.GetValue<int>(), Is.EqualTo(2), "the draft, not the published revision");
        Assert.That(body["addresses"]!.AsArray().Select(a => a!["status"]!.GetValue<string>()), Is.EqualTo(new[] { "suggested", "notUnderstood", "structured", "noText" }));
        var proposed = body["addresses"]![0]!["openingHoursSpecification"]!.AsArray();
        Assert.That(proposed.Select(s => $"{s!["dayOfWeek"]!.AsArray().Count} {s["opens"]}-{s["closes"]}"), Is.EqualTo(new[] { "5 08:00-12:00", "5 13:00-17:00", "1 08:00-12:00" }));
        Assert.That(body["addresses"]![1]!["openingHoursSpecification"], Is.Null);
        Assert.That(response.Headers.ETag, Is.EqualTo(draft.Headers.ETag), "the ETag to accept it with is the draft's");
        var addresses = body["patch"]!["contact"]!["addresses"]!.AsArray();
        Assert.That(addresses, Has.Count.EqualTo(4), "merge patches replace lists: every address is in it");
        Assert.That(addresses[0]!["openingHours"]!.GetValue<string>(), Does.StartWith("Segunda a sexta"), "the free text stays");
        Assert.That(addresses[1]!["openingHoursSpecification"], Is.Null);
        Assert.That((await ReadJsonAsync(draft))["document"]!["contact"]!["addresses"]![0]!["openingHoursSpecification"], Is.Null, "nothing was written");
    }

    [Test, Order(2)]
    public async Task The_editor_accepts_by_sending_the_patch_with_the_etag_and_a_stale_etag_is_412()
    {
        using var suggestion = await SendAsync(HttpMethod.Get, $"{Organs}/saude/draft/suggested-hours", _editor);
        var patch = (await ReadJsonAsync(suggestion))["patch"]!.ToJsonString();
        StringContent Patch() => new(patch, Encoding.UTF8, "application/merge-patch+json");

        using var accepted = await SendAsync(HttpMethod.Patch, $"{Organs}/saude", _editor, Patch(), suggestion.Headers.ETag!.Tag);
        using var again = await SendAsync(HttpMethod.Patch, $"{Organs}/saude", _editor, Patch(), suggestion.Headers.ETag!.Tag);
        using var after = await SendAsync(HttpMethod.Get, $"{Organs}/saude/draft/suggested-hours", _editor);
        var statuses = (await ReadJsonAsync(after))["addresses"]!.AsArray().Select(a => a!["status"]!.GetValue<string>());
        var published = await GetJsonAsync($"{Organs}/saude");

        Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.OK), await accepted.Content.ReadAsStringAsync());
        Assert.That((await ReadJsonAsync(accepted))["document"]!["contact"]!["addresses"]![0]!["openingHoursSpecification"]!.AsArray(), Has.Count.EqualTo(3));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed), "the draft changed since the suggestion was read");
        Assert.That(statuses, Is.EqualTo(new[] { "structured", "notUnderstood", "structured", "noText" }));
        Assert.That(published["contact"]!["addresses"]![0]!["openingHoursSpecification"], Is.Null, "the public sees it only once it is published");
    }

    [Test]
    public async Task Suggestions_need_an_editor_of_the_institution_and_an_existing_organ()
    {
        using var anonymous = await SendAsync(HttpMethod.Get, $"{Organs}/saude/draft/suggested-hours", null);
        using var other = await SendAsync(HttpMethod.Get, $"{Organs}/saude/draft/suggested-hours", _otherEditor);
        using var missing = await SendAsync(HttpMethod.Get, $"{Organs}/nao-existe/draft/suggested-hours", _editor);

        Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        await AssertProblemAsync(other, 403, "cannot act on 'horarios'");
        await AssertProblemAsync(missing, 404);
    }
}
