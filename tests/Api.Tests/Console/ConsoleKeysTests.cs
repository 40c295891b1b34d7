using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Paco.Api.Tests.Console;

/// <summary>An admin manages keys in the console: the secret is shown once, copied, and the key works until revoked.</summary>
public sealed class ConsoleKeysTests : ConsoleBrowser
{
    [Test]
    public async Task An_admin_creates_a_key_sees_its_secret_once_copies_it_and_revokes_it()
    {
        var admin = await Content.KeyAsync("admin", null, "Equipe de TI");
        var page = await OpenConsoleAsync();
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await SignInAsync(page, admin);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Escolha a instituição" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Município de Exemplo" })).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "institutions");

        await page.GetByRole(AriaRole.Link, new() { Name = "Chaves de API" }).ClickAsync();
        await page.GetByLabel("Nome (quem vai usar)").FillAsync("Portal da Transparência");
        await page.GetByLabel("Instituição").SelectOptionAsync("amostra");
        await page.GetByRole(AriaRole.Button, new() { Name = "Criar chave" }).ClickAsync();
        var secret = page.GetByLabel("Segredo");
        await Expect(secret).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^paco_"));
        var value = await secret.InputValueAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Copiar segredo" }).ClickAsync();
        await Expect(page.Locator("#avisos")).ToContainTextAsync("Segredo copiado");
        Assert.That(await page.EvaluateAsync<string>("navigator.clipboard.readText()"), Is.EqualTo(value));
        await AssertAccessibleAsync(page, "keys");

        await page.ReloadAsync(); // shown once: a new load lists the key, never its secret
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "Portal da Transparência" })).ToBeVisibleAsync();
        Assert.That(await page.ContentAsync(), Does.Not.Contain(value));

        await page.GetByRole(AriaRole.Button, new() { Name = "Revogar Portal da Transparência" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Revogar" }).ClickAsync();
        await Expect(page.Locator("#avisos")).ToContainTextAsync("revogada");
        await Expect(page.GetByRole(AriaRole.Row, new() { Name = "Portal da Transparência" })).ToContainTextAsync("Revogada em");

        var other = await OpenConsoleAsync();
        await other.GetByLabel("Chave de API").FillAsync(value);
        await other.GetByRole(AriaRole.Button, new() { Name = "Entrar" }).ClickAsync();
        await Expect(other.GetByText("Esta chave não foi aceita")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Sair" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Entrar no console editorial" })).ToBeVisibleAsync();
        Assert.That(await page.EvaluateAsync<int>("sessionStorage.length"), Is.Zero);
        Assert.That(Errors, Is.Empty, "script errors or Content-Security-Policy violations");
    }
}
