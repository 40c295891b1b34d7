using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Paco.Api.Tests.Console;

/// <summary>
/// The console's finer points: a legal basis's 412 shows the other person's change and reapplies on top; a date typed as
/// dd/mm/aaaa hh:mm means that day in Brasília whatever the browser's language and zone; history diffs highlight words
/// against an older revision that was never published.
/// </summary>
public sealed class ConsoleEditingDetailsTests : ConsoleBrowser
{
    private const string Institution = "console-detalhes";
    private Guid _institution;
    private string _publisher = "";

    [OneTimeSetUp]
    public async Task CreateInstitutionAndKeyAsync()
    {
        _institution = await Content.InstitutionAsync(Institution);
        _publisher = await Content.KeyAsync("publisher", Institution, "Rita Publicadora");
    }

    private async Task<JsonNode> GetDraftAsync(string path)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _publisher);
        var body = await client.GetStringAsync($"/api/v1/institutions/{Institution}/{path}/draft");
        return JsonNode.Parse(body)!;
    }

    [Test]
    public async Task A_legal_basis_edited_in_two_tabs_shows_the_other_change_and_reapplies_on_top()
    {
        var id = await Content.ResourceAsync(_institution, "legal_basis", "lei-12-2020", [TestContent.Law("lei-12-2020", "12", 2020, "Lei nº 12/2020")]);
        var first = await OpenConsoleAsync();
        await SignInAsync(first, _publisher);
        await first.GotoAsync($"/console/#/i/{Institution}/bases-legais/{id}");
        await Expect(Field(first, "title")).ToHaveValueAsync("Lei nº 12/2020");
        var second = await OpenConsoleAsync(first.Context);
        await SignInAsync(second, _publisher);
        await second.GotoAsync(first.Url);

        await Field(second, "summary").FillAsync("Dispõe sobre o meio ambiente.");
        await second.GetByRole(AriaRole.Button, new() { Name = "Salvar rascunho" }).ClickAsync();
        await Expect(second.Locator("#avisos")).ToContainTextAsync("Base legal salva: revisão 2");
        await Field(first, "url").FillAsync("https://vale-claro.mg.gov.br/leis/12-2020");
        await first.GetByRole(AriaRole.Button, new() { Name = "Salvar rascunho" }).ClickAsync();

        var conflict = first.Locator(".conflito");
        await Expect(conflict).ToContainTextAsync("Outra pessoa salvou esta base legal enquanto você editava");
        await Expect(conflict).ToContainTextAsync("Da revisão 1 para a 2");
        await Expect(conflict).ToContainTextAsync("Dispõe sobre o meio ambiente.");
        await Expect(first.GetByRole(AriaRole.Heading, new() { Name = "Outra pessoa salvou esta base legal" })).ToBeFocusedAsync();
        await AssertAccessibleAsync(first, "legal basis conflict");
        await first.GetByRole(AriaRole.Button, new() { Name = "Reaplicar minhas alterações sobre a versão atual" }).ClickAsync();
        await Expect(conflict).ToBeHiddenAsync();
        await Expect(Field(first, "summary")).ToHaveValueAsync("Dispõe sobre o meio ambiente.");
        await Expect(Field(first, "url")).ToHaveValueAsync("https://vale-claro.mg.gov.br/leis/12-2020");
        await first.GetByRole(AriaRole.Button, new() { Name = "Salvar rascunho" }).ClickAsync();
        await Expect(first.Locator("#avisos")).ToContainTextAsync("Base legal salva: revisão 3");

        var draft = await GetDraftAsync("legal-bases/lei-12-2020");
        Assert.That((draft["document"]!["summary"]!.GetValue<string>(), draft["document"]!["url"]!.GetValue<string>()),
            Is.EqualTo(("Dispõe sobre o meio ambiente.", "https://vale-claro.mg.gov.br/leis/12-2020")), "both changes kept, neither overwritten");
        Assert.That(Errors, Is.Empty, "script errors or Content-Security-Policy violations");
    }

    [Test]
    public async Task A_publication_scheduled_from_an_en_US_browser_is_day_first_in_brasilia_time()
    {
        await Content.ResourceAsync(_institution, "organ", "secretaria-de-esportes", [TestContent.Organ("secretaria-de-esportes", "Secretaria de Esportes")]);
        // A browser in English, in New York: its own date fields would read 05/03/2027 as May 3rd, in its own zone.
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseAddress.ToString(), Locale = "en-US", TimezoneId = "America/New_York" });
        var page = await OpenConsoleAsync(context);
        Assert.That(await page.EvaluateAsync<string>("navigator.language"), Is.EqualTo("en-US"));
        await SignInAsync(page, _publisher);

        // A day alone is dd/mm/aaaa too: a legal basis of 15 March 2019.
        await page.GotoAsync($"/console/#/i/{Institution}/bases-legais/novo");
        await page.GetByLabel("Título").FillAsync("Decreto nº 8/2019");
        await page.GetByLabel("Ano").FillAsync("2019");
        await page.GetByLabel("Data", new() { Exact = true }).FillAsync("15/13/2019");
        await page.GetByRole(AriaRole.Button, new() { Name = "Criar base legal" }).ClickAsync();
        await Expect(page.GetByText("“15/13/2019” não é uma data válida")).ToBeVisibleAsync();
        await page.GetByLabel("Data", new() { Exact = true }).FillAsync("15/03/2019");
        await page.GetByRole(AriaRole.Button, new() { Name = "Criar base legal" }).ClickAsync();
        await Expect(page.Locator("#avisos")).ToContainTextAsync("Base legal salva: revisão 1");
        await Expect(page.GetByLabel("Data", new() { Exact = true })).ToHaveValueAsync("15/03/2019");
        Assert.That((await GetDraftAsync("legal-bases/decreto-n-8-2019"))["document"]!["date"]!.GetValue<string>(), Is.EqualTo("2019-03-15"));

        await page.GotoAsync($"/console/#/i/{Institution}");
        await page.Locator(".arvore a", new() { HasText = "Secretaria de Esportes" }).ClickAsync();

        var when = page.GetByLabel("Publicar em (data e hora, horário de Brasília)");
        await Expect(when).ToHaveAttributeAsync("placeholder", "dd/mm/aaaa hh:mm");
        await when.FillAsync("31/02/2027 10:00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Agendar publicação" }).ClickAsync();
        await Expect(page.Locator("#quando-erro")).ToContainTextAsync("não é uma data e hora válidas");
        await Expect(when).ToHaveAttributeAsync("aria-invalid", "true");

        await when.FillAsync("05/03/2027 10:00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Agendar publicação" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("será publicada em 05/03/2027 10:00 (horário de Brasília)");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Agendar" }).ClickAsync();
        await Expect(page.Locator(".estado-painel")).ToContainTextAsync("agendada para 05/03/2027 10:00 (horário de Brasília)");

        var scheduled = (await GetDraftAsync("organs/secretaria-de-esportes"))["state"]!["scheduled"]![0]!["dueAt"]!.GetValue<DateTimeOffset>();
        Assert.That(scheduled, Is.EqualTo(new DateTimeOffset(2027, 3, 5, 10, 0, 0, TimeSpan.FromHours(-3))), "5 March, 10:00 at -03:00");
        Assert.That(scheduled.UtcDateTime, Is.EqualTo(new DateTime(2027, 3, 5, 13, 0, 0, DateTimeKind.Utc)));
        Assert.That(Errors, Is.Empty, "script errors or Content-Security-Policy violations");
    }

    [Test]
    public async Task The_history_diff_highlights_changed_words_against_a_revision_never_published()
    {
        var organ = TestContent.Organ("secretaria-de-turismo", "Secretaria de Turismo",
            competences: [new Paco.Api.Organs.Competence(Guid.NewGuid(), "I", "divulgar as festas tradicionais do Município;", "competences", null, [])]);
        var edited = organ with { Competences = [organ.Competences[0] with { Text = "divulgar as festas e feiras tradicionais da região;" }] };
        await Content.ResourceAsync(_institution, "organ", "secretaria-de-turismo", [organ, edited]); // neither published
        var page = await OpenConsoleAsync();
        await SignInAsync(page, _publisher);
        await page.GotoAsync($"/console/#/i/{Institution}/orgaos/secretaria-de-turismo/historico");
        await page.GetByLabel("De", new() { Exact = true }).SelectOptionAsync("1");
        await page.GetByLabel("Para", new() { Exact = true }).SelectOptionAsync("2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Comparar" }).ClickAsync();

        var text = page.Locator("#comparacao .texto");
        await Expect(text).ToContainTextAsync("divulgar as festas");
        Assert.That(await text.Locator("ins").AllInnerTextsAsync(), Is.SupersetOf(new[] { "e", "feiras", "da", "região;" }));
        Assert.That(await text.Locator("del").AllInnerTextsAsync(), Is.SupersetOf(new[] { "do", "Município;" }));
        await AssertAccessibleAsync(page, "history of unpublished revisions");
        Assert.That(Errors, Is.Empty, "script errors or Content-Security-Policy violations");
    }
}
