using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Paco.Api.Common;
using Paco.Api.Import;
using Paco.Api.Organs;

namespace Paco.Api.Tests.Import;

/// <summary>POST …/imports answers a proposal and writes nothing; POST …/imports/apply writes its drafts, all or nothing.</summary>
public sealed class ImportEndpointsTests : ApiFixture
{
    private const string Law = """
        LEI Nº 321, DE 5 DE ABRIL DE 2022

        Dispõe sobre a estrutura administrativa do Município de Serra Azul.

        Art. 2º A estrutura administrativa compõe-se dos seguintes órgãos:
        I – Gabinete do Prefeito;
        II – Secretaria Municipal de Obras:
        a) Departamento de Vias Urbanas.

        Art. 5º Compete à Secretaria Municipal de Obras:
        I – executar as obras públicas do Município;
        II – conservar as estradas vicinais.

        Art. 6º Compete ao Departamento de Vias Urbanas:
        I – manter o calçamento das vias urbanas.
        """;

    private string _editor = "";
    private int _institutions;

    [OneTimeSetUp]
    public async Task CreateKeyAsync()
    {
        await Content.InstitutionAsync("serra-azul", uf: "MG", municipality: "Serra Azul");
        _editor = await Content.KeyAsync("editor", "serra-azul", "Editora Ana");
    }

    /// <summary>A fresh institution per test, with an editor key of its own.</summary>
    private async Task<(string Slug, Guid Id, string Key)> InstitutionAsync()
    {
        var slug = $"importa-{++_institutions}";
        var id = await Content.InstitutionAsync(slug, uf: "MG", municipality: "Serra Azul");
        return (slug, id, await Content.KeyAsync("editor", slug, $"Editor de {slug}"));
    }

    private async Task<HttpResponseMessage> ProposeAsync(string institution, string key, HttpContent content)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/institutions/{institution}/imports") { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await Client.SendAsync(request);
    }

    private static StringContent Text(string text, string mediaType = "text/plain") => new(text, Encoding.UTF8, mediaType);

    private async Task<JsonNode> ProposalAsync(string institution, string key, string text, string mediaType = "text/plain")
    {
        using var response = await ProposeAsync(institution, key, Text(text, mediaType));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await ReadJsonAsync(response);
    }

    private async Task<HttpResponseMessage> ApplyAsync(string institution, string key, JsonNode proposal)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/institutions/{institution}/imports/apply")
        {
            Content = new StringContent(proposal.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await Client.SendAsync(request);
    }

    private Task<long> CountAsync(Guid institution, string table = "resources") =>
        QueryScalarAsync<long>(table == "resources"
            ? $"select count(*) from resources where institution_id = '{institution}'"
            : $"select count(*) from revisions v join resources r on r.id = v.resource_id where r.institution_id = '{institution}'");

    private async Task<JsonNode> DraftAsync(string institution, string key, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/institutions/{institution}/{path}/draft");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await Client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await ReadJsonAsync(response);
    }

    [Test]
    public async Task Import_answers_a_proposal_with_the_law_its_organs_competences_and_citations_and_writes_nothing()
    {
        var (slug, id, key) = await InstitutionAsync();
        var before = await CountAsync(id);

        var proposal = await ProposalAsync(slug, key, Law);

        var law = proposal["legalBasis"]!;
        Assert.Multiple(() =>
        {
            Assert.That(law["kind"]!.GetValue<string>(), Is.EqualTo("lei"));
            Assert.That(law["number"]!.GetValue<string>(), Is.EqualTo("321"));
            Assert.That(law["date"]!.GetValue<string>(), Is.EqualTo("2022-04-05"));
            Assert.That(law["summary"]!.GetValue<string>(), Does.StartWith("Dispõe sobre a estrutura administrativa"));
            Assert.That(law["urn"]!.GetValue<string>(), Is.EqualTo("urn:lex:br;minas.gerais;serra.azul:municipal:lei:2022-04-05;321"));
        });
        var organs = proposal["organs"]!.AsArray();
        Assert.That(organs.Select(o => o!["name"]!.GetValue<string>()), Is.EqualTo(new[] { "Gabinete do Prefeito", "Secretaria Municipal de Obras", "Departamento de Vias Urbanas" }));
        var department = organs[2]!;
        Assert.Multiple(() =>
        {
            Assert.That(department["parent"]!.GetValue<string>(), Is.EqualTo("secretaria-de-obras"));
            Assert.That(department["kind"]!.GetValue<string>(), Is.EqualTo("departamento"));
            var competence = department["competences"]![0]!;
            Assert.That(competence["text"]!.GetValue<string>(), Is.EqualTo("manter o calçamento das vias urbanas."));
            Assert.That(competence["citations"]![0]!.ToJsonString(), Is.EqualTo("""{"legalBasis":"lei-321-2022","article":"6","paragraph":null,"item":"I","alinea":null}"""));
            var span = competence["span"]!;
            Assert.That(Law.Substring(span["start"]!.GetValue<int>(), span["length"]!.GetValue<int>()), Is.EqualTo("I – manter o calçamento das vias urbanas."));
        });
        Assert.That(await CountAsync(id), Is.EqualTo(before), "a proposal writes nothing");
    }

    [Test]
    public async Task Applying_a_proposal_creates_every_draft_with_its_provenance_and_audit_line()
    {
        var (slug, id, key) = await InstitutionAsync();
        var proposal = await ProposalAsync(slug, key, Law);

        using var response = await ApplyAsync(slug, key, proposal);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var result = await ReadJsonAsync(response);
        Assert.That(result["organs"]!.AsArray().Select(o => (o!["slug"]!.GetValue<string>(), o["revision"]!.GetValue<int>(), o["created"]!.GetValue<bool>())),
            Is.EqualTo(new[] { ("gabinete-do-prefeito", 1, true), ("secretaria-de-obras", 1, true), ("departamento-de-vias-urbanas", 1, true) }));
        Assert.That(result["legalBases"]![0]!["slug"]!.GetValue<string>(), Is.EqualTo("lei-321-2022"));

        var draft = await DraftAsync(slug, key, "organs/departamento-de-vias-urbanas");
        var document = draft["document"]!;
        var lawId = result["legalBases"]![0]!["id"]!.GetValue<string>();
        Assert.Multiple(() =>
        {
            Assert.That(draft["author"]!.GetValue<string>(), Is.EqualTo($"Editor de {slug}"));
            Assert.That(document["parentId"]!.GetValue<string>(), Is.EqualTo(result["organs"]![1]!["id"]!.GetValue<string>()));
            Assert.That(document["competences"]![0]!["citations"]![0]!["legalBasisId"]!.GetValue<string>(), Is.EqualTo(lawId));
            Assert.That(document["source"]!["files"]![0]!.GetValue<string>(), Is.EqualTo("import:sha256:" + proposal["source"]!["sha256"]!.GetValue<string>()));
            Assert.That(document["source"]!["notes"]!.AsArray().Select(n => n!.GetValue<string>()), Has.Some.StartsWith("Source spans (start+length, in characters): organ "));
        });
        Assert.That(await QueryScalarAsync<long>($"select count(*) from audit_log where institution_id = '{id}' and action = 'import'"), Is.EqualTo(4));
    }

    [Test]
    public async Task An_existing_organ_gets_a_new_draft_revision_and_keeps_the_ids_of_competences_whose_text_matches()
    {
        var (slug, id, key) = await InstitutionAsync();
        var kept = Guid.NewGuid();
        var replaced = Guid.NewGuid();
        var organId = await Content.ResourceAsync(id, OrganModule.TypeName, "obras", [TestContent.Organ("obras", "Secretaria Municipal de Obras", competences:
        [
            new Competence(kept, "I", "executar as obras públicas do Município;", CompetenceGroups.Competences, null, []),
            new Competence(replaced, "II", "cuidar das estradas;", CompetenceGroups.Competences, null, []),
        ]) with { Head = new Head("Secretário Municipal de Obras", "João", null) }], publish: 1);

        var proposal = await ProposalAsync(slug, key, Law);
        var organ = proposal["organs"]!.AsArray().Single(o => o!["name"]!.GetValue<string>() == "Secretaria Municipal de Obras")!;
        Assert.Multiple(() =>
        {
            Assert.That(organ["slug"]!.GetValue<string>(), Is.EqualTo("obras"), "matched by name: the existing organ's slug");
            Assert.That(organ["existing"]!["revision"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(organ["competences"]![0]!["id"]!.GetValue<string>(), Is.EqualTo(kept.ToString()));
            Assert.That(proposal["warnings"]!.AsArray().Select(w => w!["code"]!.GetValue<string>()), Has.Member(ImportWarnings.ExistingOrgan));
        });

        using var response = await ApplyAsync(slug, key, proposal);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var draft = await DraftAsync(slug, key, "organs/obras");
        var competences = draft["document"]!["competences"]!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(draft["id"]!.GetValue<string>(), Is.EqualTo(organId.ToString()));
            Assert.That(draft["revision"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(draft["state"]!["publishedRevision"]!.GetValue<int>(), Is.EqualTo(1), "the public still sees revision 1");
            Assert.That(competences.Select(c => c!["text"]!.GetValue<string>()), Is.EqualTo(new[] { "executar as obras públicas do Município;", "conservar as estradas vicinais." }));
            Assert.That(competences[0]!["id"]!.GetValue<string>(), Is.EqualTo(kept.ToString()));
            Assert.That(competences[1]!["id"]!.GetValue<string>(), Is.Not.EqualTo(replaced.ToString()));
            Assert.That(draft["document"]!["head"]!["name"]!.GetValue<string>(), Is.EqualTo("João"), "what the text does not speak of stays");
        });
        Assert.That(await QueryScalarAsync<long>($"select count(*) from resources where institution_id = '{id}' and type = 'organ'"), Is.EqualTo(3), "no duplicate of 'obras'");
    }

    [Test]
    public async Task Applying_a_stale_proposal_answers_409_naming_the_organ_that_changed_and_writes_nothing()
    {
        var (slug, id, key) = await InstitutionAsync();
        var organId = await Content.ResourceAsync(id, OrganModule.TypeName, "obras", [TestContent.Organ("obras", "Secretaria Municipal de Obras")]);
        var proposal = await ProposalAsync(slug, key, Law);
        await Content.AppendAsync(organId, TestContent.Organ("obras", "Secretaria Municipal de Obras", displayOrder: 2), publish: false);
        var (resources, revisions) = (await CountAsync(id), await CountAsync(id, "revisions"));

        using var response = await ApplyAsync(slug, key, proposal);

        var problem = await AssertProblemAsync(response, 409, "Organ 'obras' changed since the proposal was made: it was at revision 1, it is now at revision 2");
        Assert.That(problem["changes"]!.AsArray(), Has.Count.EqualTo(1));
        Assert.That((await CountAsync(id), await CountAsync(id, "revisions")), Is.EqualTo((resources, revisions)));
    }

    [Test]
    public async Task An_organ_created_since_the_proposal_with_its_name_is_a_409_too()
    {
        var (slug, id, key) = await InstitutionAsync();
        var proposal = await ProposalAsync(slug, key, Law);
        await Content.ResourceAsync(id, OrganModule.TypeName, "gabinete", [TestContent.Organ("gabinete", "Gabinete do Prefeito", kind: "gabinete")]);

        using var response = await ApplyAsync(slug, key, proposal);

        await AssertProblemAsync(response, 409, "the institution now has the organ 'gabinete'");
        Assert.That(await CountAsync(id), Is.EqualTo(1));
    }

    [Test]
    public async Task Applying_is_all_or_nothing_one_invalid_organ_and_no_draft_is_written()
    {
        var (slug, id, key) = await InstitutionAsync();
        var proposal = await ProposalAsync(slug, key, Law);
        proposal["organs"]![2]!["kind"] = "ministerio";
        proposal["organs"]![1]!["competences"]![1]!["text"] = "";

        using var response = await ApplyAsync(slug, key, proposal);

        var problem = await AssertProblemAsync(response, 400);
        var errors = problem["errors"]!.AsObject().Select(e => e.Key).ToList();
        Assert.That(errors, Is.SupersetOf(new[] { "organs[2].kind", "organs[1].competences[1].text" }));
        Assert.That(await CountAsync(id), Is.EqualTo(0), "neither the legal basis nor the valid organs were kept");
        Assert.That(await QueryScalarAsync<long>($"select count(*) from audit_log where institution_id = '{id}'"), Is.EqualTo(0));
    }

    [Test]
    public async Task A_reference_to_nothing_in_an_edited_proposal_is_a_400_on_its_path()
    {
        var (slug, id, key) = await InstitutionAsync();
        var proposal = await ProposalAsync(slug, key, Law);
        proposal["organs"]![2]!["parent"] = "secretaria-que-nao-existe";

        using var response = await ApplyAsync(slug, key, proposal);

        await AssertProblemAsync(response, 400, "organs[2].parent");
        Assert.That(await CountAsync(id), Is.EqualTo(0));
    }

    [Test]
    public async Task A_proposal_made_for_another_institution_is_refused()
    {
        var (slug, _, key) = await InstitutionAsync();
        var proposal = await ProposalAsync(slug, key, Law);
        proposal["institution"] = "serra-azul";

        using var response = await ApplyAsync(slug, key, proposal);

        await AssertProblemAsync(response, 400, "was made for institution 'serra-azul'");
    }

    [Test]
    public async Task A_seed_page_applied_to_a_new_institution_creates_its_organ_and_the_units_that_perform_its_competences()
    {
        var (slug, _, key) = await InstitutionAsync();
        var proposal = await ProposalAsync(slug, key, File.ReadAllText(Repository.PathOf("seeds", "sources", "002_b7158be556a81603.txt")));

        using var response = await ApplyAsync(slug, key, proposal);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var saude = await DraftAsync(slug, key, "organs/secretaria-de-saude");
        var nucleo = await DraftAsync(slug, key, "organs/nucleo-de-vigilancia-sanitaria");
        Assert.Multiple(() =>
        {
            Assert.That(saude["document"]!["values"]!.AsArray(), Has.Count.EqualTo(7));
            Assert.That(saude["document"]!["competences"]![1]!["performedById"]!.GetValue<string>(), Is.EqualTo(nucleo["id"]!.GetValue<string>()));
            Assert.That(nucleo["document"]!["parentId"]!.GetValue<string>(), Is.EqualTo(saude["id"]!.GetValue<string>()));
        });
    }

    // ---- bad input ----

    [Test]
    public async Task An_empty_body_is_a_400()
    {
        using var response = await ProposeAsync("serra-azul", _editor, Text("  \n\u00A0 "));
        await AssertProblemAsync(response, 400, "The body is empty");
    }

    [Test]
    public async Task Binary_bytes_are_a_400()
    {
        var bytes = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0xFF, 0xFE };
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        using var response = await ProposeAsync("serra-azul", _editor, content);
        await AssertProblemAsync(response, 400, "not UTF-8 text");
    }

    [Test]
    public async Task Text_with_nul_characters_is_a_400()
    {
        using var response = await ProposeAsync("serra-azul", _editor, Text("Art. 1º\0\0\0 Compete"));
        await AssertProblemAsync(response, 400, "control characters");
    }

    [Test]
    public async Task A_pdf_is_a_415_whatever_it_is_sent_as()
    {
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n");
        using var asPdf = new ByteArrayContent(pdf);
        asPdf.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        using var asText = new ByteArrayContent(pdf);
        asText.Headers.ContentType = new MediaTypeHeaderValue("text/plain");

        using var first = await ProposeAsync("serra-azul", _editor, asPdf);
        using var second = await ProposeAsync("serra-azul", _editor, asText);

        await AssertProblemAsync(first, 415, "PDF");
        await AssertProblemAsync(second, 415, "PDF");
    }

    [Test]
    public async Task Another_media_type_is_a_415()
    {
        using var response = await ProposeAsync("serra-azul", _editor, new StringContent("{\"text\": \"Art. 1º\"}", Encoding.UTF8, "application/json"));
        await AssertProblemAsync(response, 415, "text/plain");
    }

    [Test]
    public async Task A_text_over_5_MiB_is_a_413()
    {
        var text = new string('a', (int)Limits.ImportBodyBytes + 1);
        using var response = await ProposeAsync("serra-azul", _editor, Text(text));
        await AssertProblemAsync(response, 413, Limits.ImportBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Test]
    public async Task A_text_of_5_MiB_is_read()
    {
        var line = "Texto sem estrutura reconhecível, repetido para encher o corpo do pedido.\n";
        var text = string.Concat(Enumerable.Repeat(line, (int)(Limits.ImportBodyBytes / Encoding.UTF8.GetByteCount(line))));
        using var response = await ProposeAsync("serra-azul", _editor, Text(text));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Scripts_in_a_page_are_never_read_nor_stored()
    {
        var (slug, id, key) = await InstitutionAsync();
        var page = File.ReadAllText(Repository.PathOf("tests", "Api.Tests", "Import", "Texts", "pagina-html-secretaria.html"));

        var proposal = await ProposalAsync(slug, key, page, "text/html");
        using var response = await ApplyAsync(slug, key, proposal);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(proposal.ToJsonString(), Does.Not.Contain("invasor").And.Not.Contain("alert").And.Not.Contain("dataLayer"));
        Assert.That(proposal["warnings"]!.AsArray().Select(w => w!["code"]!.GetValue<string>()), Has.Member(ImportWarnings.ScriptsRemoved));
        Assert.That(await QueryScalarAsync<long>($"select count(*) from revisions v join resources r on r.id = v.resource_id where r.institution_id = '{id}' and v.document::text like '%invasor%'"),
            Is.EqualTo(0));
        Assert.That(await QueryScalarAsync<long>($"select count(*) from resources where institution_id = '{id}'"), Is.EqualTo(2), "the organ and the law it cites");
    }

    [Test]
    public async Task A_text_with_no_recognisable_structure_is_a_200_with_nothing_in_it_and_a_warning()
    {
        var proposal = await ProposalAsync("serra-azul", _editor, "Bem-vindo ao portal.\nConfira as últimas notícias da cidade.\n");

        Assert.Multiple(() =>
        {
            Assert.That(proposal["organs"]!.AsArray(), Is.Empty);
            Assert.That(proposal["legalBasis"], Is.Null);
            Assert.That(proposal["warnings"]![0]!["code"]!.GetValue<string>(), Is.EqualTo(ImportWarnings.NoStructure));
        });
    }

    [Test]
    public async Task Importing_needs_an_editor_key_of_the_institution()
    {
        using var anonymous = await Client.PostAsync("/api/v1/institutions/serra-azul/imports", Text(Law));
        var (other, _, otherKey) = await InstitutionAsync();
        using var foreign = await ProposeAsync("serra-azul", otherKey, Text(Law));
        using var unknown = await ProposeAsync("nao-existe", await Content.KeyAsync("admin", null), Text(Law));

        await AssertProblemAsync(anonymous, 401);
        await AssertProblemAsync(foreign, 403, $"belongs to institution '{other}'");
        await AssertProblemAsync(unknown, 404, "nao-existe");
    }
}
