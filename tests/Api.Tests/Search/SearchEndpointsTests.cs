using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Npgsql;
using Paco.Api.LegalBases;
using Paco.Api.Organs;

namespace Paco.Api.Tests.Search;

/// <summary>What the search answers: only what is published, in step with publishing, filtered, escaped, cached and validated.</summary>
public sealed class SearchEndpointsTests : ApiFixture
{
    private Guid _mg;
    private Guid _sp;
    private string _publisher = "";

    [OneTimeSetUp]
    public async Task CreateInstitutionsAsync()
    {
        _mg = await Content.InstitutionAsync("busca-mg", "MG", "Busca de Minas");
        _sp = await Content.InstitutionAsync("busca-sp", "SP", "Busca Paulista");
        await Content.InstitutionAsync("camara-busca-sp", "SP", "Busca Paulista", kind: "camara");
        _publisher = await Content.KeyAsync("publisher", "busca-mg");
    }

    private static OrganDocument Organ(string slug, string name, params string[] competences) =>
        TestContent.Organ(slug, name, competences: competences
            .Select((text, i) => new Competence(Guid.NewGuid(), (i + 1).ToString(), text, CompetenceGroups.Competences, null, [])).ToList());

    private async Task<JsonArray> HitsAsync(string url) => (await GetJsonAsync(url))["items"]!.AsArray();

    private static List<string> Slugs(JsonArray hits) => hits.Select(h => h!["organ"]!["slug"]!.GetValue<string>()).Distinct().ToList();

    [Test]
    public async Task A_draft_is_never_found_and_what_is_found_follows_publishing()
    {
        var id = await Content.ResourceAsync(_mg, OrganModule.TypeName, "secretaria-de-turismo",
            [Organ("secretaria-de-turismo", "Secretaria de Turismo", "organizar o festival de quadrilhas juninas;")]);

        Assert.That(await HitsAsync("/api/v1/institutions/busca-mg/search?q=quadrilhas"), Is.Empty, "a draft that was never published");

        await Content.AppendAsync(id, Organ("secretaria-de-turismo", "Secretaria de Turismo", "organizar o festival de quadrilhas juninas;"), publish: true);
        var hits = await HitsAsync("/api/v1/institutions/busca-mg/search?q=quadrilha");
        Assert.That(Slugs(hits), Is.EqualTo(new[] { "secretaria-de-turismo" }));

        await Content.AppendAsync(id, Organ("secretaria-de-turismo", "Secretaria de Turismo", "promover o carnaval de rua;"), publish: false);
        Assert.That(await HitsAsync("/api/v1/institutions/busca-mg/search?q=carnaval"), Is.Empty, "the new draft is not published yet");
        Assert.That(await HitsAsync("/api/v1/institutions/busca-mg/search?q=quadrilha"), Is.Not.Empty, "the published revision still is");

        await Content.AppendAsync(id, Organ("secretaria-de-turismo", "Secretaria de Turismo", "promover o carnaval de rua;"), publish: true);
        Assert.That(Slugs(await HitsAsync("/api/v1/institutions/busca-mg/search?q=carnaval")), Is.EqualTo(new[] { "secretaria-de-turismo" }));
        Assert.That(await HitsAsync("/api/v1/institutions/busca-mg/search?q=quadrilha"), Is.Empty, "what the old revision said is gone");

        await UnpublishAsync("secretaria-de-turismo");
        Assert.That(await HitsAsync("/api/v1/institutions/busca-mg/search?q=carnaval"), Is.Empty, "unpublished");
        Assert.That(await HitsAsync("/api/v1/search?q=carnaval"), Is.Empty, "nationally too");
    }

    private async Task UnpublishAsync(string slug)
    {
        using var draft = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/institutions/busca-mg/organs/{slug}/draft");
        draft.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _publisher);
        using var read = await Client.SendAsync(draft);
        using var unpublish = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/institutions/busca-mg/organs/{slug}/unpublish");
        unpublish.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _publisher);
        unpublish.Headers.TryAddWithoutValidation("If-Match", read.Headers.ETag!.Tag);
        using var response = await Client.SendAsync(unpublish);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task A_word_first_published_now_is_found_by_its_beginning_as_it_is_typed()
    {
        Assert.That(await HitsAsync("/api/v1/institutions/busca-mg/search?q=zelad"), Is.Empty, "no published word begins so yet");

        await Content.ResourceAsync(_mg, OrganModule.TypeName, "secretaria-de-conservacao",
            [Organ("secretaria-de-conservacao", "Secretaria de Conservação", "executar a zeladoria dos próprios municipais;")], publish: 1);

        Assert.That(Slugs(await HitsAsync("/api/v1/institutions/busca-mg/search?q=zelad")), Is.EqualTo(new[] { "secretaria-de-conservacao" }));
        Assert.That(Slugs(await HitsAsync("/api/v1/search?q=conservação zelado")), Is.EqualTo(new[] { "secretaria-de-conservacao" }));

        // The prefix is expanded from the vocabulary of indexed words: the publication put its new words there, or a
        // later word with the same beginning would hide this one from the expansion.
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        Assert.That(await ScalarAsync(connection, "select string_agg(lexeme, ' ' order by lexeme) from search_lexemes where lexeme ^@ 'zelad'"),
            Is.EqualTo("zelador"));
    }

    [Test]
    public async Task A_prefix_typed_before_finds_the_words_published_since_in_any_institution()
    {
        await Content.ResourceAsync(_sp, OrganModule.TypeName, "orquestra-de-marimbas",
            [Organ("orquestra-de-marimbas", "Orquestra de Marimbas", "ensinar marimba nas escolas;")], publish: 1);
        Assert.That(Slugs(await HitsAsync("/api/v1/institutions/busca-sp/search?q=marim")), Is.EqualTo(new[] { "orquestra-de-marimbas" }),
            "the words 'marim' begins are looked up and kept for the next searches");

        await Content.ResourceAsync(_mg, OrganModule.TypeName, "controle-de-marimbondos",
            [Organ("controle-de-marimbondos", "Controle de Vetores", "remover ninhos de marimbondo;")], publish: 1);

        Assert.That(Slugs(await HitsAsync("/api/v1/institutions/busca-mg/search?q=marim")), Is.EqualTo(new[] { "controle-de-marimbondos" }),
            "a publication anywhere makes the words a prefix stands for be looked up again");
        Assert.That(Slugs(await HitsAsync("/api/v1/search?q=marim")), Is.EquivalentTo(new[] { "orquestra-de-marimbas", "controle-de-marimbondos" }));
    }

    [Test]
    public async Task A_prefix_that_begins_more_words_than_are_expanded_still_finds_each_of_them()
    {
        // 81 made-up words beginning with "quib", more than SearchText.MaxPrefixExpansion: the last ones in order too.
        var letters = "bcdfghjkl";
        var words = (from a in letters from b in letters select $"quib{a}{b}x").ToList();
        await Content.ResourceAsync(_mg, OrganModule.TypeName, "secretaria-de-palavras",
            [Organ("secretaria-de-palavras", "Secretaria de Palavras", string.Join(" ", words[..^1]) + ";", $"registrar o {words[^1]};")], publish: 1);

        var hits = await HitsAsync("/api/v1/institutions/busca-mg/search?q=registrar quib");
        Assert.That(hits.Select(h => h!["competence"]?["text"]?.GetValue<string>()), Does.Contain($"registrar o {words[^1]};"));
    }

    [Test]
    public async Task A_hit_has_the_organ_the_institution_the_competence_with_its_citation_and_an_escaped_snippet()
    {
        var law = await Content.ResourceAsync(_mg, LegalBasisModule.TypeName, "lei-77-2021", [TestContent.Law("lei-77-2021", "77", 2021, "Lei nº 77/2021")], publish: 1);
        var organ = TestContent.Organ("secretaria-de-esportes", "Secretaria de Esportes", competences:
            [new Competence(Guid.NewGuid(), "IV", "manter o <b>ginásio</b> & as quadras poliesportivas;", CompetenceGroups.Competences, null,
                [new Citation(law, "5", null, "IV")])]) with { Acronym = "SEMESP" };
        await Content.ResourceAsync(_mg, OrganModule.TypeName, "secretaria-de-esportes", [organ], publish: 1);

        var hit = (await HitsAsync("/api/v1/institutions/busca-mg/search?q=ginasio poliesportiva"))[0]!;

        Assert.That(hit["match"]!.GetValue<string>(), Is.EqualTo("competence"));
        Assert.That(hit["organ"]!["slug"]!.GetValue<string>(), Is.EqualTo("secretaria-de-esportes"));
        Assert.That(hit["organ"]!["acronym"]!.GetValue<string>(), Is.EqualTo("SEMESP"));
        Assert.That(hit["institution"]!["slug"]!.GetValue<string>(), Is.EqualTo("busca-mg"));
        Assert.That(hit["institution"]!["uf"]!.GetValue<string>(), Is.EqualTo("MG"));
        Assert.That(hit["competence"]!["label"]!.GetValue<string>(), Is.EqualTo("IV"));
        Assert.That(hit["competence"]!["group"]!.GetValue<string>(), Is.EqualTo("competences"));
        Assert.That(hit["competence"]!["text"]!.GetValue<string>(), Is.EqualTo("manter o <b>ginásio</b> & as quadras poliesportivas;"), "the text as published");
        var citation = hit["competence"]!["citations"]![0]!;
        Assert.That(citation["text"]!.GetValue<string>(), Does.Contain("art. 5").And.Contain("Lei nº 77/2021"));
        Assert.That(citation["legalBasis"]!["slug"]!.GetValue<string>(), Is.EqualTo("lei-77-2021"));
        var snippet = hit["snippet"]!.GetValue<string>();
        Assert.That(snippet, Does.Contain("<mark>ginásio</mark>").And.Contain("&amp; as quadras <mark>poliesportivas</mark>"));
        Assert.That(snippet.Replace("<mark>", "").Replace("</mark>", ""), Does.Not.Contain("<").And.Not.Contain(">"),
            "only the marks are markup: the tag-like text is left out of the snippet (ts_headline drops it), and any other < or > is escaped");
        Assert.That(hit["href"]!.GetValue<string>(), Is.EqualTo("/api/v1/institutions/busca-mg/organs/secretaria-de-esportes"));
    }

    [Test]
    public async Task A_hit_cites_exactly_what_its_organ_shows_and_follows_the_cited_law()
    {
        var older = await Content.ResourceAsync(_mg, LegalBasisModule.TypeName, "lei-81-2019", [TestContent.Law("lei-81-2019", "81", 2019, "Lei nº 81/2019")], publish: 1);
        var newer = await Content.ResourceAsync(_mg, LegalBasisModule.TypeName, "lei-82-2020", [TestContent.Law("lei-82-2020", "82", 2020, "Lei nº 82/2020")], publish: 1);
        var organ = TestContent.Organ("secretaria-de-servicos-urbanos", "Secretaria de Serviços Urbanos", competences:
            [new Competence(Guid.NewGuid(), "I", "administrar os cemitérios e o serviço funerário;", CompetenceGroups.Competences, null,
                [new Citation(newer, "2", "1", null), new Citation(older, "7", null, "III")])]);
        await Content.ResourceAsync(_mg, OrganModule.TypeName, "secretaria-de-servicos-urbanos", [organ], publish: 1);

        async Task<(JsonNode Found, JsonNode Shown)> CitationsAsync()
        {
            var hit = (await HitsAsync("/api/v1/institutions/busca-mg/search?q=cemiterios funerario"))[0]!;
            var shown = await GetJsonAsync("/api/v1/institutions/busca-mg/organs/secretaria-de-servicos-urbanos");
            return (hit["competence"]!["citations"]!, shown["competences"]![0]!["citations"]!);
        }

        var (found, shown) = await CitationsAsync();
        Assert.That(found.AsArray().Select(c => c!["legalBasis"]!["slug"]!.GetValue<string>()), Is.EqualTo(new[] { "lei-82-2020", "lei-81-2019" }), "in the organ's order");
        Assert.That(JsonNode.DeepEquals(found, shown), Is.True, $"the search cites {found.ToJsonString()}, the organ shows {shown.ToJsonString()}");

        await Content.AppendAsync(older, TestContent.Law("lei-81-2019", "81", 2019, "Lei nº 81/2019 (consolidada)"), publish: true);
        (found, shown) = await CitationsAsync();
        Assert.That(found[1]!["text"]!.GetValue<string>(), Does.Contain("consolidada"), "the law's new title, without the organ being published again");
        Assert.That(JsonNode.DeepEquals(found, shown), Is.True, $"the search cites {found.ToJsonString()}, the organ shows {shown.ToJsonString()}");
    }

    [Test]
    public async Task The_organ_name_weighs_more_than_a_competence_that_mentions_it()
    {
        await Content.ResourceAsync(_sp, OrganModule.TypeName, "secretaria-de-cultura",
            [Organ("secretaria-de-cultura", "Secretaria de Cultura", "manter a biblioteca municipal;")], publish: 1);
        await Content.ResourceAsync(_sp, OrganModule.TypeName, "secretaria-de-educacao",
            [Organ("secretaria-de-educacao", "Secretaria de Educação", "apoiar a secretaria de cultura nas feiras de livros;")], publish: 1);

        var hits = await HitsAsync("/api/v1/institutions/busca-sp/search?q=cultura");

        Assert.That(hits[0]!["organ"]!["slug"]!.GetValue<string>(), Is.EqualTo("secretaria-de-cultura"));
        Assert.That(Slugs(hits), Does.Contain("secretaria-de-educacao"), "the competence that mentions it is found too, lower");
    }

    [Test]
    public async Task National_search_filters_by_institution_state_and_kind()
    {
        foreach (var (institution, slug) in new[] { (_mg, "nucleo-de-apicultura"), (_sp, "nucleo-de-apicultura") })
        {
            await Content.ResourceAsync(institution, OrganModule.TypeName, slug, [Organ(slug, "Núcleo de Apicultura", "fomentar a criação de abelhas;")], publish: 1);
        }
        var camara = await InstitutionIdAsync("camara-busca-sp");
        await Content.ResourceAsync(camara, OrganModule.TypeName, "comissao-rural", [Organ("comissao-rural", "Comissão Rural", "debater a criação de abelhas;")], publish: 1);

        string Institutions(JsonArray hits) => string.Join(",", hits.Select(h => h!["institution"]!["slug"]!.GetValue<string>()).Distinct().Order());
        Assert.That(Institutions(await HitsAsync("/api/v1/search?q=abelhas")), Is.EqualTo("busca-mg,busca-sp,camara-busca-sp"));
        Assert.That(Institutions(await HitsAsync("/api/v1/search?q=abelhas&uf=SP")), Is.EqualTo("busca-sp,camara-busca-sp"));
        Assert.That(Institutions(await HitsAsync("/api/v1/search?q=abelhas&uf=sp&kind=camara")), Is.EqualTo("camara-busca-sp"));
        Assert.That(Institutions(await HitsAsync("/api/v1/search?q=abelhas&institution=busca-mg")), Is.EqualTo("busca-mg"));
    }

    private async Task<Guid> InstitutionIdAsync(string slug) => Guid.Parse((await GetJsonAsync($"/api/v1/institutions/{slug}"))["id"]!.GetValue<string>());

    [Test]
    public async Task A_cached_national_answer_goes_when_any_institution_publishes()
    {
        Assert.That(await HitsAsync("/api/v1/search?q=xilogravura"), Is.Empty);
        await Content.ResourceAsync(_sp, OrganModule.TypeName, "nucleo-de-artes", [Organ("nucleo-de-artes", "Núcleo de Artes", "ensinar xilogravura;")], publish: 1);

        Assert.That(Slugs(await HitsAsync("/api/v1/search?q=xilogravura")), Is.EqualTo(new[] { "nucleo-de-artes" }));
    }

    [Test]
    public async Task Paging_counts_every_hit_and_links_the_next_page()
    {
        await Content.ResourceAsync(_mg, OrganModule.TypeName, "departamento-de-pesca",
            [Organ("departamento-de-pesca", "Departamento de Pesca", "licenciar a pesca artesanal;", "fiscalizar a pesca amadora;", "apoiar as colônias de pesca;")], publish: 1);

        using var response = await Client.GetAsync("/api/v1/institutions/busca-mg/search?q=pesca&pageSize=2");
        var page = await ReadJsonAsync(response);

        Assert.That(page["total"]!.GetValue<int>(), Is.EqualTo(4), "the organ and its three competences");
        Assert.That(page["items"]!.AsArray(), Has.Count.EqualTo(2));
        Assert.That(response.Headers.GetValues("X-Total-Count").Single(), Is.EqualTo("4"));
        Assert.That(response.Headers.GetValues("Link").Single(), Does.Contain("q=pesca").And.Contain("page=2").And.Contain("rel=\"next\""));
        var second = await GetJsonAsync("/api/v1/institutions/busca-mg/search?q=pesca&pageSize=2&page=2");
        Assert.That(second["items"]!.AsArray(), Has.Count.EqualTo(2));
        var beyond = await GetJsonAsync("/api/v1/institutions/busca-mg/search?q=pesca&pageSize=2&page=9");
        Assert.That(beyond["items"]!.AsArray(), Is.Empty);
        Assert.That(beyond["total"]!.GetValue<int>(), Is.EqualTo(4));
    }

    [Test]
    public async Task A_wide_search_counts_at_most_its_cap_and_one_institution_counts_every_match()
    {
        var many = Paco.Api.Search.SearchEndpoints.MaxRankedWide + 5;
        var texts = Enumerable.Range(1, many).Select(n => $"fiscalizar o pomar municipal número {n};").ToArray();
        await Content.ResourceAsync(_sp, OrganModule.TypeName, "secretaria-de-pomares", [Organ("secretaria-de-pomares", "Secretaria de Pomares", texts)], publish: 1);

        async Task<int> TotalAsync(string url)
        {
            using var response = await Client.GetAsync(url);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), url);
            return int.Parse(response.Headers.GetValues("X-Total-Count").Single());
        }

        Assert.That(await TotalAsync("/api/v1/institutions/busca-sp/search?q=pomar"), Is.EqualTo(many + 1), "within one institution, every match: each competence and the organ (its name)");
        Assert.That(await TotalAsync("/api/v1/search?q=pomar&institution=busca-sp"), Is.EqualTo(many + 1), "one institution, named as a filter");
        Assert.That(await TotalAsync("/api/v1/search?q=pomar&uf=SP"), Is.EqualTo(Paco.Api.Search.SearchEndpoints.MaxRankedWide), "a state: the first matches found");
        Assert.That(await TotalAsync("/api/v1/search?q=pomar"), Is.EqualTo(Paco.Api.Search.SearchEndpoints.MaxRankedWide), "the country");
    }

    [Test]
    public async Task Search_box_syntax_phrases_exclusions_and_stop_words_only()
    {
        await Content.ResourceAsync(_sp, OrganModule.TypeName, "divisao-de-feiras",
            [Organ("divisao-de-feiras", "Divisão de Feiras", "organizar a feira livre;", "organizar a feira de artesanato;")], publish: 1);

        var phrase = await HitsAsync("/api/v1/institutions/busca-sp/search?q=%22feira%20livre%22");
        Assert.That(phrase.Select(h => h!["competence"]?["text"]?.GetValue<string>()), Is.EqualTo(new[] { "organizar a feira livre;" }));
        var excluded = await HitsAsync("/api/v1/institutions/busca-sp/search?q=feira%20-artesanato%20");
        Assert.That(excluded.Select(h => h!["competence"]?["text"]?.GetValue<string>()), Does.Not.Contain("organizar a feira de artesanato;"));
        Assert.That(await HitsAsync("/api/v1/institutions/busca-sp/search?q=de%20a%20o"), Is.Empty, "only stop words: nothing, and no error");
        Assert.That(await HitsAsync("/api/v1/institutions/busca-sp/search?q=%22%28%26%7C%21%3A%2A"), Is.Empty, "operators of to_tsquery are only characters here");
    }

    [Test]
    public async Task One_institution_finds_what_its_state_finds_of_it_however_often_the_kept_plan_is_used()
    {
        await Content.ResourceAsync(_sp, OrganModule.TypeName, "divisao-de-mercados",
            [Organ("divisao-de-mercados", "Divisão de Mercados", "fiscalizar o mercado municipal;", "licenciar as bancas do mercado de peixes;", "organizar a feira de flores;")], publish: 1);
        // Beyond PostgreSQL's first five executions of a prepared statement, after which it may keep a generic plan.
        foreach (var q in Enumerable.Repeat(new[] { "mercado", "%22mercado%20municipal%22", "mercado%20-peixes%20", "banc", "de%20merc", "peixes%20merc", "de%20a%20o" }, 3).SelectMany(q => q))
        {
            var ofInstitution = await HitsAsync($"/api/v1/institutions/busca-sp/search?q={q}&pageSize=100");
            var ofState = (await HitsAsync($"/api/v1/search?uf=SP&q={q}&pageSize=100"))
                .Where(h => h!["institution"]!["slug"]!.GetValue<string>() == "busca-sp").ToList();
            Assert.That(ofInstitution.Select(h => h!.ToJsonString()), Is.EqualTo(ofState.Select(h => h!.ToJsonString())), q);
        }
        Assert.That(Slugs(await HitsAsync("/api/v1/institutions/busca-sp/search?q=de%20merc")), Is.EqualTo(new[] { "divisao-de-mercados" }), "a stop word, then a prefix");
        Assert.That((await HitsAsync("/api/v1/institutions/busca-sp/search?q=peixes%20merc")).Select(h => h!["competence"]?["text"]?.GetValue<string>()),
            Is.EqualTo(new[] { "licenciar as bancas do mercado de peixes;" }), "the words and the prefix, both");
    }

    [Test]
    public async Task Every_state_and_no_state_has_the_partition_one_institution_search_reads()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        var partitions = await ScalarAsync(connection,
            "select string_agg(c.relname, ',' order by c.relname) from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'search_entries'::regclass");
        var expected = Paco.Api.Common.BrazilianStates.Codes.Select(Paco.Api.Search.SearchPartitions.Of).Append(Paco.Api.Search.SearchPartitions.Of(null)).Order(StringComparer.Ordinal);
        Assert.That(partitions!.Split(','), Is.EqualTo(expected));
    }

    [Test]
    public async Task The_migration_backfill_makes_the_entries_publishing_makes()
    {
        await Content.ResourceAsync(_mg, OrganModule.TypeName, "ouvidoria-geral",
            [Organ("ouvidoria-geral", "Ouvidoria-Geral", "receber reclamações e denúncias;", "responder aos pedidos de informação;")], publish: 1);
        const string entries = "select string_agg(concat_ws('|', organ_id, institution_id, position, competence_id, label, competence_group, text, search::text), E'\\n' order by organ_id, position) from search_entries";
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        var published = await ScalarAsync(connection, entries);

        await ScalarAsync(connection, "delete from search_entries");
        var filled = await ScalarAsync(connection, "select paco_search_backfill()::text");

        Assert.That(await ScalarAsync(connection, entries), Is.EqualTo(published));
        Assert.That(long.Parse(filled!), Is.GreaterThan(3), "the seed organs and this one");
    }

    private static async Task<string?> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (await command.ExecuteScalarAsync())?.ToString();
    }

    [TestCase("/api/v1/search", 400, "'q' is required")]
    [TestCase("/api/v1/search?q=%20%20", 400, "'q' is required")]
    [TestCase("/api/v1/search?q=saude&uf=XX", 400, "'uf' must be a Brazilian state code")]
    [TestCase("/api/v1/search?q=saude&kind=reino", 400, "'kind' must be one of")]
    [TestCase("/api/v1/search?q=saude&institution=nao-existe", 400, "there is no institution 'nao-existe'")]
    [TestCase("/api/v1/search?q=saude&pageSize=101", 400, "pageSize")]
    [TestCase("/api/v1/institutions/nao-existe/search?q=saude", 404, "nao-existe")]
    [TestCase("/api/v1/institutions/amostra/search?q=saude&page=0", 400, "page")]
    public async Task Bad_searches_are_refused_with_a_problem(string url, int status, string detail)
    {
        using var response = await Client.GetAsync(url);
        await AssertProblemAsync(response, status, detail);
    }

    [Test]
    public async Task A_query_longer_than_200_characters_is_refused()
    {
        using var response = await Client.GetAsync("/api/v1/search?q=" + new string('a', 201));
        await AssertProblemAsync(response, 400, "at most 200 characters");
    }

    [Test]
    public async Task A_search_answer_revalidates_with_its_etag()
    {
        using var first = await Client.GetAsync("/api/v1/institutions/amostra/search?q=saude");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/institutions/amostra/search?q=saude");
        request.Headers.TryAddWithoutValidation("If-None-Match", first.Headers.ETag!.Tag);
        using var second = await Client.SendAsync(request);

        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
    }
}

/// <summary>The search box's text made into full-text queries and snippets made safe, without a database.</summary>
public sealed class SearchTextTests
{
    [TestCase("iluminação pub", "iluminação ", "pub")]
    [TestCase("iluminação pública ", "iluminação pública", "")]
    [TestCase("\"feira livre", "\"feira livre", "")]
    [TestCase("feira -artesanato", "feira -artesanato", "")]
    [TestCase("saude or", "saude or", "")]
    [TestCase("a", "a", "")]
    [TestCase("e-mail", "e-mail", "")]
    [TestCase("x':* | yy", "x':* | ", "yy")]
    public void The_last_word_being_typed_becomes_a_prefix(string q, string words, string prefix)
    {
        var parsed = Paco.Api.Search.SearchText.Parse(q);
        Assert.That((parsed.Words, parsed.Prefix), Is.EqualTo((words, prefix)));
    }

    [Test]
    public void The_words_and_the_prefix_are_both_to_match()
    {
        Assert.That(Paco.Api.Search.SearchText.And("'feir' <-> 'livr'", "'civic' | 'civil'"), Is.EqualTo("( 'feir' <-> 'livr' ) & ( 'civic' | 'civil' )"));
        Assert.That(Paco.Api.Search.SearchText.And("", "'civil'"), Is.EqualTo("'civil'"), "only stop words before the prefix");
        Assert.That(Paco.Api.Search.SearchText.And("!'saud'", ""), Is.EqualTo("!'saud'"));
    }

    [Test]
    public void A_prefix_stands_for_the_indexed_words_that_begin_with_it()
    {
        Assert.That(Paco.Api.Search.SearchText.PrefixQuery("civ", ["civic", "civil"]), Is.EqualTo("'civic' | 'civil'"));
        Assert.That(Paco.Api.Search.SearchText.PrefixQuery("d'", ["d'agua", @"d\x"]), Is.EqualTo(@"'d''agua' | 'd\\x'"), "quoted as tsquery reads them");
        Assert.That(Paco.Api.Search.SearchText.PrefixQuery("iniciat", [], ["inic", "inici"]), Is.EqualTo("'iniciat':* | 'inic' | 'inici'"),
            "and the indexed words the typed stem begins with");
        Assert.That(Paco.Api.Search.SearchText.PrefixQuery("iluminac", ["iluminacoe"], ["ilumin"]), Is.EqualTo("'iluminacoe' | 'ilumin'"));
    }

    [Test]
    public void A_prefix_that_begins_no_indexed_word_or_too_many_is_matched_as_a_prefix()
    {
        Assert.That(Paco.Api.Search.SearchText.PrefixQuery("zzz", []), Is.EqualTo("'zzz':*"));
        var many = Enumerable.Range(0, Paco.Api.Search.SearchText.MaxPrefixExpansion + 1).Select(i => $"co{i:000}").ToList();
        Assert.That(Paco.Api.Search.SearchText.PrefixQuery("co", many), Is.EqualTo("'co':*"));
    }

    [Test]
    public void A_snippet_is_escaped_and_only_its_marks_become_markup() =>
        Assert.That(Paco.Api.Search.SearchText.SnippetHtml("a < b & \"c\" 'd' \u27E6e\u27E7"),
            Is.EqualTo("a &lt; b &amp; &quot;c&quot; &#39;d&#39; <mark>e</mark>"));
}

/// <summary>An institution that moves state or changes kind is found under its new ones (the entries follow it).</summary>
public sealed class SearchFollowsInstitutionTests : ApiFixture
{
    private async Task<List<string>> OrgansFoundAsync(string url) =>
        (await GetJsonAsync(url))["items"]!.AsArray().Select(h => h!["organ"]!["slug"]!.GetValue<string>()).Distinct().ToList();

    [Test]
    public async Task Entries_follow_an_institution_that_changes_state_and_kind()
    {
        var id = await Content.InstitutionAsync("muda-de-estado", "ES", "Mudança");
        await Content.ResourceAsync(id, OrganModule.TypeName, "nucleo-de-cartografia",
            [TestContent.Organ("nucleo-de-cartografia", "Núcleo de Cartografia")], publish: 1);
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("update institutions set uf = 'BA', kind = 'consorcio' where slug = 'muda-de-estado'", connection);
            await command.ExecuteNonQueryAsync();
        }

        var hits = (await GetJsonAsync("/api/v1/search?q=cartografia&uf=BA&kind=consorcio"))["items"]!.AsArray();
        Assert.That(hits.Select(h => h!["institution"]!["slug"]!.GetValue<string>()), Has.Member("muda-de-estado"));
        Assert.That((await GetJsonAsync("/api/v1/search?q=cartografia&uf=ES&pageSize=1"))["items"]!.AsArray(), Is.Empty);
        Assert.That((await OrgansFoundAsync("/api/v1/institutions/muda-de-estado/search?q=cartografia")), Is.EqualTo(new[] { "nucleo-de-cartografia" }),
            "its own search reads the entries where they are now (each state's are apart, migration 0014)");
    }

    [Test]
    public async Task An_institution_without_a_state_is_found_in_its_own_search_and_nationally_but_in_no_state()
    {
        var id = await Content.InstitutionAsync("consorcio-sem-estado", null, null, kind: "consorcio");
        await Content.ResourceAsync(id, OrganModule.TypeName, "nucleo-de-hidrografia",
            [TestContent.Organ("nucleo-de-hidrografia", "Núcleo de Hidrografia")], publish: 1);

        Assert.That((await OrgansFoundAsync("/api/v1/institutions/consorcio-sem-estado/search?q=hidrografia")), Is.EqualTo(new[] { "nucleo-de-hidrografia" }));
        Assert.That((await OrgansFoundAsync("/api/v1/search?q=hidrografia")), Is.EqualTo(new[] { "nucleo-de-hidrografia" }));
        Assert.That(await OrgansFoundAsync("/api/v1/search?q=hidrografia&uf=MG"), Is.Empty);
    }
}
