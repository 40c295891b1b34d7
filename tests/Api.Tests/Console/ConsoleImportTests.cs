using System.Text;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Paco.Api.Tests.Console;

/// <summary>
/// An editor imports a structure law in the console: picks the file, reviews the proposal beside the source (each item's
/// span highlighted), meets a 409 because someone created an organ meanwhile, reads the text again, corrects and drops
/// items, applies, and opens the drafts it made.
/// </summary>
public sealed class ConsoleImportTests : ConsoleBrowser
{
    private const string Institution = "vale-claro";

    // Written for this test in the form municipal structure laws take (not a real law).
    private const string Law = """
        LEI Nº 77, DE 12 DE MAIO DE 2023

        Dispõe sobre a organização administrativa do Município de Vale Claro.

        Art. 1º A estrutura administrativa do Poder Executivo compõe-se dos seguintes órgãos:
        I – Gabinete do Prefeito;
        II – Secretaria Municipal de Meio Ambiente:
        a) Departamento de Parques e Jardins.

        Art. 4º Compete à Secretaria Municipal de Meio Ambiente:
        I – formular a política municipal de meio ambiente;
        II – licenciar as atividades de impacto local;
        III – (Revogado pela Lei nº 90, de 2024)

        Parágrafo único. A Secretaria atuará em conjunto com os demais órgãos do Município.

        Art. 5º Compete ao Departamento de Parques e Jardins:
        I – manter as praças e os jardins públicos.
        """;

    private Guid _institution;
    private string _editor = "";

    [OneTimeSetUp]
    public async Task CreateInstitutionAndKeyAsync()
    {
        _institution = await Content.InstitutionAsync(Institution, uf: "MG", municipality: "Vale Claro");
        _editor = await Content.KeyAsync("editor", Institution, "Joana Editora");
    }

    [Test]
    public async Task An_editor_imports_a_law_reviews_it_beside_the_source_corrects_it_and_applies_it()
    {
        var page = await OpenConsoleAsync();
        await SignInAsync(page, _editor);
        await page.GetByRole(AriaRole.Link, new() { Name = "Importar lei ou página" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Importar lei ou página" })).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "import text");

        await page.GetByRole(AriaRole.Button, new() { Name = "Ler o texto" }).ClickAsync();
        await Expect(page.GetByText("Cole o texto ou escolha um arquivo antes de ler.")).ToBeVisibleAsync();

        await page.GetByLabel("Ou escolha um arquivo (.txt ou .html)").SetInputFilesAsync(new FilePayload
        {
            Name = "lei-77-2023.txt", MimeType = "text/plain", Buffer = Encoding.UTF8.GetBytes(Law),
        });
        await Expect(page.GetByLabel("Texto da lei, do decreto ou da página do órgão")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^LEI Nº 77"));
        await Expect(page.GetByLabel("É uma página HTML")).Not.ToBeCheckedAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Ler o texto" }).ClickAsync();

        // The proposal beside the source: the law, three organs, the revoked item as a warning.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Revisar importação" })).ToBeVisibleAsync();
        await Expect(Field(page, "legalBasis.title")).ToHaveValueAsync("Lei nº 77, de 12 de maio de 2023");
        await Expect(Field(page, "organs[1].name")).ToHaveValueAsync("Secretaria Municipal de Meio Ambiente");
        await Expect(Field(page, "organs[2].parent")).ToHaveValueAsync("secretaria-de-meio-ambiente");
        await Expect(page.Locator(".avisos-importar")).ToContainTextAsync("Item revogado");
        var mark = page.Locator(".fonte mark");
        await Expect(mark).ToHaveCountAsync(0);

        // Focusing an item highlights the text it came from; so does a warning's button.
        await Field(page, "organs[1].competences[0].text").FocusAsync();
        await Expect(mark).ToContainTextAsync("formular a política municipal de meio ambiente;");
        await page.GetByRole(AriaRole.Button, new() { Name = "Mostrar no texto o aviso 1" }).FocusAsync();
        await Expect(mark).ToContainTextAsync("(Revogado pela Lei nº 90, de 2024)");
        await Field(page, "organs[2].name").FocusAsync();
        await Expect(mark).ToContainTextAsync("Departamento de Parques e Jardins");
        await Expect(mark).ToBeInViewportAsync();
        await AssertAccessibleAsync(page, "import review");

        // Meanwhile someone creates the Secretaria by hand: applying now would duplicate it, so the API refuses.
        await Content.ResourceAsync(_institution, "organ", "secretaria-de-meio-ambiente",
            [TestContent.Organ("secretaria-de-meio-ambiente", "Secretaria Municipal de Meio Ambiente")]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Criar os rascunhos" }).ClickAsync();
        var conflict = page.Locator(".conflito");
        await Expect(conflict).ToContainTextAsync("A instituição mudou desde que o texto foi lido: nada foi gravado");
        await Expect(conflict).ToContainTextAsync("secretaria-de-meio-ambiente");
        await AssertAccessibleAsync(page, "import conflict");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ler o texto de novo" }).ClickAsync();
        await Expect(page.Locator("#orgao-proposto-1")).ToContainTextAsync("Já existe (secretaria-de-meio-ambiente, revisão 1)");
        await Expect(conflict).ToBeHiddenAsync();

        // Corrections: a name, a kind and a competence's text; one competence dropped, and the Gabinete not imported.
        await Field(page, "organs[2].name").FillAsync("Departamento de Parques, Praças e Jardins");
        await Field(page, "organs[2].kind").SelectOptionAsync("divisao");
        await Field(page, "organs[1].competences[0].text").FillAsync("formular e executar a política municipal de meio ambiente;");
        await page.GetByRole(AriaRole.Button, new() { Name = "Remover item 2 de Secretaria Municipal de Meio Ambiente" }).ClickAsync();
        await Expect(page.Locator("#orgao-proposto-1")).Not.ToContainTextAsync("licenciar");
        await page.GetByRole(AriaRole.Button, new() { Name = "Não importar o órgão 1, Gabinete do Prefeito" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Órgãos (2)" })).ToBeVisibleAsync();
        await Expect(Field(page, "organs[1].name")).ToHaveValueAsync("Departamento de Parques, Praças e Jardins"); // the edits survive the redraw
        await page.GetByLabel("Nota da alteração (opcional)").FillAsync("Importação da Lei nº 77/2023");
        await page.GetByRole(AriaRole.Button, new() { Name = "Criar os rascunhos" }).ClickAsync();

        // The drafts it made, each a link to its editor.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Importação aplicada" })).ToBeVisibleAsync();
        await Expect(page.Locator("#sec-bases-criadas + ul")).ToContainTextAsync("lei-77-2023 — criado, revisão 1 (rascunho)");
        var organs = page.Locator("#sec-orgaos-criados + ul");
        await Expect(organs).ToContainTextAsync("secretaria-de-meio-ambiente — nova revisão 2 do rascunho");
        await Expect(organs).ToContainTextAsync("departamento-de-parques-e-jardins — criado, revisão 1 (rascunho)");
        await Expect(organs).Not.ToContainTextAsync("gabinete");
        await AssertAccessibleAsync(page, "import applied");

        await page.GetByRole(AriaRole.Link, new() { Name = "departamento-de-parques-e-jardins" }).ClickAsync();
        await Expect(page.Locator("[data-path=name]")).ToHaveValueAsync("Departamento de Parques, Praças e Jardins");
        await Expect(page.Locator("[data-path=kind]")).ToHaveValueAsync("divisao");
        await Expect(page.Locator(".estado-painel")).ToContainTextAsync("Só rascunho");
        await page.GetByRole(AriaRole.Link, new() { Name = Institution }).ClickAsync();
        await page.Locator(".arvore a", new() { HasText = "Secretaria Municipal de Meio Ambiente" }).ClickAsync();
        await Expect(page.Locator("[data-path=\"competences[0].text\"]")).ToHaveValueAsync("formular e executar a política municipal de meio ambiente;");
        await Expect(page.Locator("[data-path=\"competences[0].citations[0].article\"]")).ToHaveValueAsync("4");
        await Expect(page.Locator("[data-path=\"competences[1].text\"]")).ToHaveCountAsync(0);
        Assert.That(Errors, Is.Empty, "script errors or Content-Security-Policy violations");
    }
}
