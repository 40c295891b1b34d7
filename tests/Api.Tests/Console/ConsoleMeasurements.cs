using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using Microsoft.Playwright;

namespace Paco.Api.Tests.Console;

/// <summary>
/// Not tests: the console's figures and screenshots, run on demand by bench/console.sh (Explicit: `dotnet test` skips them).
/// Writes bench/CONSOLE.md and src/Api/Console/screenshots/*.png.
/// </summary>
[Explicit("measurements and screenshots: bench/console.sh")]
public sealed class ConsoleMeasurements : ConsoleBrowser
{
    [Test]
    public async Task Measure_first_load_and_time_to_interactive()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        var files = new List<(string Url, long Raw, long Sent)>();
        page.Response += async (_, response) =>
        {
            var body = await response.BodyAsync();
            var sizes = await response.Request.SizesAsync(); // what crossed the wire: the body as its Content-Encoding sent it
            lock (files)
            {
                files.Add((new Uri(response.Url).PathAndQuery, body.Length, sizes.ResponseBodySize));
            }
        };
        var cold = Stopwatch.StartNew();
        await page.GotoAsync("/console/");
        await page.GetByLabel("Chave de API").WaitForAsync();
        var coldMs = cold.Elapsed.TotalMilliseconds;
        var navigation = await page.EvaluateAsync<double>("performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        List<(string Url, long Raw, long Sent)> firstLoad;
        lock (files)
        {
            firstLoad = [.. files];
        }

        // The same cold load in fresh contexts (empty cache each), once the browser and the server have warmed up.
        var fresh = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var other = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseAddress.ToString() });
            var tab = await other.NewPageAsync();
            var watch = Stopwatch.StartNew();
            await tab.GotoAsync("/console/");
            await tab.GetByLabel("Chave de API").WaitForAsync();
            fresh.Add(watch.Elapsed.TotalMilliseconds);
            await other.CloseAsync();
        }
        fresh.Sort();

        // Signed in: the organ tree of the sample institution, from a fresh tab.
        var key = await Content.KeyAsync("publisher", "amostra", "Bench");
        var timings = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var tab = await context.NewPageAsync();
            await tab.GotoAsync("/console/");
            await tab.EvaluateAsync("key => sessionStorage.setItem('paco.chave', key)", key);
            await tab.EvaluateAsync("() => sessionStorage.setItem('paco.identidade', JSON.stringify({name:'Bench',role:'publisher',institution:'amostra'}))");
            var watch = Stopwatch.StartNew();
            await tab.GotoAsync("/console/#/i/amostra");
            await tab.Locator(".arvore a").First.WaitForAsync();
            timings.Add(watch.Elapsed.TotalMilliseconds);
            await tab.CloseAsync();
        }
        timings.Sort();

        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"""
            # The editorial console: first load and time to interactive

            Measured by `bash bench/console.sh` (Playwright, headless system Chromium, the API built in Debug on a loopback port,
            on this machine: {Environment.ProcessorCount} cores, shared), {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.

            ## First load (the sign-in screen, empty cache)

            The service sends the console's files compressed as Chromium asks (br), each compressed once and kept
            (`StaticAssets`); *sent* is the body as it crossed the wire. Every screen's module is loaded up front (the import
            screen included).

            | file | bytes | sent |
            |---|---:|---:|
            """);
        foreach (var (url, raw, sent) in firstLoad.OrderBy(f => f.Url, StringComparer.Ordinal))
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"| `{url}` | {raw:N0} | {sent:N0} |");
        }
        report.AppendLine(CultureInfo.InvariantCulture, $"| **total ({firstLoad.Count} requests)** | **{firstLoad.Sum(f => f.Raw):N0}** | **{firstLoad.Sum(f => f.Sent):N0}** |");
        report.AppendLine(CultureInfo.InvariantCulture, $"""

            Budget: 250 KB compressed. 

            ## Time to interactive

            - The very first load after the browser and the API started, navigation to the key field ready: {coldMs:F0} ms (DOMContentLoaded at {navigation:F0} ms).
            - A first load with an empty cache (a new browser context each time) once both are running: median **{fresh[2]:F0} ms**,
              min {fresh[0]:F0}, max {fresh[4]:F0} (5 runs).
            - Signed in, a fresh tab to the sample institution's organ tree drawn (two API calls): median **{timings[2]:F0} ms**,
              min {timings[0]:F0}, max {timings[4]:F0} (5 runs).
            """);
        File.WriteAllText(Repository.PathOf("bench", "CONSOLE.md"), report.ToString());
        TestContext.Out.WriteLine(report.ToString());
    }

    [Test]
    public async Task Take_screenshots()
    {
        var folder = Repository.PathOf("src", "Api", "Console", "screenshots");
        Directory.CreateDirectory(folder);
        var key = await Content.KeyAsync("publisher", "amostra", "Maria Editora");
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseAddress.ToString(), ViewportSize = new() { Width = 1280, Height = 900 }, Locale = "pt-BR", TimezoneId = "America/Sao_Paulo" });
        var page = await context.NewPageAsync();
        async Task Shot(string name, bool full = false) =>
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = full });

        await page.GotoAsync("/console/");
        await page.GetByLabel("Chave de API").WaitForAsync();
        await Shot("01-entrar");
        await SignInAsync(page, key);
        await page.Locator(".arvore a").First.WaitForAsync();
        await Shot("02-orgaos");
        await page.Locator(".arvore a", new() { HasText = "Secretaria de Trabalho e Assistência Social" }).ClickAsync();
        await page.Locator("[data-path=name]").WaitForAsync();
        await page.Locator("[data-path=\"statements.mission\"]").FillAsync("Garantir a proteção social a quem dela precisar.");
        await page.Locator("[data-path=name]").FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Salvar rascunho" }).ClickAsync();
        await page.Locator(".resumo-erros h2").WaitForAsync();
        await Shot("03-editor-erro");
        await page.Locator("#sec-competences").ScrollIntoViewIfNeededAsync();
        await Shot("04-competencias");
        await page.Locator("[data-path=name]").FillAsync("Secretaria de Trabalho e Assistência Social");
        await page.GetByRole(AriaRole.Button, new() { Name = "Salvar rascunho" }).ClickAsync();
        await page.Locator("#avisos", new() { HasText = "Rascunho salvo" }).WaitForAsync();
        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await page.GetByRole(AriaRole.Button, new() { Name = "Publicar agora" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).WaitForAsync();
        await Shot("05-publicar");
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Cancelar" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Histórico e comparação de revisões" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Comparar" }).ClickAsync();
        await page.Locator("#comparacao .diff").WaitForAsync();
        await Shot("06-historico", full: true);
        await page.GotoAsync("/console/#/i/amostra/bases-legais");
        await page.Locator("table").WaitForAsync();
        await Shot("07-bases-legais");

        // Import: a structure law (one of the import tests' texts) reviewed beside its source, a competence's span highlighted.
        await page.GotoAsync("/console/#/i/amostra/importar");
        await page.GetByLabel("Texto da lei, do decreto ou da página do órgão")
            .FillAsync(File.ReadAllText(Repository.PathOf("tests", "Api.Tests", "Import", "Texts", "lei-estrutura-classica.txt")));
        await page.GetByRole(AriaRole.Button, new() { Name = "Ler o texto" }).ClickAsync();
        await page.Locator("[data-path=\"organs[0].competences[1].text\"]").FocusAsync();
        await page.Locator(".fonte mark").WaitForAsync();
        await page.EvaluateAsync("document.getElementById('avisos').replaceChildren()"); // the editor's earlier 'saved' notice
        await Shot("08-importar");
    }
}
