using Paco.Api.LegalBases;
using Paco.Api.Organs;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Paco.Api.Revisions;

namespace Paco.Api.Tests.Institutions;

public sealed class InstitutionEndpointsTests : ApiFixture
{
    private const string Institutions = "/api/v1/institutions";
    private const string CogemasName = "Colegiado de Gestores Municipais da Assistência Social do Estado de Minas Gerais";
    private const string AmostraName = "Município de Exemplo (conteúdo de amostra)";

    private static List<string> Slugs(System.Text.Json.Nodes.JsonNode page) =>
        page["items"]!.AsArray().Select(i => i!["slug"]!.GetValue<string>()).ToList();

    [Test]
    public async Task List_institutions_returns_the_seeded_ones_sorted_by_name_with_paging_headers()
    {
        using var response = await Client.GetAsync(Institutions);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var page = await ReadJsonAsync(response);
        Assert.That(Slugs(page), Is.EqualTo(new[] { "cogemas-mg", "amostra" }));
        Assert.That(page["items"]!.AsArray().Select(i => i!["name"]!.GetValue<string>()), Is.EqualTo(new[] { CogemasName, AmostraName }));
        Assert.That(page["total"]!.GetValue<int>(), Is.EqualTo(2));
        Assert.That(page["pageNumber"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(page["pageSize"]!.GetValue<int>(), Is.EqualTo(20));
        Assert.That(response.Headers.GetValues("X-Total-Count"), Is.EqualTo(new[] { "2" }));
        var link = string.Join(", ", response.Headers.GetValues("Link"));
        Assert.That(link, Does.Contain("rel=\"first\"").And.Contain("rel=\"last\""));
        Assert.That(link, Does.Contain("/api/v1/institutions?page=1&pageSize=20"));
        Assert.That(link, Does.Not.Contain("rel=\"next\""), "everything is on one page");
        Assert.That(response.Headers.ETag, Is.Not.Null);
    }

    [Test]
    public async Task List_institutions_summaries_carry_kind_and_place()
    {
        var page = await GetJsonAsync(Institutions);

        var cogemas = page["items"]!.AsArray().Single(i => i!["slug"]!.GetValue<string>() == "cogemas-mg")!;
        Assert.That(cogemas["kind"]!.GetValue<string>(), Is.EqualTo("associacao"));
        Assert.That(cogemas["uf"]!.GetValue<string>(), Is.EqualTo("MG"));
        Assert.That(cogemas["municipality"]!.GetValue<string>(), Is.EqualTo("Belo Horizonte"));
        Assert.That(cogemas["id"]!.GetValue<string>(), Is.Not.Empty);
    }

    [Test]
    public async Task List_institutions_pages_with_next_link_keeping_other_filters()
    {
        using var response = await Client.GetAsync(Institutions + "?pageSize=1");

        var page = await ReadJsonAsync(response);
        Assert.That(Slugs(page), Is.EqualTo(new[] { "cogemas-mg" }));
        Assert.That(page["total"]!.GetValue<int>(), Is.EqualTo(2));
        var link = string.Join(", ", response.Headers.GetValues("Link"));
        Assert.That(link, Does.Contain("<http://localhost" + Institutions + "?page=2&pageSize=1>; rel=\"next\""), "absolute, under the request's base");

        var second = await GetJsonAsync(Institutions + "?page=2&pageSize=1");
        Assert.That(Slugs(second), Is.EqualTo(new[] { "amostra" }));
    }

    [Test]
    public async Task List_institutions_filters_by_kind()
    {
        var associations = await GetJsonAsync(Institutions + "?kind=associacao");
        var prefeituras = await GetJsonAsync(Institutions + "?kind=prefeitura");
        var camaras = await GetJsonAsync(Institutions + "?kind=camara");

        Assert.That(Slugs(associations), Is.EqualTo(new[] { "cogemas-mg" }));
        Assert.That(Slugs(prefeituras), Is.EqualTo(new[] { "amostra" }));
        Assert.That(Slugs(camaras), Is.Empty);
        Assert.That(camaras["total"]!.GetValue<int>(), Is.EqualTo(0));
    }

    [TestCase("MG")]
    [TestCase("mg")]
    public async Task List_institutions_filters_by_state_in_any_case(string uf)
    {
        var page = await GetJsonAsync(Institutions + "?uf=" + uf);

        Assert.That(Slugs(page), Is.EqualTo(new[] { "cogemas-mg" }));
        Assert.That(page["total"]!.GetValue<int>(), Is.EqualTo(1));
    }

    [Test]
    public async Task List_institutions_of_a_state_with_none_is_empty()
    {
        var page = await GetJsonAsync(Institutions + "?uf=SP");

        Assert.That(Slugs(page), Is.Empty);
    }

    [TestCase("?kind=banana", "'kind' must be one of")]
    [TestCase("?uf=XX", "'uf' must be a Brazilian state code")]
    [TestCase("?page=0", "page")]
    [TestCase("?page=abc", "'page' must be a whole number; 'abc' is not.")]
    [TestCase("?pageSize=0", "pageSize")]
    [TestCase("?pageSize=101", "pageSize")]
    public async Task List_institutions_with_bad_query_answers_400_problem(string query, string detail)
    {
        using var response = await Client.GetAsync(Institutions + query);

        await AssertProblemAsync(response, 400, detail);
    }

    [Test]
    public async Task Get_institution_returns_its_document_and_counts()
    {
        using var response = await Client.GetAsync(Institutions + "/amostra");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        Assert.That(response.Headers.ETag, Is.Not.Null);
        Assert.That(response.Headers.ETag!.IsWeak, Is.False);
        Assert.That(response.Content.Headers.LastModified, Is.Not.Null);
        Assert.That(response.Headers.CacheControl?.Public, Is.True);
        var institution = await ReadJsonAsync(response);
        Assert.That(institution["slug"]!.GetValue<string>(), Is.EqualTo("amostra"));
        Assert.That(institution["name"]!.GetValue<string>(), Is.EqualTo(AmostraName));
        Assert.That(institution["kind"]!.GetValue<string>(), Is.EqualTo("prefeitura"));
        Assert.That(institution["counts"]!["organs"]!.GetValue<int>(), Is.EqualTo(8));
        Assert.That(institution["counts"]!["legalBases"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(institution["statements"]!["about"]?.GetValue<string>(), Is.Not.Null.And.Not.Empty);
        Assert.That(institution["values"], Is.Not.Null);
    }

    [Test]
    public async Task Get_institution_of_an_association_has_its_state_and_municipality()
    {
        var institution = await GetJsonAsync(Institutions + "/cogemas-mg");

        Assert.That(institution["name"]!.GetValue<string>(), Is.EqualTo(CogemasName));
        Assert.That(institution["kind"]!.GetValue<string>(), Is.EqualTo("associacao"));
        Assert.That(institution["uf"]!.GetValue<string>(), Is.EqualTo("MG"));
        Assert.That(institution["municipality"]!.GetValue<string>(), Is.EqualTo("Belo Horizonte"));
        Assert.That(institution["counts"]!["organs"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(institution["counts"]!["legalBases"]!.GetValue<int>(), Is.EqualTo(1));
    }

    [Test]
    public async Task Get_unknown_institution_answers_404_problem()
    {
        using var response = await Client.GetAsync(Institutions + "/nao-existe");

        await AssertProblemAsync(response, 404, "There is no institution 'nao-existe'");
    }

    [Test]
    public async Task Get_institution_returns_304_when_etag_matches()
    {
        using var first = await Client.GetAsync(Institutions + "/amostra");
        using var request = new HttpRequestMessage(HttpMethod.Get, Institutions + "/amostra");
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        using var second = await Client.SendAsync(request);

        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        Assert.That(second.Headers.ETag, Is.EqualTo(first.Headers.ETag));
        Assert.That(await second.Content.ReadAsByteArrayAsync(), Is.Empty);
    }

    [Test]
    public async Task Get_institution_returns_200_when_etag_is_stale()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Institutions + "/amostra");
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"stale\""));

        using var response = await Client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task List_institutions_returns_304_when_etag_matches()
    {
        using var first = await Client.GetAsync(Institutions);
        using var request = new HttpRequestMessage(HttpMethod.Get, Institutions);
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        using var second = await Client.SendAsync(request);

        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
    }
}

/// <summary>Adds an institution of its own, so it has its own database and leaves the seeded list alone.</summary>
public sealed class InstitutionCountsTests : ApiFixture
{
    [Test]
    public async Task Counts_leave_out_organs_that_are_not_published()
    {
        var institutionId = await Content.InstitutionAsync("contagem-teste", "SP", "Campinas");
        await Content.ResourceAsync(institutionId, OrganModule.TypeName, "publicado", [TestContent.Organ("publicado", "Órgão publicado")], publish: 1);
        await Content.ResourceAsync(institutionId, OrganModule.TypeName, "rascunho", [TestContent.Organ("rascunho", "Órgão rascunho")]);

        var institution = await GetJsonAsync("/api/v1/institutions/contagem-teste");

        Assert.That(institution["counts"]!["organs"]!.GetValue<int>(), Is.EqualTo(1), "a draft is not counted");
        Assert.That(institution["counts"]!["legalBases"]!.GetValue<int>(), Is.EqualTo(0));
        var inSp = await GetJsonAsync("/api/v1/institutions?uf=sp");
        Assert.That(inSp["items"]!.AsArray().Select(i => i!["slug"]!.GetValue<string>()), Is.EqualTo(new[] { "contagem-teste" }));
    }
}

/// <summary>Conditional GETs of an institution whose content changes; its own database, so the seeded ones stay as they are.</summary>
public sealed class InstitutionRevalidationTests : ApiFixture
{
    [Test]
    public async Task Get_institution_answers_200_to_if_modified_since_after_one_of_its_organs_was_published()
    {
        await Content.InstitutionAsync("revalidada");
        var publisher = await Content.KeyAsync("publisher", "revalidada");
        // Its row was last changed yesterday, so the publication below is later even at HTTP dates' one-second precision.
        await QueryScalarAsync<int>("update institutions set updated_at = now() - interval '1 day' where slug = 'revalidada' returning 1");
        using var first = await Client.GetAsync("/api/v1/institutions/revalidada");
        var lastModified = first.Content.Headers.LastModified;
        Assert.That(lastModified, Is.Not.Null);
        Assert.That((await ReadJsonAsync(first))["counts"]!["organs"]!.GetValue<int>(), Is.EqualTo(0));

        await PublishNewOrganAsync(publisher);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/institutions/revalidada");
        request.Headers.IfModifiedSince = lastModified;
        using var second = await Client.SendAsync(request);
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.OK), "its counts changed, so it was modified since");
        Assert.That((await ReadJsonAsync(second))["counts"]!["organs"]!.GetValue<int>(), Is.EqualTo(1));
    }

    private async Task PublishNewOrganAsync(string key)
    {
        using var create = new HttpRequestMessage(HttpMethod.Post, "/api/v1/institutions/revalidada/organs")
        {
            Content = JsonContent.Create(Editorial.EditorialTests.OrganBody("nova", "Secretaria Nova", ("I", "Fazer;"))),
        };
        create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var created = await Client.SendAsync(create);
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());

        using var publish = new HttpRequestMessage(HttpMethod.Post, "/api/v1/institutions/revalidada/organs/nova/publish") { Content = JsonContent.Create(new { }) };
        publish.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        publish.Headers.IfMatch.Add(created.Headers.ETag!);
        using var published = await Client.SendAsync(publish);
        Assert.That(published.StatusCode, Is.EqualTo(HttpStatusCode.OK), await published.Content.ReadAsStringAsync());
    }
}
