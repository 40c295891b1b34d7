using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Paco.Api.Common;
using Paco.Api.LegalBases;
using Paco.Api.Organs;

namespace Paco.Api.Tests.Embed;

/// <summary>
/// The embeddable components in Chromium (<see cref="BrowserFixture"/>): the API on its real port, and a municipal site
/// (<see cref="HostSite"/>) on another origin whose pages load /embed/v1/paco.js from the API. The fixture publishes a
/// small institution of its own: a secretaria with everything an organ page shows, a department and a division under it,
/// and a gabinete.
/// </summary>
public abstract class EmbedBrowser : BrowserFixture
{
    protected const string Institution = "embed-teste";
    protected const string Secretaria = "secretaria-de-cultura-e-turismo";
    protected const string Departamento = "departamento-de-patrimonio-historico";
    protected const string Divisao = "divisao-de-museus";
    protected const string Gabinete = "gabinete-do-prefeito";

    protected HostSite Site { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task PublishContentAndStartTheSiteAsync()
    {
        Site = await HostSite.StartAsync();
        var institution = await Content.InstitutionAsync(Institution, "MG", "Exemplópolis");
        var law = await Content.ResourceAsync(institution, LegalBasisModule.TypeName, "lei-77-2023",
            [new LegalBasisDocument("lei-77-2023", "lei", "77", 2023, new DateOnly(2023, 3, 1), "Lei nº 77/2023",
                "Dispõe sobre a estrutura da Secretaria Municipal de Cultura e Turismo.", "https://leis.exemplopolis.mg.gov.br/lei-77-2023",
                LegalBasisStatuses.InForce, null)], publish: 1);
        var secretaria = await Content.ResourceAsync(institution, OrganModule.TypeName, Secretaria, [new OrganDocument(
            Secretaria, "Secretaria Municipal de Cultura e Turismo", "SECULT", "secretaria", null, 2,
            new Statements(null, "Preservar a memória e promover a cultura de Exemplópolis.", "Ser referência regional em turismo cultural.", null),
            ["Diversidade", "Participação social"],
            [
                new Competence(Guid.NewGuid(), "I", "formular e executar a política municipal de cultura;", CompetenceGroups.Competences, null,
                    [new Citation(law, "5", null, "I")]),
                new Competence(Guid.NewGuid(), "II", "proteger o patrimônio histórico, artístico e arqueológico do Município;", CompetenceGroups.Competences, null,
                    [new Citation(law, "5", null, "II")]),
                // What an editor typed that looks like markup stays text, on the organ page and in a search snippet.
                new Competence(Guid.NewGuid(), "III", "divulgar os roteiros <img src=x onerror=\"window.injetado=1\"> & festivais do patrimônio local;",
                    CompetenceGroups.Competences, null, []),
                new Competence(Guid.NewGuid(), "I", "dirigir a Secretaria e representá-la perante os conselhos municipais;", CompetenceGroups.HeadAttributions, null, []),
            ],
            new Head("Secretária Municipal de Cultura e Turismo", "Joana Ribeiro", new DateOnly(2025, 1, 2)),
            new Contact(
                [new Address("Rua das Acácias", "120", "2º andar", "Centro", "Exemplópolis", "MG", "35000-000", "segunda a sexta, das 8h às 17h")],
                [new Phone("(31) 3333-0120", "recepção")], ["cultura@exemplopolis.mg.gov.br"], "https://cultura.exemplopolis.mg.gov.br"),
            [new LegalBasisLink(law, "structures")], null, null)], publish: 1);
        var departamento = await Content.ResourceAsync(institution, OrganModule.TypeName, Departamento,
            [TestContent.Organ(Departamento, "Departamento de Patrimônio Histórico", "departamento", secretaria)], publish: 1);
        await Content.ResourceAsync(institution, OrganModule.TypeName, Divisao,
            [TestContent.Organ(Divisao, "Divisão de Museus", "divisao", departamento)], publish: 1);
        await Content.ResourceAsync(institution, OrganModule.TypeName, Gabinete,
            [TestContent.Organ(Gabinete, "Gabinete do Prefeito", "gabinete", displayOrder: 1)], publish: 1);
        PublishTheSitesOrganPages();
    }

    /// <summary>
    /// The site's organ pages, where href-template="/estrutura/{organ}" links: each shows its organ with &lt;paco-organ&gt;
    /// (real pages: Chromium replaces a short 404 with an error page of its own, at another URL).
    /// </summary>
    private void PublishTheSitesOrganPages()
    {
        foreach (var organ in new[] { Secretaria, Departamento, Divisao, Gabinete })
        {
            Site.Page($"/estrutura/{organ}", HostPage($"""<paco-organ institution="{Institution}" organ="{organ}"></paco-organ>"""));
        }
    }

    [OneTimeTearDown]
    public async Task StopTheSiteAsync()
    {
        if (Site is not null)
        {
            await Site.DisposeAsync();
        }
    }

    /// <summary>The script's URL, as a municipal site writes it in its page.</summary>
    protected string ScriptUrl => new Uri(BaseAddress, "/embed/v1/paco.js").ToString();

    /// <summary>A page of the municipal site, in pt-BR, loading the script from the API and showing <paramref name="body"/>.</summary>
    protected string HostPage(string body, string style = "") => $$"""
        <!doctype html>
        <html lang="pt-BR">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>Prefeitura de Exemplópolis: transparência</title>
          <script type="module" src="{{ScriptUrl}}"></script>
          <style>body { font-family: system-ui, sans-serif; margin: 2rem; } {{style}}</style>
        </head>
        <body>
          <main>
            <h1>Estrutura organizacional</h1>
            {{body}}
          </main>
        </body>
        </html>
        """;

    /// <summary>A new tab (its own cache and sessionStorage) at a page of the site, failing the test on any script error.</summary>
    protected async Task<IPage> OpenAsync(string path, string body, string style = "", IBrowserContext? context = null)
    {
        context ??= await Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "pt-BR" });
        var page = await context.NewPageAsync();
        WatchForErrors(page);
        await page.GotoAsync(Site.Page(path, HostPage(body, style)).ToString());
        return page;
    }

    /// <summary>What the API publishes at <paramref name="path"/> (under the institution), read over HTTP as any client would.</summary>
    protected async Task<JsonNode> PublishedAsync(string path)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress };
        return (await client.GetFromJsonAsync<JsonNode>($"/api/v1/institutions/{Institution}/{path}"))!;
    }
}
