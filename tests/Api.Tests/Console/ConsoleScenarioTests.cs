using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Paco.Api.Tests.Console;

/// <summary>
/// An editor's day in the console, in a real browser against the real API: sign in, a legal basis, an organ with three
/// competences and a citation, a validation error fixed, publish, the public sees it, two tabs and a 412 resolved,
/// the history's diff, restore, archive. axe-core checks every screen on the way.
/// </summary>
public sealed class ConsoleScenarioTests : ConsoleBrowser
{
    private const string Institution = "console-teste";
    private string _publisher = "";

    [OneTimeSetUp]
    public async Task CreateInstitutionAndKeyAsync()
    {
        await Content.InstitutionAsync(Institution);
        _publisher = await Content.KeyAsync("publisher", Institution, "Maria Editora");
    }

    private async Task<JsonNode?> GetPublicAsync(string path, HttpStatusCode expected)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress };
        using var response = await client.GetAsync($"/api/v1/institutions/{Institution}/{path}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(expected), body);
        return JsonNode.Parse(body);
    }

    [Test]
    public async Task An_editor_creates_publishes_resolves_a_conflict_restores_and_archives_an_organ()
    {
        var page = await OpenConsoleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Entrar no console editorial" })).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "sign-in");

        await page.GetByLabel("Chave de API").FillAsync("paco_errada_123");
        await page.GetByRole(AriaRole.Button, new() { Name = "Entrar" }).ClickAsync();
        await Expect(page.GetByText("Esta chave não foi aceita")).ToBeVisibleAsync();

        await SignInAsync(page, _publisher);
        await Expect(page.Locator("paco-identity")).ToContainTextAsync("Maria Editora");
        await Expect(page.Locator("paco-identity")).ToContainTextAsync("publicador(a)");
        await Expect(page.Locator("paco-identity")).ToContainTextAsync($"instituição {Institution}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Órgãos de" })).ToBeVisibleAsync(); // a one-institution key goes straight there
        await AssertAccessibleAsync(page, "organ tree");

        // A legal basis to cite, published so the organ citing it can be.
        await page.GetByRole(AriaRole.Link, new() { Name = "Bases legais" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Nova base legal" }).ClickAsync();
        await page.GetByLabel("Título").FillAsync("Lei nº 120/2021");
        await page.GetByLabel("Número").FillAsync("120");
        await page.GetByLabel("Ano").FillAsync("2021");
        await page.GetByLabel("Ementa").FillAsync("Dispõe sobre a estrutura da Secretaria de Cultura.");
        await AssertAccessibleAsync(page, "legal basis editor");
        await page.GetByRole(AriaRole.Button, new() { Name = "Criar base legal" }).ClickAsync();
        await Expect(page.Locator("#avisos")).ToContainTextAsync("Base legal salva: revisão 1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Publicar agora" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Publicar" }).ClickAsync();
        await Expect(page.Locator("#avisos")).ToContainTextAsync("Base legal publicada");
        await page.GetByRole(AriaRole.Link, new() { Name = "Bases legais" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "Publicado" })).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "legal bases");

        // A new organ: three competences, one citing the law; the third left empty, which the API refuses.
        await page.GetByRole(AriaRole.Link, new() { Name = Institution }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Novo órgão" }).ClickAsync();
        await page.Locator("[data-path=name]").FillAsync("Secretaria de Cultura");
        await page.Locator("[data-path=name]").BlurAsync();
        await Expect(page.Locator("[data-path=slug]")).ToHaveValueAsync("secretaria-de-cultura");
        await Field(page, "statements.mission").FillAsync("Promover a cultura local.");
        var add = page.GetByRole(AriaRole.Button, new() { Name = "Adicionar item em competências" });
        await add.ClickAsync();
        await Field(page, "competences[0].label").FillAsync("I");
        await Field(page, "competences[0].text").FillAsync("manter a biblioteca municipal;");
        await add.ClickAsync();
        await Field(page, "competences[1].label").FillAsync("II");
        await Field(page, "competences[1].text").FillAsync("promover eventos culturais;");
        await add.ClickAsync();
        await Field(page, "competences[2].label").FillAsync("III");
        await page.GetByRole(AriaRole.Button, new() { Name = "Citar base legal" }).First.ClickAsync();
        await Field(page, "competences[0].citations[0].article").FillAsync("5");
        await Field(page, "competences[0].citations[0].item").FillAsync("II");
        // Reordered by keyboard: item 2 goes up, and focus follows it.
        await page.GetByRole(AriaRole.Button, new() { Name = "Subir item 2 de competências" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(Field(page, "competences[0].text")).ToHaveValueAsync("promover eventos culturais;");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Descer item 1 de competências" })).ToBeFocusedAsync(); // "up" is disabled at the top
        await AssertAccessibleAsync(page, "organ editor");

        await page.GetByRole(AriaRole.Button, new() { Name = "Criar órgão" }).ClickAsync();
        var error = page.Locator("[data-error-for=\"competences[2].text\"]");
        await Expect(error).ToBeVisibleAsync();
        await Expect(error).ToContainTextAsync("deve ser informado"); // the API's own message, in Portuguese (Accept-Language: pt-BR)
        await Expect(Field(page, "competences[2].text")).ToHaveAttributeAsync("aria-invalid", "true");
        await AssertAccessibleAsync(page, "organ editor with errors");
        await Field(page, "competences[2].text").FillAsync("apoiar os artistas do município.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Criar órgão" }).ClickAsync();
        await Expect(page.Locator("#avisos")).ToContainTextAsync("Rascunho salvo: revisão 1");
        await Expect(error).ToBeHiddenAsync();
        await Expect(page.Locator(".estado-painel")).ToContainTextAsync("Só rascunho");

        // Publish; the public sees it.
        await page.GetByRole(AriaRole.Button, new() { Name = "Publicar agora" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("O público passará a ver a revisão 1");
        await AssertAccessibleAsync(page, "publish confirmation");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Publicar" }).ClickAsync();
        await Expect(page.Locator(".estado-painel")).ToContainTextAsync("Publicado");
        var published = await GetPublicAsync("organs/secretaria-de-cultura", HttpStatusCode.OK);
        Assert.That(published!["name"]!.GetValue<string>(), Is.EqualTo("Secretaria de Cultura"));
        Assert.That(published["competences"]!.AsArray().Select(c => c!["text"]!.GetValue<string>()),
            Is.EqualTo(new[] { "promover eventos culturais;", "manter a biblioteca municipal;", "apoiar os artistas do município." }));
        var citation = published["competences"]![1]!["citations"]![0]!;
        Assert.That((citation["article"]!.GetValue<string>(), citation["item"]!.GetValue<string>(), citation["legalBasis"]!["title"]!.GetValue<string>()),
            Is.EqualTo(("5", "II", "Lei nº 120/2021")));

        // Two tabs on the same draft: the second saves first, the first gets the 412 and reapplies its change on top.
        var editorUrl = page.Url;
        var other = await OpenConsoleAsync(page.Context);
        await SignInAsync(other, _publisher);
        await other.GotoAsync(editorUrl);
        await Field(other, "statements.vision").FillAsync("Uma cidade que vive a sua cultura.");
        await Field(page, "statements.purpose").FillAsync("Garantir o acesso de todos à cultura.");
        await other.GetByRole(AriaRole.Button, new() { Name = "Salvar rascunho" }).ClickAsync();
        await Expect(other.Locator("#avisos")).ToContainTextAsync("Rascunho salvo: revisão 2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Salvar rascunho" }).ClickAsync();
        var conflict = page.Locator(".conflito");
        await Expect(conflict).ToContainTextAsync("Outra pessoa salvou este órgão");
        await Expect(conflict).ToContainTextAsync("Uma cidade que vive a sua cultura.");
        await AssertAccessibleAsync(page, "conflict");
        await page.GetByRole(AriaRole.Button, new() { Name = "Reaplicar minhas alterações sobre a versão atual" }).ClickAsync();
        await Expect(Field(page, "statements.vision")).ToHaveValueAsync("Uma cidade que vive a sua cultura.");
        await Expect(Field(page, "statements.purpose")).ToHaveValueAsync("Garantir o acesso de todos à cultura.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Salvar rascunho" }).ClickAsync();
        await Expect(page.Locator("#avisos")).ToContainTextAsync("Rascunho salvo: revisão 3");
        await Expect(page.Locator(".estado-painel")).ToContainTextAsync("Rascunho à frente da publicação");

        // History: the diff between the published revision and the draft, then restore revision 1.
        await page.GetByRole(AriaRole.Link, new() { Name = "Histórico e comparação de revisões" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Histórico de Secretaria de Cultura" })).ToBeVisibleAsync();
        await page.GetByLabel("De", new() { Exact = true }).SelectOptionAsync("1");
        await page.GetByLabel("Para", new() { Exact = true }).SelectOptionAsync("3");
        await page.GetByRole(AriaRole.Button, new() { Name = "Comparar" }).ClickAsync();
        var diff = page.Locator("#comparacao");
        await Expect(diff).ToContainTextAsync("Da revisão 1 para a 3");
        await Expect(diff).ToContainTextAsync("Garantir o acesso de todos à cultura.");
        await AssertAccessibleAsync(page, "history");
        await page.GetByRole(AriaRole.Button, new() { Name = "Restaurar revisão 1" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Restaurar" }).ClickAsync();
        await Expect(page.Locator("#avisos")).ToContainTextAsync("Revisão 1 restaurada como revisão 4");

        // Archive, with the reason the public will read.
        await page.GetByRole(AriaRole.Link, new() { Name = "Secretaria de Cultura" }).ClickAsync();
        await Expect(Field(page, "statements.purpose")).ToHaveValueAsync(""); // revision 4 = revision 1
        await page.GetByRole(AriaRole.Button, new() { Name = "Arquivar" }).ClickAsync();
        await page.GetByLabel("Motivo (o público verá)").FillAsync("Fundida com a Secretaria de Educação.");
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Arquivar" }).ClickAsync();
        await Expect(page.Locator(".estado-painel")).ToContainTextAsync("Arquivado em");
        var gone = await GetPublicAsync("organs/secretaria-de-cultura", HttpStatusCode.Gone);
        Assert.That(gone!["reason"]!.GetValue<string>(), Is.EqualTo("Fundida com a Secretaria de Educação."));

        await page.GetByRole(AriaRole.Link, new() { Name = Institution }).ClickAsync();
        await Expect(page.Locator(".arvore")).ToContainTextAsync("Arquivado");
        Assert.That(Errors, Is.Empty, "script errors or Content-Security-Policy violations");
    }
}
