using System.Net;
using System.Text.Json.Nodes;
using Paco.Api.Common;
using Paco.Api.LegalBases;
using Paco.Api.Organs;

namespace Paco.Api.Tests.Representations;

/// <summary>
/// application/ld+json answers are schema.org: every node of real answers (the seed's and content made here with a
/// head, contacts, structured hours and cited laws) uses only properties its type has, with values of the types they
/// expect (<see cref="SchemaOrgVocabulary"/>), and says what the JSON says.
/// </summary>
public sealed class LinkedDataTests : ApiFixture
{
    private const string JsonLd = "application/ld+json";
    private const string Sample = "/api/v1/institutions/amostra";
    private const string Organs = "/api/v1/institutions/ligados/organs";

    [OneTimeSetUp]
    public async Task CreateContentAsync()
    {
        var institution = await Content.InstitutionAsync("ligados", "MG", "Belo Horizonte");
        var law = await Content.ResourceAsync(institution, LegalBasisModule.TypeName, "lei-7-2021",
            [TestContent.Law("lei-7-2021", "7", 2021, "Lei nº 7/2021") with { Url = "https://leis.example.gov.br/lei-7-2021" }], publish: 1);
        var revoked = await Content.ResourceAsync(institution, LegalBasisModule.TypeName, "decreto-3-2019",
            [TestContent.Law("decreto-3-2019", "3", 2019, "Decreto nº 3/2019") with { Kind = "decreto", Status = LegalBasisStatuses.Revoked }], publish: 1);
        var saude = await Content.ResourceAsync(institution, OrganModule.TypeName, "saude", [TestContent.Organ("saude", "Secretaria de Saúde") with
        {
            Acronym = "SMS",
            Competences = [new Competence(Guid.NewGuid(), "I", "gerir o SUS no Município;", CompetenceGroups.Competences, null, [new Citation(revoked, "2", null, null)])],
            LegalBases = [new LegalBasisLink(law, "creates")],
            Head = new Head("Secretária Municipal de Saúde", "Maria da Silva", new DateOnly(2025, 1, 2)),
            Contact = new Contact(
                [new Address("Avenida Afonso Pena", "1212", "3º andar", "Centro", "Belo Horizonte", "MG", "30130-003", "Das 8h às 18h",
                    [new OpeningHoursSpecification(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"], "08:00", "18:00")],
                    [new OpeningHoursSpecification([], "00:00", "00:00", new DateOnly(2026, 12, 24), new DateOnly(2026, 12, 26), "Natal")])],
                [new Phone("(31) 3277-1000", "recepção")], ["saude@ligados.mg.gov.br"], "https://saude.ligados.mg.gov.br"),
            Effective = new EffectivePeriod(new DateOnly(2021, 3, 1), null),
        }], publish: 1);
        await Content.ResourceAsync(institution, OrganModule.TypeName, "vigilancia",
            [TestContent.Organ("vigilancia", "Diretoria de Vigilância Sanitária", "departamento", parentId: saude) with { Head = new Head("Diretor", null, null) }], publish: 1);
    }

    private async Task<JsonNode> JsonLdAsync(string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Accept", JsonLd);
        using var response = await Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo(JsonLd));
        return JsonNode.Parse(body)!;
    }

    private static JsonObject OfType(JsonNode document, string type) => SchemaOrgVocabulary.Nodes(document).First(n => n["@type"]?.GetValue<string>() == type);

    [TestCase(Organs + "/saude")]
    [TestCase(Organs + "/vigilancia")]
    [TestCase(Organs + "/tree")]
    [TestCase("/api/v1/institutions/ligados")]
    [TestCase(Sample)]
    [TestCase(Sample + "/organs/tree")]
    [TestCase(Sample + "/organs/secretaria-de-trabalho-e-assistencia-social")]
    [TestCase("/api/v1/institutions/cogemas-mg")]
    public async Task Every_node_uses_only_schema_org_properties_of_its_type_with_values_of_the_expected_types(string url)
    {
        var document = await JsonLdAsync(url);

        Assert.That(SchemaOrgVocabulary.Check(document), Is.Empty, document.ToJsonString());
    }

    [Test]
    public void The_vocabulary_check_refuses_unknown_properties_and_values_of_other_types()
    {
        var document = JsonNode.Parse("""
            {"@context": "https://schema.org", "@type": "GovernmentOrganization", "@id": "https://x.example/o", "name": "Órgão",
             "openingHoursSpecification": [], "foundingDate": "ontem", "parentOrganization": {"@type": "Person", "name": "Fulano"},
             "location": [{"@type": "Place", "openingHoursSpecification": [{"@type": "OpeningHoursSpecification", "dayOfWeek": ["Monday"], "opens": "8h"}]}]}
            """)!;

        var violations = SchemaOrgVocabulary.Check(document);

        Assert.That(violations, Has.Some.Contains("GovernmentOrganization has no property 'openingHoursSpecification'"));
        Assert.That(violations, Has.Some.Contains("'ontem' is no Date"));
        Assert.That(violations, Has.Some.Contains("a Person where parentOrganization expects Organization"));
        Assert.That(violations, Has.Some.Contains("'Monday' is no DayOfWeek"), "days are schema.org IRIs");
        Assert.That(violations, Has.Some.Contains("'8h' is no Time"));
    }

    [Test]
    public async Task An_organ_is_a_government_organization_with_its_head_contacts_hours_and_legislation()
    {
        var organ = await JsonLdAsync(Organs + "/saude");
        var site = "http://localhost/api/v1/institutions/ligados";

        Assert.That(organ["@context"]!.GetValue<string>(), Is.EqualTo("https://schema.org"));
        Assert.That(organ["@type"]!.GetValue<string>(), Is.EqualTo("GovernmentOrganization"));
        Assert.That(organ["@id"]!.GetValue<string>(), Is.EqualTo($"{site}/organs/saude"));
        Assert.That(organ["alternateName"]!.GetValue<string>(), Is.EqualTo("SMS"));
        Assert.That(organ["parentOrganization"]!["@id"]!.GetValue<string>(), Is.EqualTo(site), "a top-level organ belongs to the institution");
        Assert.That(organ["foundingDate"]!.GetValue<string>(), Is.EqualTo("2021-03-01"));
        Assert.That(organ["sameAs"]!.GetValue<string>(), Is.EqualTo("https://saude.ligados.mg.gov.br"));

        var head = organ["employee"]!;
        Assert.That(head["@type"]!.GetValue<string>(), Is.EqualTo("EmployeeRole"));
        Assert.That(head["roleName"]!.GetValue<string>(), Is.EqualTo("Secretária Municipal de Saúde"));
        Assert.That(head["startDate"]!.GetValue<string>(), Is.EqualTo("2025-01-02"));
        Assert.That(head["employee"]!["name"]!.GetValue<string>(), Is.EqualTo("Maria da Silva"));
        Assert.That(head["employee"]!["jobTitle"]!.GetValue<string>(), Is.EqualTo("Secretária Municipal de Saúde"));

        var address = organ["address"]![0]!;
        Assert.That(address["streetAddress"]!.GetValue<string>(), Is.EqualTo("Avenida Afonso Pena, 1212, 3º andar – Centro"));
        Assert.That(address["addressLocality"]!.GetValue<string>(), Is.EqualTo("Belo Horizonte"));
        Assert.That(address["postalCode"]!.GetValue<string>(), Is.EqualTo("30130-003"));
        Assert.That(organ["telephone"]![0]!.GetValue<string>(), Is.EqualTo("(31) 3277-1000"));
        Assert.That(organ["email"]![0]!.GetValue<string>(), Is.EqualTo("saude@ligados.mg.gov.br"));

        var place = organ["location"]![0]!;
        var week = place["openingHoursSpecification"]![0]!;
        Assert.That(week["dayOfWeek"]!.AsArray().Select(d => d!.GetValue<string>()), Does.Contain("https://schema.org/Friday"));
        Assert.That((week["opens"]!.GetValue<string>(), week["closes"]!.GetValue<string>()), Is.EqualTo(("08:00", "18:00")));
        var christmas = place["specialOpeningHoursSpecification"]![0]!;
        Assert.That((christmas["validFrom"]!.GetValue<string>(), christmas["validThrough"]!.GetValue<string>()), Is.EqualTo(("2026-12-24", "2026-12-26")));
        Assert.That(place["description"]!.GetValue<string>(), Is.EqualTo("Das 8h às 18h"));

        var laws = organ["subjectOf"]!.AsArray().ToDictionary(l => l!["name"]!.GetValue<string>());
        Assert.That(laws.Keys, Is.EquivalentTo(new[] { "Lei nº 7/2021", "Decreto nº 3/2019" }), "the laws it is linked to and the ones its competences cite");
        var law = laws["Lei nº 7/2021"]!;
        Assert.That(law["@type"]!.GetValue<string>(), Is.EqualTo("Legislation"));
        Assert.That(law["@id"]!.GetValue<string>(), Is.EqualTo($"{site}/legal-bases/lei-7-2021"));
        Assert.That(law["legislationIdentifier"]!.GetValue<string>(), Is.EqualTo("urn:lex:br;minas.gerais;belo.horizonte:municipal:lei:2021;7"));
        Assert.That(law["sameAs"]!.GetValue<string>(), Is.EqualTo("https://leis.example.gov.br/lei-7-2021"));
        Assert.That(law["datePublished"]!.GetValue<string>(), Is.EqualTo("2021"));
        Assert.That(law["legislationLegalForce"]!.GetValue<string>(), Is.EqualTo("https://schema.org/InForce"));
        Assert.That(laws["Decreto nº 3/2019"]!["legislationLegalForce"]!.GetValue<string>(), Is.EqualTo("https://schema.org/NotInForce"));
        Assert.That(laws["Decreto nº 3/2019"]!["legislationIdentifier"]!.GetValue<string>(), Is.EqualTo("urn:lex:br;minas.gerais;belo.horizonte:municipal:decreto:2019;3"));
    }

    [Test]
    public async Task A_sub_organ_names_its_parent_and_a_head_without_a_name_is_a_role_alone()
    {
        var organ = await JsonLdAsync(Organs + "/vigilancia");

        Assert.That(organ["parentOrganization"]!["@id"]!.GetValue<string>(), Is.EqualTo("http://localhost/api/v1/institutions/ligados/organs/saude"));
        Assert.That(organ["parentOrganization"]!["name"]!.GetValue<string>(), Is.EqualTo("Secretaria de Saúde"));
        Assert.That(organ["employee"]!["roleName"]!.GetValue<string>(), Is.EqualTo("Diretor"));
        Assert.That(organ["employee"]!["employee"], Is.Null, "no person is published");
    }

    [Test]
    public async Task The_tree_is_the_institution_with_its_organs_nested_as_sub_organizations()
    {
        var tree = await JsonLdAsync(Organs + "/tree");

        Assert.That(tree["@id"]!.GetValue<string>(), Is.EqualTo("http://localhost/api/v1/institutions/ligados"));
        var saude = tree["subOrganization"]!.AsArray().Single(o => o!["name"]!.GetValue<string>() == "Secretaria de Saúde")!;
        Assert.That(saude["subOrganization"]![0]!["name"]!.GetValue<string>(), Is.EqualTo("Diretoria de Vigilância Sanitária"));
    }

    [Test]
    public async Task The_seed_content_says_in_json_ld_what_its_json_says()
    {
        var json = await GetJsonAsync(Sample + "/organs/tree");
        var tree = await JsonLdAsync(Sample + "/organs/tree");
        var organ = await JsonLdAsync(Sample + "/organs/secretaria-de-trabalho-e-assistencia-social");
        var cogemas = await JsonLdAsync("/api/v1/institutions/cogemas-mg");

        Assert.That(tree["name"]!.GetValue<string>(), Is.EqualTo("Município de Exemplo (conteúdo de amostra)"));
        Assert.That(tree["subOrganization"]!.AsArray().Select(o => o!["name"]!.GetValue<string>()),
            Is.EqualTo(json["organs"]!.AsArray().Select(o => o!["name"]!.GetValue<string>())), "the same organs in the same order");
        Assert.That(organ["name"]!.GetValue<string>(), Is.EqualTo("Secretaria de Trabalho e Assistência Social"));
        Assert.That(organ["parentOrganization"]!["name"]!.GetValue<string>(), Is.EqualTo("Município de Exemplo (conteúdo de amostra)"));
        var law = organ["subjectOf"]!.AsArray().Single(l => l!["name"]!.GetValue<string>() == "Lei nº 473/99")!;
        Assert.That(law["@id"]!.GetValue<string>(), Is.EqualTo("http://localhost/api/v1/institutions/amostra/legal-bases/lei-473-1999"));
        Assert.That((law["legislationType"]!.GetValue<string>(), law["datePublished"]!.GetValue<string>()), Is.EqualTo(("lei", "1999")));
        Assert.That(law["legislationIdentifier"], Is.Null, "the sample has no state or municipality, so no LexML URN can be formed");
        Assert.That(cogemas["address"]!["addressLocality"]!.GetValue<string>(), Is.EqualTo("Belo Horizonte"));
        Assert.That(cogemas["address"]!["addressRegion"]!.GetValue<string>(), Is.EqualTo("MG"));
    }

    [Test]
    public async Task Json_ld_follows_the_public_base_url_like_the_json_self_links()
    {
        await using var factory = new PacoFactory(ConnectionString, new Dictionary<string, string?> { [PublicBaseUrl.Setting] = "https://paco.example.gov.br" });
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, Organs + "/saude");
        request.Headers.TryAddWithoutValidation("Accept", JsonLd);
        using var response = await client.SendAsync(request);

        var organ = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That(organ["@id"]!.GetValue<string>(), Is.EqualTo("https://paco.example.gov.br/api/v1/institutions/ligados/organs/saude"));
    }
}
