using System.Net;
using Paco.Api.Common;
using Paco.Api.Organs;

namespace Paco.Api.Tests.Representations;

/// <summary>
/// What people see of the HTML fragments, checked as a site shows them: a host page (its own h1 and main) that includes
/// the institution, the organ tree and organs, in Chromium, with axe-core: no serious or critical violation.
/// </summary>
public sealed class FragmentAccessibilityTests : BrowserFixture
{
    private const string Organs = "/api/v1/institutions/acessivel/organs";

    [OneTimeSetUp]
    public async Task CreateContentAsync()
    {
        var institution = await Content.InstitutionAsync("acessivel", "MG", "Belo Horizonte");
        var gabinete = await Content.ResourceAsync(institution, OrganModule.TypeName, "gabinete", [TestContent.Organ("gabinete", "Gabinete do Prefeito", "gabinete")], publish: 1);
        await Content.ResourceAsync(institution, OrganModule.TypeName, "atendimento", [TestContent.Organ("atendimento", "Central de Atendimento & Ouvidoria", "nucleo", parentId: gabinete) with
        {
            Acronym = "CAO",
            Competences =
            [
                new Competence(Guid.NewGuid(), "a", "receber as manifestações dos cidadãos;", CompetenceGroups.Competences, null, []),
                new Competence(Guid.NewGuid(), "b", "responder no prazo da Lei de Acesso à Informação;", CompetenceGroups.Competences, null, []),
                new Competence(Guid.NewGuid(), "§ único", "publicar relatórios;", CompetenceGroups.HeadAttributions, null, []),
            ],
            Head = new Head("Ouvidor-Geral", "João Pereira", new DateOnly(2024, 2, 1)),
            Contact = new Contact(
                [new Address("Praça Sete", "1", null, "Centro", "Belo Horizonte", "MG", "30110-000", "Dias úteis, das 9h às 16h",
                    [new OpeningHoursSpecification(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"], "09:00", "16:00")],
                    [new OpeningHoursSpecification(["PublicHolidays"], "00:00", "00:00", new DateOnly(2026, 1, 1))])],
                [new Phone("156", "atendimento")], ["ouvidoria@acessivel.mg.gov.br"], "https://ouvidoria.acessivel.mg.gov.br"),
        }], publish: 1);
    }

    private async Task<string> FragmentAsync(string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Accept", "text/html");
        using var response = await Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        return body;
    }

    [Test]
    public async Task A_page_that_includes_the_fragments_has_no_serious_accessibility_violation()
    {
        var fragments = new List<string>();
        foreach (var url in new[]
        {
            "/api/v1/institutions/acessivel", $"{Organs}/tree", $"{Organs}/gabinete", $"{Organs}/atendimento",
            "/api/v1/institutions/amostra/organs/tree", "/api/v1/institutions/amostra/organs/secretaria-de-trabalho-e-assistencia-social",
        })
        {
            fragments.Add(await FragmentAsync(url));
        }
        var page = await (await Browser.NewContextAsync()).NewPageAsync();
        await page.SetContentAsync($"""
            <!doctype html>
            <html lang="pt-BR"><head><meta charset="utf-8"><title>Portal da Transparência</title></head>
            <body><header><h1>Portal da Transparência</h1></header><main>{string.Join("\n", fragments)}</main></body></html>
            """);

        Assert.That(await page.Locator("h2").CountAsync(), Is.EqualTo(fragments.Count), "each fragment starts at h2 under the page's h1");
        Assert.That(await page.Locator("ol.paco-competence-list[type=a] > li").CountAsync(), Is.EqualTo(2));
        Assert.That(await page.Locator("script, style, [style]").CountAsync(), Is.Zero);
        await AssertAccessibleAsync(page, "host page with the HTML fragments");
    }
}
