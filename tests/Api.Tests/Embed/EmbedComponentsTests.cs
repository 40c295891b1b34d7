using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Paco.Api.Tests.Embed;

/// <summary>
/// A municipal site on another origin embeds &lt;paco-organ&gt;, &lt;paco-structure&gt; and &lt;paco-search&gt; against the
/// live API: what they show is what the API publishes, they are used with the keyboard, they revalidate with ETags,
/// they take the site's colours, and axe-core finds nothing serious.
/// </summary>
public sealed partial class EmbedComponentsTests : EmbedBrowser
{
    private const int CompressedBudget = 15 * 1024;

    private static string Text(JsonNode? node) => node!.GetValue<string>();

    [Test]
    public async Task The_script_is_served_compressed_revalidatable_and_loadable_from_another_origin()
    {
        using var client = new HttpClient { BaseAddress = BaseAddress };
        foreach (var coding in new[] { "br", "gzip" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/embed/v1/paco.js");
            request.Headers.AcceptEncoding.ParseAdd(coding);
            request.Headers.Add("Origin", Site.BaseAddress.GetLeftPart(UriPartial.Authority));
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsByteArrayAsync();

            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/javascript"));
            Assert.That(response.Content.Headers.ContentEncoding, Is.EqualTo(new[] { coding }));
            Assert.That(body, Has.Length.LessThan(CompressedBudget), $"everything a page loads is under 15 KB in {coding}");
            Assert.That(response.Headers.CacheControl?.MaxAge, Is.GreaterThanOrEqualTo(TimeSpan.FromHours(1)), "long-lived");
            Assert.That(response.Headers.ETag, Is.Not.Null, "and revalidatable");
            Assert.That(response.Headers.Vary, Does.Contain("Accept-Encoding"));
            Assert.That(response.Headers.GetValues("Access-Control-Allow-Origin"), Is.EqualTo(new[] { "*" }));
            Assert.That(response.Headers.GetValues("Cross-Origin-Resource-Policy"), Is.EqualTo(new[] { "cross-origin" }));

            using var again = new HttpRequestMessage(HttpMethod.Get, "/embed/v1/paco.js");
            again.Headers.AcceptEncoding.ParseAdd(coding);
            again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
            using var revalidated = await client.SendAsync(again);
            Assert.That(revalidated.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        }
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/embed/v1/paco.js"));
        Assert.That(head.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(head.Content.Headers.ContentLength, Is.GreaterThan(0));
    }

    [Test]
    public async Task The_organ_component_shows_the_published_organ()
    {
        var organ = await PublishedAsync($"organs/{Secretaria}");
        var page = await OpenAsync("/cultura", $"""<paco-organ institution="{Institution}" organ="{Secretaria}"></paco-organ>""");
        var component = page.Locator("paco-organ");

        await Expect(component.GetByRole(AriaRole.Heading, new() { Level = 2 })).ToHaveTextAsync($"{Text(organ["name"])} ({Text(organ["acronym"])})");
        var statements = organ["statements"]!.AsObject().Where(s => s.Value is not null).Select(s => Text(s.Value)).ToArray();
        await Expect(component.Locator("dd")).ToHaveTextAsync(statements);
        await Expect(component.Locator("[part~=values] li")).ToHaveTextAsync(organ["values"]!.AsArray().Select(Text).ToArray());

        // Each group of competences is an ordered list, in order, each with its label, its text and its citations.
        foreach (var (group, heading) in new[] { ("competences", "Competências"), ("headAttributions", "Atribuições do titular") })
        {
            var published = organ["competences"]!.AsArray().Where(c => Text(c!["group"]) == group).ToList();
            var list = component.Locator($"h3:text-is('{heading}') + ol[part~=competences]");
            await Expect(list.Locator("[part~=label]")).ToHaveTextAsync(published.Select(c => Text(c!["label"])).ToArray());
            await Expect(list.Locator("li")).ToHaveTextAsync(published.Select(c =>
                Text(c!["label"]) + Text(c["text"]) + string.Join("; ", c["citations"]!.AsArray().Select(x => Text(x!["text"])))).ToArray());
        }
        var citation = organ["competences"]![0]!["citations"]![0]!;
        await Expect(component.GetByRole(AriaRole.Link, new() { Name = Text(citation["text"]) }))
            .ToHaveAttributeAsync("href", Text(citation["legalBasis"]!["url"]));
        Assert.That(await page.EvaluateAsync<bool>("() => 'injetado' in window"), Is.False, "a competence's text is never run as HTML");
        await Expect(component.GetByText("<img src=x", new() { Exact = false })).ToBeVisibleAsync();

        var head = organ["head"]!;
        await Expect(component.Locator("[part~=head]")).ToHaveTextAsync($"{Text(head["title"])}: {Text(head["name"])} (desde 02/01/2025)");
        var contact = organ["contact"]!;
        await Expect(component.Locator("address")).ToContainTextAsync(Text(contact["addresses"]![0]!["street"]));
        await Expect(component.Locator("address")).ToContainTextAsync("CEP " + Text(contact["addresses"]![0]!["postalCode"]));
        await Expect(component.GetByRole(AriaRole.Link, new() { Name = Text(contact["phones"]![0]!["number"]) })).ToHaveAttributeAsync("href", "tel:3133330120");
        await Expect(component.GetByRole(AriaRole.Link, new() { Name = Text(contact["emails"]![0]) }))
            .ToHaveAttributeAsync("href", "mailto:" + Text(contact["emails"]![0]));
        await Expect(component.Locator("[part~=legal-bases] li")).ToHaveTextAsync(Text(organ["legalBases"]![0]!["legalBasis"]!["title"]));

        await AssertAccessibleAsync(page, "organ");
        Assert.That(Errors, Is.Empty);
    }

    [Test]
    public async Task Changing_an_attribute_renders_the_other_organ_and_a_missing_one_says_so_in_portuguese()
    {
        var page = await OpenAsync("/troca", $"""<paco-organ institution="{Institution}" organ="{Secretaria}"></paco-organ>""");
        var component = page.Locator("paco-organ");
        await Expect(component.GetByRole(AriaRole.Heading, new() { Level = 2 })).ToContainTextAsync("Cultura");

        await component.EvaluateAsync($"element => element.setAttribute('organ', '{Gabinete}')");
        await Expect(component.GetByRole(AriaRole.Heading, new() { Level = 2 })).ToHaveTextAsync("Gabinete do Prefeito");

        await component.EvaluateAsync("element => element.setAttribute('organ', 'orgao-que-nao-existe')");
        await Expect(component.GetByRole(AriaRole.Status)).ToHaveTextAsync("Não encontrado: confira os atributos do componente.");
        await Expect(component.GetByRole(AriaRole.Heading)).ToHaveCountAsync(0);

        await component.EvaluateAsync("element => element.removeAttribute('organ')");
        await Expect(component.GetByRole(AriaRole.Status)).ToHaveTextAsync("Falta o atributo “organ”.");
        Assert.That(Errors, Is.Empty);
    }

    [Test]
    public async Task The_structure_component_is_a_tree_used_with_the_keyboard()
    {
        var tree = await PublishedAsync("organs/tree");
        var page = await OpenAsync("/estrutura", $$"""<paco-structure institution="{{Institution}}" href-template="/estrutura/{organ}"></paco-structure>""");
        var component = page.Locator("paco-structure");
        var topLevel = tree["organs"]!.AsArray();

        await Expect(component.GetByRole(AriaRole.Tree)).ToHaveAttributeAsync("aria-label", $"Estrutura de {Text(tree["institution"]!["name"])}");
        var visible = component.Locator("[role=treeitem]:visible");
        await Expect(visible).ToHaveTextAsync(topLevel.Select(o => Text(o!["name"]) + (o["acronym"] is { } a ? $" ({Text(a)})" : "")).ToArray());
        await AssertAccessibleAsync(page, "structure, collapsed");

        // Tab into the tree: one stop, on its first item; arrows move and open; Enter follows the link.
        await page.Keyboard.PressAsync("Tab");
        await Expect(visible.First).ToBeFocusedAsync();
        var secretaria = component.Locator($"[data-slug={Secretaria}]");
        await page.Keyboard.PressAsync("ArrowDown");
        await Expect(secretaria).ToBeFocusedAsync();
        await Expect(secretaria).ToHaveAttributeAsync("aria-expanded", "false");
        await page.Keyboard.PressAsync("ArrowRight");
        await Expect(secretaria).ToHaveAttributeAsync("aria-expanded", "true");
        var children = topLevel.Single(o => Text(o!["slug"]) == Secretaria)!["children"]!.AsArray();
        await Expect(visible).ToHaveCountAsync(topLevel.Count + children.Count);
        await page.Keyboard.PressAsync("ArrowRight");
        var departamento = component.Locator($"[data-slug={Departamento}]");
        await Expect(departamento).ToBeFocusedAsync();
        await Expect(departamento).ToHaveTextAsync(Text(children[0]!["name"]));
        await Expect(departamento).ToHaveAttributeAsync("aria-level", "2");
        await page.Keyboard.PressAsync("ArrowRight");
        await page.Keyboard.PressAsync("ArrowDown");
        await Expect(component.Locator($"[data-slug={Divisao}]")).ToBeFocusedAsync();
        await AssertAccessibleAsync(page, "structure, expanded");
        await page.Keyboard.PressAsync("ArrowLeft");
        await Expect(departamento).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowLeft");
        await Expect(departamento).ToHaveAttributeAsync("aria-expanded", "false");
        await page.Keyboard.PressAsync("ArrowLeft");
        await Expect(secretaria).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("End");
        await Expect(visible.Last).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Home");
        await Expect(visible.First).ToBeFocusedAsync();

        await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("paco-organ h2")).ToHaveTextAsync("Secretaria Municipal de Cultura e Turismo (SECULT)"); // the site's organ page
        Assert.That(page.Url, Is.EqualTo(new Uri(Site.BaseAddress, $"/estrutura/{Secretaria}").ToString()));
        Assert.That(Errors, Is.Empty);
    }

    [Test]
    public async Task Without_a_template_the_tree_links_nowhere_and_opens_with_the_mouse()
    {
        var page = await OpenAsync("/sem-links", $"""<paco-structure institution="{Institution}"></paco-structure>""");
        var component = page.Locator("paco-structure");
        var secretaria = component.Locator($"[data-slug={Secretaria}]");
        await Expect(secretaria).ToBeVisibleAsync();
        await Expect(component.Locator("a")).ToHaveCountAsync(0);

        await secretaria.ClickAsync();
        await Expect(secretaria).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(component.Locator($"[data-slug={Departamento}]")).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "structure without links");
        Assert.That(Errors, Is.Empty);
    }

    [Test]
    public async Task The_search_component_finds_as_one_types_and_keeps_only_the_marks_of_the_snippet()
    {
        var page = await OpenAsync("/busca", $$"""<paco-search institution="{{Institution}}" href-template="/estrutura/{organ}"></paco-search>""");
        var component = page.Locator("paco-search");
        var box = component.GetByRole(AriaRole.Searchbox, new() { Name = "Buscar competências e órgãos" });

        await page.Keyboard.PressAsync("Tab");
        await Expect(box).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("roteiros do patrimonio");
        var published = await PublishedAsync("search?q=" + Uri.EscapeDataString("roteiros do patrimonio") + "&pageSize=10");
        var hits = published["items"]!.AsArray();
        Assert.That(hits, Is.Not.Empty, "the API finds it, so the component must show it");

        var shown = component.Locator("[part~=hit]");
        await Expect(shown).ToHaveCountAsync(hits.Count);
        await Expect(component.GetByRole(AriaRole.Status)).ToHaveTextAsync(hits.Count == 1 ? "1 resultado" : $"{hits.Count} resultados");
        var first = hits[0]!;
        await Expect(shown.First.Locator("[part~=organ]")).ToHaveTextAsync($"{Text(first["organ"]!["name"])} ({Text(first["organ"]!["acronym"])})");
        await Expect(shown.First.Locator("[part~=label]")).ToHaveTextAsync($"Competência {Text(first["competence"]!["label"])}");

        // The snippet is escaped text with <mark>: the page shows that text, and only the marks are elements.
        var snippet = Text(first["snippet"]);
        var marked = MarkPattern().Matches(snippet).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToArray();
        Assert.That(marked, Is.Not.Empty);
        var snippetElement = shown.First.Locator("[part~=snippet]");
        await Expect(snippetElement).ToHaveTextAsync(WebUtility.HtmlDecode(MarkPattern().Replace(snippet, "$1")));
        await Expect(snippetElement.Locator("mark")).ToHaveTextAsync(marked);
        Assert.That(await snippetElement.EvaluateAsync<string[]>("p => [...p.querySelectorAll('*')].map(e => e.localName)"), Is.All.EqualTo("mark"));
        Assert.That(await page.EvaluateAsync<bool>("() => 'injetado' in window"), Is.False);
        await AssertAccessibleAsync(page, "search results");

        // Down from the box to the first result, Enter follows it.
        await page.Keyboard.PressAsync("ArrowDown");
        await Expect(shown.First.GetByRole(AriaRole.Link)).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowUp");
        await Expect(box).ToBeFocusedAsync();

        await box.FillAsync("xilogravura");
        await Expect(component.GetByRole(AriaRole.Status)).ToHaveTextAsync("Nenhum resultado para “xilogravura”.");
        await Expect(shown).ToHaveCountAsync(0);

        await box.FillAsync("museus");
        await Expect(shown.First.Locator("[part~=organ]")).ToHaveTextAsync("Divisão de Museus");
        await page.Keyboard.PressAsync("ArrowDown");
        await Expect(shown.First.GetByRole(AriaRole.Link)).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("paco-organ h2")).ToHaveTextAsync("Divisão de Museus");
        Assert.That(page.Url, Is.EqualTo(new Uri(Site.BaseAddress, $"/estrutura/{Divisao}").ToString()));
        Assert.That(Errors, Is.Empty);
    }

    [Test]
    public async Task A_second_visit_revalidates_with_etags_and_reuses_the_answer_on_304()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "pt-BR" });
        var answers = new List<(string Path, int Status)>();
        context.Response += (_, response) =>
        {
            var url = new Uri(response.Url);
            if (url.Port == BaseAddress.Port && url.AbsolutePath.StartsWith("/api/", StringComparison.Ordinal) && response.Request.Method == "GET")
            {
                lock (answers)
                {
                    answers.Add((url.AbsolutePath, response.Status));
                }
            }
        };
        var body = $"""
            <paco-organ institution="{Institution}" organ="{Gabinete}"></paco-organ>
            <paco-structure institution="{Institution}"></paco-structure>
            """;
        var page = await OpenAsync("/revalida", body, context: context);
        await Expect(page.Locator("paco-organ h2")).ToHaveTextAsync("Gabinete do Prefeito");
        await Expect(page.Locator($"paco-structure [data-slug={Secretaria}]")).ToBeVisibleAsync();
        var organPath = $"/api/v1/institutions/{Institution}/organs/{Gabinete}";
        var treePath = $"/api/v1/institutions/{Institution}/organs/tree";
        lock (answers)
        {
            Assert.That(answers, Is.EquivalentTo(new[] { (organPath, 200), (treePath, 200) }), "the first visit gets the content");
            answers.Clear();
        }

        var organAnswer = page.WaitForResponseAsync(r => new Uri(r.Url).AbsolutePath == organPath && r.Request.Method == "GET");
        var treeAnswer = page.WaitForResponseAsync(r => new Uri(r.Url).AbsolutePath == treePath && r.Request.Method == "GET");
        await page.ReloadAsync();
        await Task.WhenAll(organAnswer, treeAnswer);
        await Expect(page.Locator("paco-organ h2")).ToHaveTextAsync("Gabinete do Prefeito");
        await Expect(page.Locator($"paco-structure [data-slug={Secretaria}]")).ToBeVisibleAsync();
        lock (answers)
        {
            Assert.That(answers, Is.EquivalentTo(new[] { (organPath, 304), (treePath, 304) }), "the next page of the visit revalidates, across origins");
        }
        Assert.That(Errors, Is.Empty);
    }

    [Test]
    public async Task Custom_properties_of_the_site_theme_the_components_and_a_dark_site_stays_accessible()
    {
        const string dark = "body { background: #14171c; color: #f1f3f5; } paco-organ, paco-search { --paco-accent: rgb(255, 200, 87); --paco-radius: 0px; }";
        var page = await OpenAsync("/escuro", $"""
            <paco-organ institution="{Institution}" organ="{Secretaria}"></paco-organ>
            <paco-search institution="{Institution}"></paco-search>
            """, dark);
        var label = page.Locator("paco-organ [part~=label]").First;
        await Expect(label).ToHaveCSSAsync("color", "rgb(255, 200, 87)");
        await Expect(page.Locator("paco-organ article")).ToHaveCSSAsync("border-radius", "0px");
        await Expect(page.Locator("paco-organ dd").First).ToHaveCSSAsync("color", "rgb(241, 243, 245)"); // the site's text colour
        await page.Locator("paco-search input").FillAsync("cultura");
        await Expect(page.Locator("paco-search [part~=hit]").First).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "dark site");
        Assert.That(Errors, Is.Empty);
    }

    [GeneratedRegex("<mark>(.*?)</mark>")]
    private static partial Regex MarkPattern();
}
