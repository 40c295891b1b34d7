using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Paco.Api.Common;
using Paco.Api.Organs;

namespace Paco.Api.Tests.Organs;

/// <summary>Structured opening hours (schema.org OpeningHoursSpecification) beside the free text, per address.</summary>
public sealed class OpeningHoursTests : ApiFixture
{
    private const string Organs = "/api/v1/institutions/horarios/organs";
    private string _key = "";

    [OneTimeSetUp]
    public async Task CreateInstitutionAsync()
    {
        await Content.InstitutionAsync("horarios", "MG", "Exemplo");
        _key = await Content.KeyAsync("publisher", "horarios");
    }

    private static JsonObject OrganWith(string slug, JsonNode address) => new()
    {
        ["slug"] = slug, ["name"] = "Secretaria de Atendimento", ["kind"] = "secretaria", ["displayOrder"] = 1,
        ["statements"] = new JsonObject(), ["values"] = new JsonArray(), ["competences"] = new JsonArray(), ["legalBases"] = new JsonArray(),
        ["contact"] = new JsonObject { ["addresses"] = new JsonArray(address), ["phones"] = new JsonArray(), ["emails"] = new JsonArray() },
    };

    private async Task<HttpResponseMessage> CreateAsync(JsonObject organ)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Organs) { Content = new StringContent(organ.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _key);
        return await Client.SendAsync(request);
    }

    [Test]
    public async Task Several_intervals_a_day_and_dated_exceptions_are_kept_and_published_beside_the_free_text()
    {
        var address = JsonNode.Parse("""
            {"street": "Rua Direita", "openingHours": "Segunda a sexta, das 8h às 12h e das 13h às 17h",
             "openingHoursSpecification": [
               {"dayOfWeek": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"], "opens": "08:00", "closes": "12:00"},
               {"dayOfWeek": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"], "opens": "13:00", "closes": "17:00"},
               {"dayOfWeek": ["Saturday"], "opens": "08:00", "closes": "12:00", "validFrom": "2026-12-01", "validThrough": "2026-12-31"}],
             "specialOpeningHoursSpecification": [
               {"dayOfWeek": [], "opens": "00:00", "closes": "00:00", "validFrom": "2026-12-24", "validThrough": "2027-01-01", "description": "Recesso de fim de ano"},
               {"dayOfWeek": ["PublicHolidays"], "opens": "00:00", "closes": "00:00", "validFrom": "2026-01-01"}]}
            """)!;
        using var created = await CreateAsync(OrganWith("atendimento", address));
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        using var publish = new HttpRequestMessage(HttpMethod.Post, $"{Organs}/atendimento/publish") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        publish.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _key);
        publish.Headers.TryAddWithoutValidation("If-Match", created.Headers.ETag!.Tag);
        using var published = await Client.SendAsync(publish);
        Assert.That(published.StatusCode, Is.EqualTo(HttpStatusCode.OK), await published.Content.ReadAsStringAsync());

        var organ = await GetJsonAsync($"{Organs}/atendimento");

        var served = organ["contact"]!["addresses"]![0]!;
        Assert.That(served["openingHours"]!.GetValue<string>(), Is.EqualTo("Segunda a sexta, das 8h às 12h e das 13h às 17h"));
        Assert.That(served["openingHoursSpecification"]!.AsArray().Select(h => $"{h!["opens"]}-{h["closes"]}"), Is.EqualTo(new[] { "08:00-12:00", "13:00-17:00", "08:00-12:00" }));
        Assert.That(served["openingHoursSpecification"]![2]!["validThrough"]!.GetValue<string>(), Is.EqualTo("2026-12-31"));
        Assert.That(served["specialOpeningHoursSpecification"]![0]!["description"]!.GetValue<string>(), Is.EqualTo("Recesso de fim de ano"));
        Assert.That(served["specialOpeningHoursSpecification"]![1]!["dayOfWeek"]![0]!.GetValue<string>(), Is.EqualTo("PublicHolidays"));
    }

    [TestCase("""{"dayOfWeek": ["Segunda"], "opens": "08:00", "closes": "12:00"}""", "contact.addresses[0].openingHoursSpecification[0].dayOfWeek[0]")]
    [TestCase("""{"dayOfWeek": ["Monday"], "opens": "13:00", "closes": "12:00"}""", "contact.addresses[0].openingHoursSpecification[0].closes")]
    [TestCase("""{"dayOfWeek": ["Monday"], "opens": "8h", "closes": "12:00"}""", "contact.addresses[0].openingHoursSpecification[0].opens")]
    [TestCase("""{"dayOfWeek": ["Monday"], "opens": "08:00", "closes": "25:00"}""", "contact.addresses[0].openingHoursSpecification[0].closes")]
    [TestCase("""{"dayOfWeek": [], "opens": "08:00", "closes": "12:00"}""", "contact.addresses[0].openingHoursSpecification[0].dayOfWeek")]
    [TestCase("""{"dayOfWeek": ["Monday", "Monday"], "opens": "08:00", "closes": "12:00"}""", "contact.addresses[0].openingHoursSpecification[0].dayOfWeek")]
    [TestCase("""{"dayOfWeek": ["Monday"], "opens": "08:00", "closes": "12:00", "validFrom": "2026-02-01", "validThrough": "2026-01-01"}""",
        "contact.addresses[0].openingHoursSpecification[0].validThrough")]
    public async Task A_malformed_interval_is_400_naming_the_field(string interval, string path)
    {
        var address = JsonNode.Parse($$"""{"street": "Rua Direita", "openingHoursSpecification": [{{interval}}]}""")!;

        using var response = await CreateAsync(OrganWith("errada", address));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var errors = (await ReadJsonAsync(response))["errors"]!.AsObject();
        Assert.That(errors.Select(e => e.Key), Does.Contain(path), errors.ToJsonString());
    }

    [Test]
    public async Task An_exception_needs_its_first_day()
    {
        var address = JsonNode.Parse("""{"street": "Rua Direita", "specialOpeningHoursSpecification": [{"dayOfWeek": [], "opens": "00:00", "closes": "00:00"}]}""")!;

        using var response = await CreateAsync(OrganWith("sem-data", address));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await ReadJsonAsync(response))["errors"]!["contact.addresses[0].specialOpeningHoursSpecification[0].validFrom"], Is.Not.Null);
    }

    [Test]
    public async Task A_document_stored_before_structured_hours_still_reads_and_renders_without_them()
    {
        var institution = await Content.InstitutionAsync("horarios-antigos");
        var old = TestContent.Organ("antiga", "Secretaria Antiga") with
        {
            Contact = new Contact([new Address("Rua Velha", "1", null, null, null, null, null, "Das 8h às 14h")], [], [], null),
        };
        await Content.ResourceAsync(institution, OrganModule.TypeName, "antiga", [old], publish: 1);

        using var response = await Client.GetAsync("/api/v1/institutions/horarios-antigos/organs/antiga");
        var body = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body, Does.Contain("\"openingHours\":\"Das 8h às 14h\""));
        Assert.That(body, Does.Not.Contain("openingHoursSpecification"), "absent, as in answers written before it existed: same bytes, same ETag");
    }
}
