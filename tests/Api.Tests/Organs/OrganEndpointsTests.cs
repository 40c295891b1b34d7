using Paco.Api.LegalBases;
using System.Net;
using System.Net.Http.Headers;
using Paco.Api.Organs;
using Paco.Api.Revisions;

namespace Paco.Api.Tests.Organs;

public sealed class OrganEndpointsTests : ApiFixture
{
    private const string Saude = "/api/v1/institutions/amostra/organs/secretaria-de-saude";

    [Test]
    public async Task Get_organ_returns_the_published_document_with_caching_headers()
    {
        using var response = await Client.GetAsync(Saude);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        Assert.That(response.Headers.ETag, Is.Not.Null);
        Assert.That(response.Headers.ETag!.IsWeak, Is.False, "the ETag is strong");
        Assert.That(response.Content.Headers.LastModified, Is.Not.Null);
        Assert.That(response.Headers.CacheControl?.Public, Is.True);
        var organ = await ReadJsonAsync(response);
        Assert.That(organ["name"]!.GetValue<string>(), Is.EqualTo("Secretaria Municipal de Saúde"));
        Assert.That(organ["kind"]!.GetValue<string>(), Is.EqualTo("secretaria"));
        Assert.That(organ["institution"]!["slug"]!.GetValue<string>(), Is.EqualTo("amostra"));
        Assert.That(organ["values"]!.AsArray(), Has.Count.EqualTo(7));
        Assert.That(organ["statements"]!["mission"]!.GetValue<string>(), Does.StartWith("Planejar e executar políticas públicas de saúde"));
        Assert.That(organ["revision"]!["number"]!.GetValue<int>(), Is.EqualTo(1));
        var performedBy = organ["competences"]!.AsArray().Select(c => c!["performedBy"]?["slug"]?.GetValue<string>()).OfType<string>().ToList();
        Assert.That(performedBy, Is.EqualTo(new[]
        {
            "nucleo-de-vigilancia-sanitaria", "nucleo-de-vigilancia-em-saude", "divisao-de-controle-regulacao-e-avaliacao", "nucleo-municipal-de-auditoria-assistencial",
        }));
    }

    [Test]
    public async Task Get_organ_returns_304_when_etag_matches()
    {
        using var first = await Client.GetAsync(Saude);
        using var request = new HttpRequestMessage(HttpMethod.Get, Saude);
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        using var second = await Client.SendAsync(request);

        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        Assert.That(second.Headers.ETag, Is.EqualTo(first.Headers.ETag));
        Assert.That(await second.Content.ReadAsByteArrayAsync(), Is.Empty);
    }

    [Test]
    public async Task Get_organ_returns_304_for_a_weak_form_of_the_etag_and_for_star()
    {
        using var first = await Client.GetAsync(Saude);
        foreach (var tag in new[] { "W/" + first.Headers.ETag!.Tag, "*", "\"other\", " + first.Headers.ETag!.Tag })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, Saude);
            request.Headers.TryAddWithoutValidation("If-None-Match", tag);
            using var response = await Client.SendAsync(request);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotModified), tag);
        }
    }

    [Test]
    public async Task Get_organ_returns_200_when_etag_is_stale()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Saude);
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"1-stale\""));

        using var response = await Client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Get_organ_by_id_returns_the_same_document_as_by_slug()
    {
        var bySlug = await GetJsonAsync(Saude);
        var id = bySlug["id"]!.GetValue<string>();

        var byId = await GetJsonAsync($"/api/v1/institutions/amostra/organs/{id}");

        Assert.That(byId.ToJsonString(), Is.EqualTo(bySlug.ToJsonString()));
    }

    [Test]
    public async Task Get_organ_of_another_institution_is_not_found()
    {
        using var response = await Client.GetAsync("/api/v1/institutions/cogemas-mg/organs/secretaria-de-saude");

        await AssertProblemAsync(response, 404, "no published organ 'secretaria-de-saude'");
    }

    [TestCase("/api/v1/institutions/amostra/organs/nao-existe", "no published organ 'nao-existe'")]
    [TestCase("/api/v1/institutions/nao-existe/organs/secretaria-de-saude", "no institution 'nao-existe'")]
    [TestCase("/api/v1/institutions/nao-existe/organs", "no institution 'nao-existe'")]
    [TestCase("/api/v1/institutions/nao-existe/organs/tree", "no institution 'nao-existe'")]
    [TestCase("/api/v1/institutions/amostra/organs/nao-existe/competences", "no published organ")]
    [TestCase("/api/v1/institutions/amostra/organs/nao-existe/values", "no published organ")]
    public async Task Unknown_institution_or_organ_answers_404_problem(string url, string detail)
    {
        using var response = await Client.GetAsync(url);

        await AssertProblemAsync(response, 404, detail);
    }

    [TestCase("?kind=banana", "'kind' must be one of")]
    [TestCase("?page=0", "page")]
    [TestCase("?page=abc", "'page' must be a whole number; 'abc' is not.")]
    [TestCase("?pageSize=101", "pageSize")]
    [TestCase("?topLevel=maybe", "'topLevel' must be true or false")]
    [TestCase("?topLevel=true&parent=secretaria-de-saude", "cannot be combined")]
    [TestCase("?parent=nao-existe", "there is no organ 'nao-existe'")]
    public async Task List_organs_with_bad_query_answers_400_problem(string query, string detail)
    {
        using var response = await Client.GetAsync("/api/v1/institutions/amostra/organs" + query);

        await AssertProblemAsync(response, 400, detail);
    }

    [Test]
    public async Task List_organs_filters_by_kind()
    {
        var page = await GetJsonAsync("/api/v1/institutions/amostra/organs?kind=nucleo");

        var slugs = page["items"]!.AsArray().Select(o => o!["slug"]!.GetValue<string>());
        Assert.That(slugs, Is.EquivalentTo(new[] { "nucleo-de-vigilancia-sanitaria", "nucleo-de-vigilancia-em-saude", "nucleo-municipal-de-auditoria-assistencial" }));
        Assert.That(page["total"]!.GetValue<int>(), Is.EqualTo(3));
    }

    [Test]
    public async Task List_organs_filters_by_parent_and_top_level()
    {
        var children = await GetJsonAsync("/api/v1/institutions/amostra/organs?parent=secretaria-de-saude");
        var topLevel = await GetJsonAsync("/api/v1/institutions/amostra/organs?topLevel=true");

        Assert.That(children["items"]!.AsArray().Select(o => o!["slug"]!.GetValue<string>()), Is.EqualTo(new[]
        {
            "nucleo-de-vigilancia-sanitaria", "nucleo-de-vigilancia-em-saude", "divisao-de-controle-regulacao-e-avaliacao", "nucleo-municipal-de-auditoria-assistencial",
        }), "children in display order");
        Assert.That(topLevel["items"]!.AsArray().Select(o => o!["slug"]!.GetValue<string>()), Is.EqualTo(new[]
        {
            "gabinete-do-prefeito", "secretaria-de-planejamento-gestao-e-governanca", "secretaria-de-saude", "secretaria-de-trabalho-e-assistencia-social",
        }));
    }

    [Test]
    public async Task List_organs_search_ignores_accents()
    {
        var page = await GetJsonAsync("/api/v1/institutions/amostra/organs?q=vigilancia");

        Assert.That(page["items"]!.AsArray().Select(o => o!["slug"]!.GetValue<string>()),
            Is.EquivalentTo(new[] { "nucleo-de-vigilancia-sanitaria", "nucleo-de-vigilancia-em-saude" }));
    }

    [Test]
    public async Task List_organs_is_paged_with_total_and_link_headers()
    {
        using var response = await Client.GetAsync("/api/v1/institutions/amostra/organs?pageSize=3&page=2");
        var page = await ReadJsonAsync(response);

        Assert.That(page["items"]!.AsArray(), Has.Count.EqualTo(3));
        Assert.That(page["total"]!.GetValue<int>(), Is.EqualTo(8));
        Assert.That(page["pageNumber"]!.GetValue<int>(), Is.EqualTo(2));
        Assert.That(page["pageCount"]!.GetValue<int>(), Is.EqualTo(3));
        Assert.That(response.Headers.GetValues("X-Total-Count").Single(), Is.EqualTo("8"));
        var link = response.Headers.GetValues("Link").Single();
        Assert.That(link, Does.Contain("<http://localhost/api/v1/institutions/amostra/organs?page=1&pageSize=3>; rel=\"first\"").Or.Contain("organs?page=1&pageSize=3>; rel=\"first\""));
        Assert.That(link, Does.Contain("page=1&pageSize=3>; rel=\"prev\""));
        Assert.That(link, Does.Contain("page=3&pageSize=3>; rel=\"next\""));
        Assert.That(link, Does.Contain("page=3&pageSize=3>; rel=\"last\""));

        var next = link.Split(", ").Single(l => l.EndsWith("rel=\"next\"", StringComparison.Ordinal));
        var nextUrl = next[(next.IndexOf('<') + 1)..next.IndexOf('>')];
        var last = await GetJsonAsync(nextUrl);
        Assert.That(last["items"]!.AsArray(), Has.Count.EqualTo(2), "following rel=next reaches the last two organs");
    }

    [Test]
    public async Task List_organs_answers_304_when_nothing_changed()
    {
        using var first = await Client.GetAsync("/api/v1/institutions/amostra/organs");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/institutions/amostra/organs");
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        using var second = await Client.SendAsync(request);

        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
    }

    [Test]
    public async Task Tree_nests_the_health_units_under_the_secretaria()
    {
        var tree = await GetJsonAsync("/api/v1/institutions/amostra/organs/tree");

        Assert.That(tree["total"]!.GetValue<int>(), Is.EqualTo(8));
        var roots = tree["organs"]!.AsArray();
        Assert.That(roots.Select(o => o!["slug"]!.GetValue<string>()), Is.EqualTo(new[]
        {
            "gabinete-do-prefeito", "secretaria-de-planejamento-gestao-e-governanca", "secretaria-de-saude", "secretaria-de-trabalho-e-assistencia-social",
        }));
        var saude = roots.Single(o => o!["slug"]!.GetValue<string>() == "secretaria-de-saude")!;
        Assert.That(saude["children"]!.AsArray(), Has.Count.EqualTo(4));
        Assert.That(saude["children"]![2]!["kind"]!.GetValue<string>(), Is.EqualTo("divisao"));
    }

    [Test]
    public async Task Competences_can_be_filtered_by_group()
    {
        var all = await GetJsonAsync(Saude + "/competences");
        var head = await GetJsonAsync(Saude + "/competences?group=headAttributions");

        Assert.That(all["items"]!.AsArray(), Has.Count.EqualTo(13));
        Assert.That(head["items"]!.AsArray(), Has.Count.EqualTo(4));
        Assert.That(head["items"]![0]!["text"]!.GetValue<string>(), Does.StartWith("Promover a administração geral da Secretaria"));
        Assert.That(head["items"]![0]!["position"]!.GetValue<int>(), Is.EqualTo(10), "positions are within the organ, not the filtered list");
    }

    [Test]
    public async Task Competences_with_unknown_group_answer_400()
    {
        using var response = await Client.GetAsync(Saude + "/competences?group=everything");

        await AssertProblemAsync(response, 400, "'group' must be one of");
    }

    [Test]
    public async Task Values_are_served_in_order()
    {
        var values = await GetJsonAsync(Saude + "/values");

        Assert.That(values["items"]!.AsArray().Select(v => v!.GetValue<string>()).First(), Is.EqualTo("Compromisso com a vida"));
        Assert.That(values["items"]!.AsArray().Select(v => v!.GetValue<string>()).Last(), Is.EqualTo("Sustentabilidade e inovação"));
    }

    [Test]
    public async Task A_new_published_revision_changes_the_etag_and_the_content()
    {
        var institution = await Content.InstitutionAsync("etag-test");
        var organ = await Content.ResourceAsync(institution, OrganModule.TypeName, "secretaria-x",
            [TestContent.Organ("secretaria-x", "Secretaria X")], publish: 1);
        using var before = await Client.GetAsync("/api/v1/institutions/etag-test/organs/secretaria-x");

        await Content.AppendAsync(organ, TestContent.Organ("secretaria-x", "Secretaria X renomeada"), publish: true);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/institutions/etag-test/organs/secretaria-x");
        request.Headers.IfNoneMatch.Add(before.Headers.ETag!);
        using var after = await Client.SendAsync(request);

        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the old ETag no longer matches");
        Assert.That(after.Headers.ETag, Is.Not.EqualTo(before.Headers.ETag));
        var organJson = await ReadJsonAsync(after);
        Assert.That(organJson["name"]!.GetValue<string>(), Is.EqualTo("Secretaria X renomeada"));
        Assert.That(organJson["revision"]!["number"]!.GetValue<int>(), Is.EqualTo(2));
    }

    [Test]
    public async Task A_draft_revision_is_never_served_publicly()
    {
        var institution = await Content.InstitutionAsync("draft-test");
        var organ = await Content.ResourceAsync(institution, OrganModule.TypeName, "secretaria-y",
            [TestContent.Organ("secretaria-y", "Secretaria Y")], publish: 1);

        await Content.AppendAsync(organ, TestContent.Organ("secretaria-y", "Rascunho"), publish: false);

        var served = await GetJsonAsync("/api/v1/institutions/draft-test/organs/secretaria-y");
        Assert.That(served["name"]!.GetValue<string>(), Is.EqualTo("Secretaria Y"));
        Assert.That(served["revision"]!["number"]!.GetValue<int>(), Is.EqualTo(1));
        using var draft = await Client.GetAsync("/api/v1/institutions/draft-test/organs/secretaria-y/revisions/2");
        await AssertProblemAsync(draft, 404, "no published revision 2");
    }

    [Test]
    public async Task An_organ_that_was_never_published_is_not_found()
    {
        var institution = await Content.InstitutionAsync("unpublished-test");
        await Content.ResourceAsync(institution, OrganModule.TypeName, "so-rascunho", [TestContent.Organ("so-rascunho", "Só rascunho")]);

        using var response = await Client.GetAsync("/api/v1/institutions/unpublished-test/organs/so-rascunho");
        var list = await GetJsonAsync("/api/v1/institutions/unpublished-test/organs");

        await AssertProblemAsync(response, 404);
        Assert.That(list["total"]!.GetValue<int>(), Is.Zero);
    }

    [Test]
    public void Known_organ_kinds_include_the_ones_the_seeds_use()
    {
        Assert.That(OrganKinds.All, Is.SupersetOf(new[] { "gabinete", "secretaria", "nucleo", "divisao", "colegiado" }));
    }
}
