using System.Globalization;
using System.Text;
using Microsoft.Playwright;

namespace Paco.Api.Tests.Embed;

/// <summary>
/// Not tests: the embeddable components' figures and screenshot, run on demand by bench/embed.sh (Explicit: `dotnet test`
/// skips them). Writes bench/EMBED.md and src/Api/Embed/screenshots/*.png.
/// </summary>
[Explicit("measurements and screenshots: bench/embed.sh")]
public sealed class EmbedMeasurements : EmbedBrowser
{
    private const int Runs = 7;

    // Records when each component first rendered, in ms since the navigation started.
    private const string RenderClock = "<script>addEventListener('paco-render', e => (window.rendered ??= {})[e.target.localName] ??= performance.now());</script>";

    [Test]
    public async Task Measure_bytes_and_time_to_first_render()
    {
        using var client = new HttpClient { BaseAddress = BaseAddress };
        var bytes = new List<(string Coding, long Length)>();
        foreach (var coding in new[] { "identity", "gzip", "br" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/embed/v1/paco.js");
            request.Headers.AcceptEncoding.ParseAdd(coding);
            using var response = await client.SendAsync(request);
            bytes.Add((coding, (await response.Content.ReadAsByteArrayAsync()).LongLength));
        }

        var body = $"""
            {RenderClock}
            <paco-organ institution="{Institution}" organ="{Secretaria}"></paco-organ>
            <paco-structure institution="{Institution}"></paco-structure>
            """;
        var url = Site.Page("/medida", HostPage(body)).ToString();
        _ = await RenderTimesAsync(await Browser.NewContextAsync(), url); // the API's and the browser's first run: not counted
        var cold = new List<(double Organ, double Structure)>();
        var revalidated = new List<(double Organ, double Structure)>();
        for (var i = 0; i < Runs; i++)
        {
            var context = await Browser.NewContextAsync(); // empty cache and sessionStorage: a first visit
            var page = await context.NewPageAsync();
            cold.Add(await RenderTimesAsync(page, url));
            revalidated.Add(await RenderTimesAsync(page, url)); // the next page of the visit: the script from the cache, 304s
            await context.CloseAsync();
        }

        static double Median(IEnumerable<double> values) => values.Order().ElementAt(Runs / 2);
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"""
            # The embeddable components: bytes and time to first render

            Measured by `bash bench/embed.sh` (Playwright, headless system Chromium, the API built in Debug on a loopback port and
            the host page on another, on this machine: {Environment.ProcessorCount} cores, shared), {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.

            ## Bytes a page loads

            Everything a page loads is one file, `/embed/v1/paco.js` (no dependencies, no other request than the API's JSON).
            Budget: 15 KB compressed.

            | coding | bytes |
            |---|---:|
            """);
        foreach (var (coding, length) in bytes)
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"| {coding} | {length:N0} |");
        }
        report.AppendLine(CultureInfo.InvariantCulture, $"""

            The service compresses it once per coding, the first time a client asks for it, at the levels of its kept answers (brotli 5, gzip 6).

            ## Time to first render

            A page of the host site with `<paco-organ>` (an organ of four competences, contact and head) and `<paco-structure>`
            (four organs): milliseconds from the start of navigation to each component's `paco-render` event, median of {Runs} runs
            (min–max).

            | visit | `<paco-organ>` | `<paco-structure>` |
            |---|---:|---:|
            | first (empty cache: the script and both answers over the network) | {Median(cold.Select(c => c.Organ)):F0} ({cold.Min(c => c.Organ):F0}–{cold.Max(c => c.Organ):F0}) | {Median(cold.Select(c => c.Structure)):F0} ({cold.Min(c => c.Structure):F0}–{cold.Max(c => c.Structure):F0}) |
            | next page of the visit (the script from the browser's cache, both answers revalidated: 304) | {Median(revalidated.Select(c => c.Organ)):F0} ({revalidated.Min(c => c.Organ):F0}–{revalidated.Max(c => c.Organ):F0}) | {Median(revalidated.Select(c => c.Structure)):F0} ({revalidated.Min(c => c.Structure):F0}–{revalidated.Max(c => c.Structure):F0}) |
            """);
        File.WriteAllText(Repository.PathOf("bench", "EMBED.md"), report.ToString());
        TestContext.Out.WriteLine(report.ToString());
    }

    private static async Task<(double Organ, double Structure)> RenderTimesAsync(IBrowserContext context, string url) =>
        await RenderTimesAsync(await context.NewPageAsync(), url);

    private static async Task<(double Organ, double Structure)> RenderTimesAsync(IPage page, string url)
    {
        await page.GotoAsync(url);
        await page.WaitForFunctionAsync("() => window.rendered?.['paco-organ'] && window.rendered?.['paco-structure']");
        var times = await page.EvaluateAsync<double[]>("() => [window.rendered['paco-organ'], window.rendered['paco-structure']]");
        return (times[0], times[1]);
    }

    [Test]
    public async Task Take_screenshots()
    {
        var folder = Repository.PathOf("src", "Api", "Embed", "screenshots");
        Directory.CreateDirectory(folder);
        // The seed's sample institution: real-looking content, and the same on every machine.
        const string layout = """
            main { display: grid; grid-template-columns: 1fr 1.6fr; gap: 1.5rem; align-items: start; max-width: 1200px; }
            h1 { grid-column: 1 / -1; margin: 0; } .lado { display: grid; gap: 1.5rem; }
            """;
        const string body = """
            <div class="lado">
              <paco-structure institution="amostra" href-template="/estrutura/{organ}"></paco-structure>
              <paco-search institution="amostra" href-template="/estrutura/{organ}"></paco-search>
            </div>
            <paco-organ institution="amostra" organ="secretaria-de-trabalho-e-assistencia-social"></paco-organ>
            """;
        foreach (var (name, style) in new[]
        {
            ("componentes", "body { background: #fff; color: #1b1f24; } paco-organ, paco-search { --paco-accent: #0b5394; }"),
            ("componentes-escuro", "body { background: #15181d; color: #eef1f4; } paco-organ, paco-search, paco-structure { --paco-accent: #ffc857; --paco-radius: 0; }"),
        })
        {
            var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new() { Width = 1280, Height = 900 }, Locale = "pt-BR" });
            var page = await context.NewPageAsync();
            await page.GotoAsync(Site.Page($"/{name}", HostPage(body, layout + style)).ToString());
            await page.Locator("paco-organ h2").WaitForAsync();
            var secretaria = page.Locator("paco-structure [role=treeitem][aria-expanded]").First;
            await secretaria.Locator("[part~=toggle]").ClickAsync();
            await page.Locator("paco-search input").FillAsync("assistência social");
            await page.Locator("paco-search [part~=hit]").First.WaitForAsync();
            await page.Locator("paco-search input").FocusAsync();
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
            await context.CloseAsync();
        }
    }
}
