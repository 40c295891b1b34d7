using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Paco.Api.Tests;

/// <summary>
/// Chromium driven by Playwright against the API on a real port (the console's and the embeddable components' browser
/// tests). The browser is the machine's (/usr/bin/chromium, or PACO_CHROMIUM): browsers cannot be downloaded here, and a
/// missing one fails every browser test with what to install, never skips them.
/// </summary>
public abstract class BrowserFixture : RealPortFixture
{
    private IPlaywright _playwright = null!;
    protected IBrowser Browser { get; private set; } = null!;

    public static string ChromiumPath => Environment.GetEnvironmentVariable("PACO_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    [OneTimeSetUp]
    public async Task LaunchBrowserAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            Assert.Fail($"Chromium is not installed at {ChromiumPath}: the browser tests need it (apt-get install -y chromium, or set PACO_CHROMIUM).");
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

    /// <summary>Script errors and CSP violations seen by any tab: a test ends by asserting there were none.</summary>
    protected List<string> Errors { get; } = [];

    /// <summary>Collects the tab's script errors and console errors (except a 4xx answer the page handles) into <see cref="Errors"/>.</summary>
    protected void WatchForErrors(IPage page)
    {
        page.PageError += (_, error) => Errors.Add(error);
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !message.Text.Contains("status of 4", StringComparison.Ordinal))
            {
                Errors.Add(message.Text);
            }
        };
    }

    /// <summary>axe-core on the page as it is now: no serious or critical violation.</summary>
    protected static async Task AssertAccessibleAsync(IPage page, string screen)
    {
        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}").ToList();
        Assert.That(serious, Is.Empty, $"axe on the {screen} screen");
    }
}
