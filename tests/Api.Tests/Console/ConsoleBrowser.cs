using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Paco.Api.Tests.Console;

/// <summary>
/// Chromium driven by Playwright against the API on a real port. The browser is the machine's (/usr/bin/chromium, or
/// PACO_CHROMIUM): browsers cannot be downloaded here, and a missing one fails every console test with what to install,
/// never skips them.
/// </summary>
public abstract class ConsoleBrowser : RealPortFixture
{
    private IPlaywright _playwright = null!;
    protected IBrowser Browser { get; private set; } = null!;

    public static string ChromiumPath => Environment.GetEnvironmentVariable("PACO_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    [OneTimeSetUp]
    public async Task LaunchBrowserAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            Assert.Fail($"Chromium is not installed at {ChromiumPath}: the console's browser tests need it (apt-get install -y chromium, or set PACO_CHROMIUM).");
        }
        // How long an expectation waits for the page to get there: generous, since the whole suite shares two cores.
        Microsoft.Playwright.Assertions.SetDefaultExpectTimeout(30_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true });
    }

    [OneTimeTearDown]
    public async Task CloseBrowserAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        _playwright?.Dispose();
    }

    /// <summary>A new tab (its own sessionStorage, as a second browser tab has) at the console, failing on any script error.</summary>
    protected async Task<IPage> OpenConsoleAsync(IBrowserContext? context = null)
    {
        context ??= await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseAddress.ToString(), Locale = "pt-BR" });
        var page = await context.NewPageAsync();
        page.PageError += (_, error) => Errors.Add(error);
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !message.Text.Contains("status of 4", StringComparison.Ordinal)) // a 4xx answer the console handles
            {
                Errors.Add(message.Text);
            }
        };
        await page.GotoAsync("/console/");
        return page;
    }

    /// <summary>Script errors and CSP violations seen by any tab: a test ends by asserting there were none.</summary>
    protected List<string> Errors { get; } = [];

    protected async Task SignInAsync(IPage page, string key)
    {
        await page.GetByLabel("Chave de API").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Entrar" }).ClickAsync();
        await Microsoft.Playwright.Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sair" })).ToBeVisibleAsync();
    }

    /// <summary>The control bound to a JSON path of the document on screen ("competences[0].text").</summary>
    protected static ILocator Field(IPage page, string path) => page.Locator($"[data-path=\"{path}\"]");

    /// <summary>axe-core on the page as it is now: no serious or critical violation.</summary>
    protected static async Task AssertAccessibleAsync(IPage page, string screen)
    {
        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}").ToList();
        Assert.That(serious, Is.Empty, $"axe on the {screen} screen");
    }
}
