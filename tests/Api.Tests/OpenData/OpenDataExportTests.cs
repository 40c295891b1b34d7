using System.IO.Compression;
using System.Net;
using System.Text.Json.Nodes;
using Paco.Api.Common;
using Paco.Api.LegalBases;
using Paco.Api.OpenData;
using Paco.Api.Organs;

namespace Paco.Api.Tests.OpenData;

/// <summary>Open-data exports over content the fixture creates: two institutions in two states, one organ edited after an audit date.</summary>
public sealed class OpenDataExportTests : ApiFixture
{
    private const string Mine = "/api/v1/institutions/dados-abertos";
    private Guid _organ;
    private Guid _law;
    private DateTimeOffset _beforeEdit;

    [OneTimeSetUp]
    public async Task CreateContentAsync()
    {
        var institution = await Content.InstitutionAsync("dados-abertos", "RS", "Exemplo do Sul");
        _law = await Content.ResourceAsync(institution, LegalBasisModule.TypeName, "lei-7-2003", [TestContent.Law("lei-7-2003", "7", 2003, "Lei nº 7/2003")], publish: 1);
        var organ = TestContent.Organ("obras", "Secretaria de Obras, \"Viação\" e Urbanismo",
            competences: [new Competence(Guid.NewGuid(), "I", "executar obras públicas;\nmanter vias", CompetenceGroups.Competences, null, [new Citation(_law, "3", null, "I")])],
            legalBases: [new LegalBasisLink(_law, "structures")]) with
        {
            Head = new Head("Secretário(a)", "José Araújo", null),
            Contact = new Contact([new Address("Av. Brasil", "1", null, "Centro", "Exemplo do Sul", "RS", "90000-000", "8h–14h",
                [new OpeningHoursSpecification(["Monday"], "08:00", "14:00")])], [new Phone("(51) 3000-0000", "Protocolo")], ["obras@exemplo.rs.gov.br"], null),
        };
        _organ = await Content.ResourceAsync(institution, OrganModule.TypeName, "obras", [organ], publish: 1);
        await Task.Delay(20);
        _beforeEdit = DateTimeOffset.UtcNow;
        await Task.Delay(20);
        await Content.AppendAsync(_organ, organ with { Head = organ.Head! with { Name = "Maria Souza" } }, publish: true);
        var other = await Content.InstitutionAsync("dados-outro-estado", "SC", "Outra");
        await Content.ResourceAsync(other, OrganModule.TypeName, "saude", [TestContent.Organ("saude", "Secretaria de Saúde")], publish: 1);
    }

    private async Task<(HttpResponseMessage Response, string Text)> GetTextAsync(string url)
    {
        var response = await Client.GetAsync(url);
        return (response, await response.Content.ReadAsStringAsync());
    }

    private static List<List<string>> ParseCsv(string text)
    {
        // RFC 4180: quoted fields may hold commas, doubled quotes and line breaks.
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') { quoted = false; }
                else { field.Append(c); }
            }
            else if (c == '"') { quoted = true; }
            else if (c == ',') { row.Add(field.ToString()); field.Clear(); }
            else if (c == '\r' && text[i + 1] == '\n') { row.Add(field.ToString()); field.Clear(); rows.Add(row); row = []; i++; }
            else { field.Append(c); }
        }
        return rows;
    }

    [Test]
    public async Task Each_table_as_csv_has_the_dictionary_columns_as_header_and_rfc_4180_rows()
    {
        foreach (var table in DataDictionary.Tables)
        {
            var (response, text) = await GetTextAsync($"{Mine}/open-data/{table.Name}.csv");

            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
            Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/csv"));
            Assert.That(response.Content.Headers.ContentDisposition!.FileName, Is.EqualTo($"dados-abertos-{table.Name}.csv"));
            var rows = ParseCsv(text);
            Assert.That(rows[0], Is.EqualTo(table.Columns.Select(c => c.Name)), table.Name);
            Assert.That(rows.Skip(1).All(r => r.Count == table.Columns.Count), table.Name);
        }
        var organs = ParseCsv((await GetTextAsync($"{Mine}/open-data/organs.csv")).Text);
        var competences = ParseCsv((await GetTextAsync($"{Mine}/open-data/competences.csv")).Text);
        var citations = ParseCsv((await GetTextAsync($"{Mine}/open-data/citations.csv")).Text);
        var contacts = ParseCsv((await GetTextAsync($"{Mine}/open-data/contacts.csv")).Text);
        Assert.That(organs[1][..4], Is.EqualTo(new[] { "dados-abertos", _organ.ToString(), "obras", "Secretaria de Obras, \"Viação\" e Urbanismo" }));
        Assert.That(organs[1][organs[0].IndexOf("head_name")], Is.EqualTo("Maria Souza"));
        Assert.That(organs[1][organs[0].IndexOf("revision")], Is.EqualTo("2"));
        Assert.That(competences[1][competences[0].IndexOf("text")], Is.EqualTo("executar obras públicas;\nmanter vias"));
        Assert.That(citations.Skip(1).Select(r => $"{r[citations[0].IndexOf("role")]}:{r[citations[0].IndexOf("article")]}"), Is.EquivalentTo(new[] { "structures:", "competence:3" }));
        Assert.That(contacts.Skip(1).Select(r => r[contacts[0].IndexOf("channel")]), Is.EqualTo(new[] { "address", "phone", "email" }));
        var hours = JsonNode.Parse(contacts[1][contacts[0].IndexOf("opening_hours_specification")])!;
        Assert.That(hours[0]!["opens"]!.GetValue<string>(), Is.EqualTo("08:00"));
    }

    [Test]
    public async Task Ndjson_has_one_object_a_line_keyed_by_the_csv_columns()
    {
        var (response, text) = await GetTextAsync($"{Mine}/open-data/competences.ndjson");

        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/x-ndjson"));
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.That(lines, Has.Count.EqualTo(1));
        Assert.That(lines[0].Select(p => p.Key), Is.EqualTo(DataDictionary.Find("competences")!.Columns.Select(c => c.Name)));
        Assert.That(lines[0]["position"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(lines[0]["performed_by_id"], Is.Null);
    }

    [Test]
    public async Task The_zip_holds_every_table_the_dictionary_and_the_dataset_and_is_the_same_bytes_each_time()
    {
        using var first = await Client.GetAsync($"{Mine}/open-data.zip");
        var bytes = await first.Content.ReadAsByteArrayAsync();
        var again = await (await Client.GetAsync($"{Mine}/open-data.zip")).Content.ReadAsByteArrayAsync();

        Assert.That(first.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/zip"));
        using var zip = new ZipArchive(new MemoryStream(bytes));
        Assert.That(zip.Entries.Select(e => e.FullName), Is.EqualTo(DataDictionary.Tables.Select(t => $"{t.Name}.csv").Append("dictionary.json").Append("dataset.jsonld")));
        using var organs = new StreamReader(zip.GetEntry("organs.csv")!.Open());
        Assert.That(await organs.ReadToEndAsync(), Is.EqualTo((await GetTextAsync($"{Mine}/open-data/organs.csv")).Text));
        Assert.That(again, Is.EqualTo(bytes), "the ETag is strong: the same content gives the same bytes");
    }

    [Test]
    public async Task If_none_match_answers_304_until_the_institution_publishes_again()
    {
        using var first = await Client.GetAsync($"{Mine}/open-data/organs.csv");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Mine}/open-data/organs.csv");
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var notModified = await Client.SendAsync(request);
        var zip = await Client.GetAsync($"{Mine}/open-data.zip");

        var institution = (await GetJsonAsync(Mine))["id"]!.GetValue<Guid>();
        await Content.ResourceAsync(institution, LegalBasisModule.TypeName, "decreto-1-2020", [TestContent.Law("decreto-1-2020", "1", 2020, "Decreto nº 1/2020")], publish: 1);
        using var after = new HttpRequestMessage(HttpMethod.Get, $"{Mine}/open-data/organs.csv");
        after.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var changed = await Client.SendAsync(after);

        Assert.That(notModified.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        Assert.That(await notModified.Content.ReadAsByteArrayAsync(), Is.Empty);
        Assert.That(zip.Headers.ETag, Is.Not.EqualTo(first.Headers.ETag), "each file has its own ETag");
        Assert.That(changed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task At_an_instant_the_export_shows_what_was_published_then()
    {
        var at = Uri.EscapeDataString(_beforeEdit.ToString("O"));
        var then = ParseCsv((await GetTextAsync($"{Mine}/open-data/organs.csv?at={at}")).Text);
        var beforeAnything = ParseCsv((await GetTextAsync($"{Mine}/open-data/organs.csv?at=2000-01-01T00:00:00Z")).Text);
        var (future, problem) = await GetTextAsync($"{Mine}/open-data/organs.csv?at={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(1).ToString("O"))}");

        Assert.That(then[1][then[0].IndexOf("head_name")], Is.EqualTo("José Araújo"));
        Assert.That(then[1][then[0].IndexOf("revision")], Is.EqualTo("1"));
        Assert.That(beforeAnything, Has.Count.EqualTo(1), "only the header");
        Assert.That(future.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem, Does.Contain("in the future"));
    }

    [Test]
    public async Task The_national_export_has_every_institution_and_uf_keeps_one_state()
    {
        var all = ParseCsv((await GetTextAsync("/api/v1/open-data/organs.csv")).Text).Skip(1).Select(r => r[0]).Distinct().ToList();
        var south = ParseCsv((await GetTextAsync("/api/v1/open-data/organs.csv?uf=SC")).Text).Skip(1).Select(r => r[0]).Distinct().ToList();
        using var zip = await Client.GetAsync("/api/v1/open-data.zip?uf=RS");
        using var archive = new ZipArchive(await zip.Content.ReadAsStreamAsync());
        using var bad = await Client.GetAsync("/api/v1/open-data/organs.csv?uf=XX");

        Assert.That(all, Does.Contain("dados-abertos").And.Contain("dados-outro-estado").And.Contain("amostra"));
        Assert.That(south, Is.EqualTo(new[] { "dados-outro-estado" }));
        Assert.That(zip.Content.Headers.ContentDisposition!.FileName, Is.EqualTo("brasil-rs.zip"));
        Assert.That(archive.GetEntry("dataset.jsonld"), Is.Null);
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task The_dictionary_documents_every_column_and_the_dcat_dataset_links_every_file()
    {
        var dictionary = (await GetJsonAsync("/api/v1/open-data/dictionary")).AsArray();
        var dataset = await GetJsonAsync($"{Mine}/open-data/dataset.jsonld");

        Assert.That(dictionary.Select(t => t!["name"]!.GetValue<string>()), Is.EqualTo(new[] { "organs", "competences", "citations", "legal-bases", "contacts" }));
        Assert.That(dictionary.SelectMany(t => t!["columns"]!.AsArray()).All(c => c!["description"]!.GetValue<string>().Length > 0));
        Assert.That(dataset["@type"]!.GetValue<string>(), Is.EqualTo("dcat:Dataset"));
        Assert.That(dataset["dct:publisher"]!["foaf:name"]!.GetValue<string>(), Is.EqualTo("Prefeitura de dados-abertos"));
        Assert.That(dataset["dct:license"]!["@id"]!.GetValue<string>(), Is.EqualTo(Dataset.License));
        var distributions = dataset["dcat:distribution"]!.AsArray();
        Assert.That(distributions, Has.Count.EqualTo(2 * DataDictionary.Tables.Count + 2), "CSV and NDJSON of each table, organs as JSON-LD, the zip");
        foreach (var distribution in distributions)
        {
            using var download = await Client.GetAsync(new Uri(distribution!["dcat:downloadURL"]!["@id"]!.GetValue<string>()).PathAndQuery);
            Assert.That(download.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(download.Content.Headers.ContentType!.MediaType, Is.EqualTo(distribution["dcat:mediaType"]!.GetValue<string>()));
        }
    }

    [Test]
    public async Task An_unknown_table_or_institution_is_404_naming_what_exists()
    {
        var (table, text) = await GetTextAsync($"{Mine}/open-data/pessoas.csv");
        var (institution, _) = await GetTextAsync("/api/v1/institutions/nao-existe/open-data.zip");

        Assert.That(table.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(text, Does.Contain("organs, competences, citations, legal-bases, contacts"));
        Assert.That(institution.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
