using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Paco.Api.Common;
using Paco.Api.LegalBases;
using Paco.Api.Organs;
using Paco.Api.Revisions;

namespace Paco.Api.Tests.Representations;

/// <summary>
/// Accept chooses JSON, an HTML fragment or JSON-LD on an institution, an organ and the organ tree: each representation
/// with its own ETag, kept apart in the cache, Vary: Accept, Accept-Encoding, 406 when Accept allows none, and the
/// HTML escaped whatever the content says.
/// </summary>
public sealed class RepresentationTests : ApiFixture
{
    private const string Institution = "/api/v1/institutions/vitrine";
    private const string Organs = Institution + "/organs";
    private const string Html = "text/html";
    private const string JsonLd = "application/ld+json";
    private Guid _institutionId;
    private Guid _organId;
    private Guid _lawId;

    [OneTimeSetUp]
    public async Task CreateContentAsync()
    {
        _institutionId = await Content.InstitutionAsync("vitrine", "MG", "Belo Horizonte");
        _lawId = await Content.ResourceAsync(_institutionId, LegalBasisModule.TypeName, "lei-12-2020",
            [TestContent.Law("lei-12-2020", "12", 2020, "Lei nº 12/2020") with { Url = "javascript:alert(1)" }], publish: 1);
        _organId = await Content.ResourceAsync(_institutionId, OrganModule.TypeName, "obras", [Obras("Secretaria de <script>alert(1)</script> Obras & Serviços")], publish: 1);
        await Content.ResourceAsync(_institutionId, OrganModule.TypeName, "divisao-de-vias",
            [TestContent.Organ("divisao-de-vias", "Divisão de Vias", "divisao", parentId: _organId)], publish: 1);
    }

    private OrganDocument Obras(string name) => TestContent.Organ("obras", name) with
    {
        Acronym = "SMO",
        Competences =
        [
            new Competence(Guid.NewGuid(), "I", "executar as obras públicas do Município;", CompetenceGroups.Competences, null, [new Citation(_lawId, "5", null, "I")]),
            new Competence(Guid.NewGuid(), "II", "conservar as vias & os logradouros;", CompetenceGroups.Competences, null, []),
        ],
        LegalBases = [new LegalBasisLink(_lawId, "creates")],
        Head = new Head("Secretário Municipal de Obras", "Ana \"Obreira\" Souza", new DateOnly(2025, 1, 2)),
        Contact = new Contact(
            [new Address("Rua dos Operários", "10", null, "Centro", "Belo Horizonte", "MG", "30100-000", "Segunda a sexta, das 8h às 17h",
                [new OpeningHoursSpecification(["Monday", "Friday"], "08:00", "17:00")])],
            [new Phone("(31) 3277-0000", null)], ["obras@vitrine.mg.gov.br"], null),
    };

    private async Task<HttpResponseMessage> GetAsync(string url, string? accept = null, string? ifNoneMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }
        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }
        return await Client.SendAsync(request);
    }

    private async Task<string> BodyAsync(string url, string accept, string mediaType)
    {
        using var response = await GetAsync(url, accept);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo(mediaType), body);
        return body;
    }

    [TestCase(null, "application/json")]
    [TestCase("*/*", "application/json")]
    [TestCase("application/*", "application/json")]
    [TestCase("application/json", "application/json")]
    [TestCase("text/html", Html)]
    [TestCase("text/*", Html)]
    [TestCase("text/html;q=0.5, application/ld+json", JsonLd)]
    [TestCase("application/json;q=0.1, text/html;q=0.9", Html)]
    [TestCase("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", Html)] // what a browser sends
    [TestCase("application/json;q=0, */*", Html)]
    public async Task Accept_with_q_values_chooses_the_representation_of_an_organ_the_tree_and_the_institution(string? accept, string expected)
    {
        foreach (var url in new[] { $"{Organs}/obras", $"{Organs}/tree", Institution })
        {
            using var response = await GetAsync(url, accept);

            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{url}: {await response.Content.ReadAsStringAsync()}");
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo(expected), url);
            Assert.That(response.Headers.Vary.ToString(), Is.EqualTo("Accept, Accept-Encoding"), url);
        }
    }

    [TestCase("application/xml")]
    [TestCase("image/png, text/plain")]
    [TestCase("text/html;q=0, application/json;q=0, application/ld+json;q=0")]
    public async Task An_accept_that_allows_no_representation_is_406_naming_the_media_types_there_are(string accept)
    {
        foreach (var url in new[] { $"{Organs}/obras", $"{Organs}/tree", Institution })
        {
            using var response = await GetAsync(url, accept);

            var problem = await AssertProblemAsync(response, 406, "text/html");
            Assert.That(problem["type"]!.GetValue<string>(), Is.EqualTo(ProblemTypes.NotAcceptable.Uri));
            Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("application/json, text/html, application/ld+json"));
            Assert.That(response.Headers.Vary.ToString(), Is.EqualTo("Accept, Accept-Encoding"));
        }
    }

    [Test]
    public async Task Operations_without_other_representations_still_answer_json_whatever_the_accept()
    {
        using var list = await GetAsync(Organs, Html);
        using var law = await GetAsync($"{Institution}/legal-bases/lei-12-2020", Html);

        Assert.That(list.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        Assert.That(list.Headers.Vary.ToString(), Is.EqualTo("Accept-Encoding"));
        Assert.That(law.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
    }

    [Test]
    public async Task Each_representation_has_its_own_etag_and_answers_304_to_its_own_only()
    {
        await WaitUntilAnswersAreCachedAsync();
        foreach (var url in new[] { $"{Organs}/obras", $"{Organs}/tree", Institution })
        {
            var etags = new Dictionary<string, string>();
            foreach (var accept in new[] { "application/json", Html, JsonLd })
            {
                using var first = await GetAsync(url, accept);
                using var again = await GetAsync(url, accept); // from the cache now
                Assert.That(again.Headers.ETag?.Tag, Is.EqualTo(first.Headers.ETag?.Tag), $"{url} as {accept}: the cached answer has the same ETag");
                Assert.That(await again.Content.ReadAsStringAsync(), Is.EqualTo(await first.Content.ReadAsStringAsync()));
                etags[accept] = first.Headers.ETag!.Tag;
            }
            Assert.That(etags.Values.Distinct().Count(), Is.EqualTo(3), $"{url}: {string.Join(", ", etags)}");

            foreach (var (accept, etag) in etags)
            {
                using var notModified = await GetAsync(url, accept, etag);
                Assert.That(notModified.StatusCode, Is.EqualTo(HttpStatusCode.NotModified), $"{url} as {accept}");
                Assert.That(notModified.Headers.Vary.ToString(), Is.EqualTo("Accept, Accept-Encoding"));
                foreach (var other in etags.Keys.Where(k => k != accept))
                {
                    using var modified = await GetAsync(url, other, etag);
                    Assert.That(modified.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{url} as {other} with the ETag of {accept}");
                    Assert.That(modified.Content.Headers.ContentType?.MediaType, Is.EqualTo(other));
                }
            }
        }
    }

    [Test]
    public async Task Head_answers_the_headers_of_the_chosen_representation()
    {
        using var get = await GetAsync($"{Organs}/obras", Html);
        using var request = new HttpRequestMessage(HttpMethod.Head, $"{Organs}/obras");
        request.Headers.TryAddWithoutValidation("Accept", Html);
        using var head = await Client.SendAsync(request);

        Assert.That(head.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(head.Headers.ETag?.Tag, Is.EqualTo(get.Headers.ETag?.Tag));
        Assert.That(head.Content.Headers.ContentType?.ToString(), Is.EqualTo("text/html; charset=utf-8"));
        Assert.That(await head.Content.ReadAsByteArrayAsync(), Is.Empty);
    }

    [Test]
    public async Task Every_text_of_the_html_is_escaped_and_a_link_that_is_no_web_url_is_written_as_text()
    {
        var html = await BodyAsync($"{Organs}/obras", Html, Html);

        Assert.That(html, Does.Contain("Secretaria de &lt;script&gt;alert(1)&lt;/script&gt; Obras &amp; Serviços"));
        Assert.That(html, Does.Not.Contain("<script"));
        Assert.That(html, Does.Contain("conservar as vias &amp; os logradouros;"));
        Assert.That(html, Does.Contain("Ana &quot;Obreira&quot; Souza"));
        Assert.That(html, Does.Not.Contain("javascript:"), "the law's stored URL is not a web address: no 'texto oficial' link");
        Assert.That(html, Does.Not.Contain(" style="));
        var tree = await BodyAsync($"{Organs}/tree", Html, Html);
        Assert.That(tree, Does.Contain("Secretaria de &lt;script&gt;alert(1)&lt;/script&gt; Obras &amp; Serviços").And.Not.Contain("<script"));
        var jsonLd = await BodyAsync($"{Organs}/obras", JsonLd, JsonLd);
        Assert.That(jsonLd, Does.Not.Contain("<"), "JSON-LD escapes < so a host can put it in a script element as it is");
        Assert.That(JsonNode.Parse(jsonLd)!["name"]!.GetValue<string>(), Is.EqualTo("Secretaria de <script>alert(1)</script> Obras & Serviços"));
    }

    [Test]
    public async Task The_organ_fragment_is_semantic_html_a_page_can_include()
    {
        var html = await BodyAsync($"{Organs}/obras", Html, Html);
        var site = $"http://localhost{Institution}";

        Assert.That(html, Does.StartWith("<article class=\"paco-organ\" lang=\"pt-BR\"><h2 class=\"paco-organ-name\">"));
        Assert.That(html, Does.Not.Contain("<html").And.Not.Contain("<head").And.Not.Contain("<body").And.Not.Contain("<h1"));
        Assert.That(html, Does.Contain("<abbr class=\"paco-acronym\">SMO</abbr>"));
        Assert.That(html, Does.Contain("<ol class=\"paco-competence-list\" type=\"I\"><li class=\"paco-competence\" value=\"1\">"), "the labels I, II are the list's markers");
        Assert.That(html, Does.Contain("<li class=\"paco-competence\" value=\"2\">"));
        Assert.That(html, Does.Contain($"<a class=\"paco-citation\" href=\"{site}/legal-bases/lei-12-2020\">art. 5, inciso I da Lei nº 12/2020</a>"));
        Assert.That(html, Does.Contain("<address class=\"paco-address\"><span class=\"paco-street\">Rua dos Operários, 10</span><br><span class=\"paco-locality\">Centro – Belo Horizonte/MG</span>"));
        Assert.That(html, Does.Contain("<a href=\"tel:3132770000\">(31) 3277-0000</a>"));
        Assert.That(html, Does.Contain("<a href=\"mailto:obras@vitrine.mg.gov.br\">obras@vitrine.mg.gov.br</a>"));
        Assert.That(html, Does.Contain("segunda-feira, sexta-feira: <time datetime=\"08:00\">08:00</time>–<time datetime=\"17:00\">17:00</time>"));
        Assert.That(html, Does.Contain("desde <time datetime=\"2025-01-02\">02/01/2025</time>"));
        Assert.That(html, Does.Contain($"Órgão de <a href=\"{site}\">Prefeitura de vitrine</a>"));
        Assert.That(html, Does.EndWith("</article>"));
    }

    [TestCase(new[] { "1.", "2." }, "<ol class=\"paco-competence-list\" type=\"1\"><li class=\"paco-competence\" value=\"1\">")]
    [TestCase(new[] { "a)", "c)" }, "<ol class=\"paco-competence-list\" type=\"a\"><li class=\"paco-competence\" value=\"1\">")]
    [TestCase(new[] { "IIII", "V" }, "<ol class=\"paco-competence-list paco-labelled\"><li class=\"paco-competence\"><span class=\"paco-competence-label\">IIII</span> ")]
    [TestCase(new[] { "1", "99999999999" }, "<span class=\"paco-competence-label\">99999999999</span>")]
    public async Task Competence_labels_are_the_list_markers_when_the_browser_can_draw_them_and_written_out_otherwise(string[] labels, string expected)
    {
        var slug = $"marcadores-{Math.Abs(string.Join("", labels).GetHashCode()) % 100000}";
        await Content.ResourceAsync(_institutionId, OrganModule.TypeName, slug, [TestContent.Organ(slug, "Núcleo de Marcadores") with
        {
            Competences = [.. labels.Select(l => new Competence(Guid.NewGuid(), l, $"competência {l};", CompetenceGroups.Competences, null, []))],
        }], publish: 1);

        var html = await BodyAsync($"{Organs}/{slug}", Html, Html);

        Assert.That(html, Does.Contain(expected));
    }

    [Test]
    public async Task The_tree_fragment_nests_lists_of_links_to_the_organs()
    {
        var html = await BodyAsync($"{Organs}/tree", Html, Html);

        Assert.That(html, Does.StartWith("<nav class=\"paco-tree\" lang=\"pt-BR\" aria-label=\"Estrutura organizacional: Prefeitura de vitrine\"><h2 class=\"paco-tree-title\">"));
        Assert.That(html, Does.Contain($"<a class=\"paco-organ-link\" href=\"http://localhost{Organs}/obras\">"));
        Assert.That(html, Does.Contain($"<ul class=\"paco-tree-list\"><li class=\"paco-tree-item\"><a class=\"paco-organ-link\" href=\"http://localhost{Organs}/divisao-de-vias\">Divisão de Vias</a></li></ul></li>"),
            "the division is a list inside its secretaria's item");
    }

    [Test]
    public async Task The_institution_fragment_links_its_tree()
    {
        var html = await BodyAsync(Institution, Html, Html);

        Assert.That(html, Does.StartWith("<article class=\"paco-institution\" lang=\"pt-BR\"><h2 class=\"paco-institution-name\">Prefeitura de vitrine</h2><p class=\"paco-place\">Belo Horizonte – MG</p>"));
        Assert.That(html, Does.Match($"<a class=\"paco-tree-link\" href=\"http://localhost{Organs}/tree\">Estrutura organizacional \\([0-9]+ órgãos\\)</a>"));
        Assert.That(html, Does.Contain("<li class=\"paco-value\">Transparência</li>"));
    }

    [Test]
    public async Task Point_in_time_reads_answer_each_representation_as_published_then()
    {
        var before = DateTimeOffset.UtcNow;
        await Task.Delay(20);
        var id = await Content.ResourceAsync(_institutionId, OrganModule.TypeName, "cultura", [TestContent.Organ("cultura", "Secretaria de Cultura")], publish: 1);
        var between = DateTimeOffset.UtcNow;
        await Task.Delay(20);
        await Content.AppendAsync(id, TestContent.Organ("cultura", "Secretaria de Cultura e Turismo"), publish: true);
        var at = Uri.EscapeDataString(between.ToString("O"));

        var html = await BodyAsync($"{Organs}/cultura?at={at}", Html, Html);
        var jsonLd = JsonNode.Parse(await BodyAsync($"{Organs}/cultura?at={at}", JsonLd, JsonLd))!;
        var current = await BodyAsync($"{Organs}/cultura", Html, Html);
        using var tooEarly = await GetAsync($"{Organs}/cultura?at={Uri.EscapeDataString(before.ToString("O"))}", Html);

        Assert.That(html, Does.Contain(">Secretaria de Cultura</h2>").And.Contain("Revisão 1,"));
        Assert.That(jsonLd["name"]!.GetValue<string>(), Is.EqualTo("Secretaria de Cultura"));
        Assert.That(current, Does.Contain(">Secretaria de Cultura e Turismo</h2>").And.Contain("Revisão 2,"));
        await AssertProblemAsync(tooEarly, 404, "was not published at");
    }

    [Test]
    public async Task A_publication_replaces_the_cached_html_and_json_ld_of_what_it_changes()
    {
        await WaitUntilAnswersAreCachedAsync();
        var id = await Content.ResourceAsync(_institutionId, OrganModule.TypeName, "esportes", [TestContent.Organ("esportes", "Secretaria de Esportes")], publish: 1);
        var cache = Factory.Services.GetRequiredService<PublishedCache>();
        var representations = new[] { ($"{Organs}/esportes", Html), ($"{Organs}/esportes", JsonLd), ($"{Organs}/tree", Html), ($"{Organs}/tree", JsonLd), (Institution, Html) };
        var before = new Dictionary<(string, string), string>();
        foreach (var (url, accept) in representations)
        {
            using var first = await GetAsync(url, accept);
            before[(url, accept)] = first.Headers.ETag!.Tag;
        }
        Assert.That(cache.Count, Is.GreaterThanOrEqualTo(representations.Length), "the representations are kept");

        await Content.AppendAsync(id, TestContent.Organ("esportes", "Secretaria de Esportes e Lazer"), publish: true);
        await Content.ResourceAsync(_institutionId, OrganModule.TypeName, "turismo", [TestContent.Organ("turismo", "Secretaria de Turismo")], publish: 1);

        foreach (var (url, accept) in representations)
        {
            using var after = await GetAsync(url, accept, before[(url, accept)]);
            var body = await after.Content.ReadAsStringAsync();
            Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{url} as {accept}: the old ETag is no longer current");
            Assert.That(body, url == Institution ? Does.Match("Estrutura organizacional \\([0-9]+ órgãos\\)") : Does.Contain("Secretaria de Esportes e Lazer"), $"{url} as {accept}");
            Assert.That(after.Headers.ETag!.Tag, Is.Not.EqualTo(before[(url, accept)]));
        }
    }

    [Test]
    public async Task Html_fragments_carry_the_strict_content_security_policy_of_the_api()
    {
        using var response = await GetAsync($"{Organs}/obras", Html);

        Assert.That(response.Headers.GetValues("Content-Security-Policy").Single(), Is.EqualTo(SecurityHeaders.JsonPolicy));
    }
}
