using Microsoft.Playwright;

namespace Paco.Api.Tests.Console;

/// <summary>The console in Chromium (<see cref="BrowserFixture"/>): a tab at /console, and signing in.</summary>
public abstract class ConsoleBrowser : BrowserFixture
{
    /// <summary>A new tab (its own sessionStorage, as a second browser tab has) at the console, failing on any script error.</summary>
    protected async Task<IPage> OpenConsoleAsync(IBrowserContext? context = null)
    {
        context ??= await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseAddress.ToString(), Locale = "pt-BR" });
        var page = await context.NewPageAsync();
        WatchForErrors(page);
        await page.GotoAsync("/console/");
        return page;
    }

    protected async Task SignInAsync(IPage page, string key)
    {
        await page.GetByLabel("Chave de API").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Entrar" }).ClickAsync();
        await Microsoft.Playwright.Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sair" })).ToBeVisibleAsync();
    }

    /// <summary>The control bound to a JSON path of the document on screen ("competences[0].text").</summary>
    protected static ILocator Field(IPage page, string path) => page.Locator($"[data-path=\"{path}\"]");
}
