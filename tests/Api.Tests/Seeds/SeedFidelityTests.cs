using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Paco.Api.Seeding;

namespace Paco.Api.Tests.Seeds;

/// <summary>
/// The product owner's requirement: "A test checks, from the source texts, that every numbered or listed item in
/// them is served by the API." Each source file is parsed here on its own terms, independently of the JSON seeds;
/// only the corrections come from the served organ (source.corrections), so a silent edit is caught.
/// </summary>
public sealed class SeedFidelityTests : ApiFixture
{
    private const string Amostra = "/api/v1/institutions/amostra/organs/";
    private const string Cogemas = "/api/v1/institutions/cogemas-mg/organs/";

    private const string Source000 = "000_4c1bae6390735141.txt";
    private const string Source001 = "001_b09515118379821b.txt";
    private const string Source002 = "002_b7158be556a81603.txt";
    private const string Source003 = "003_4079b1d383ac05af.txt";
    private const string Source004 = "004_9ad5926d389d57a2.txt";

    private static readonly string[] Roman =
    [
        "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX", "XXI", "XXII",
    ];

    [Test]
    public async Task Source_000_items_I_to_V_of_both_copies_are_served_as_the_competences_of_trabalho_e_assistencia_social()
    {
        var lines = SeedSources.Lines(Source000);
        var missao = RomanDashItems(LineAfterHeading(lines, "Missão", Source000));
        var funcoes = RomanDashItems(LineAfterHeading(lines, "Funções", Source000));

        Assert.That(missao.Select(i => i.Label), Is.EqualTo(Roman[..5]), $"{Source000}: the 'Missão' copy lists I–V");
        Assert.That(funcoes, Is.EqualTo(missao), $"{Source000}: the 'Funções' copy is the same list as the 'Missão' copy");

        var organ = await GetJsonAsync(Amostra + "secretaria-de-trabalho-e-assistencia-social");
        await AssertServedAsync(organ, Source000 + " (Missão)", "competences", missao, 5);
        await AssertServedAsync(organ, Source000 + " (Funções)", "competences", funcoes, 5);
        AssertGroupsAre(organ, ("competences", 5));
        AssertNamesSource(organ, Source000);
    }

    [Test]
    public async Task Source_001_items_I_to_XXII_are_served_as_the_labelled_competences_of_the_gabinete()
    {
        var items = RomanSpaceItems(SeedSources.Lines(Source001));

        Assert.That(items.Select(i => i.Label), Is.EqualTo(Roman), $"{Source001}: items I–XXII, in order");
        Assert.That(items.Single(i => i.Label == "XV").Text, Does.EndWith("um dos requisitos para a promoção na carreira;"),
            $"{Source001}: item XV continues on the next line");

        var organ = await GetJsonAsync(Amostra + "gabinete-do-prefeito");
        await AssertServedAsync(organ, Source001, "competences", items, 22);
        AssertGroupsAre(organ, ("competences", 22));
        AssertNamesSource(organ, Source001);
    }

    [Test]
    public async Task Source_002_values_are_served_as_exactly_seven_distinct_values_of_saude()
    {
        var lines = SeedSources.Lines(Source002);
        var valueLines = Between(lines, "Valores", "Propósito", Source002);
        var distinct = valueLines.Select(v => v.TrimEnd('.')).Distinct().ToList();

        Assert.That(valueLines, Has.Count.EqualTo(13), $"{Source002}: the values are listed twice, 6 with a final period and 7 without");
        Assert.That(distinct, Has.Count.EqualTo(7), $"{Source002}: 7 distinct values once the final period is ignored");

        var organ = await GetJsonAsync(Amostra + "secretaria-de-saude");
        var values = await GetJsonAsync(Amostra + "secretaria-de-saude/values");
        var corrections = Corrections(organ);
        var expected = distinct.Select(v => Correct(v, corrections)).ToList();
        var served = values["items"]!.AsArray().Select(v => v!.GetValue<string>()).ToList();
        var inOrgan = organ["values"]!.AsArray().Select(v => v!.GetValue<string>()).ToList();
        using (Assert.EnterMultipleScope())
        {
            foreach (var value in expected)
            {
                Assert.That(served, Does.Contain(value), $"{Source002}: value \"{value}\" is not served by secretaria-de-saude/values");
            }
            Assert.That(served, Is.EqualTo(expected), "the values, in order of first appearance, and nothing else");
            Assert.That(served, Is.Unique);
            Assert.That(inOrgan, Is.EqualTo(served), "the organ document and /values agree");
        }
        AssertNamesSource(organ, Source002);
    }

    [Test]
    public async Task Source_002_attributions_are_served_as_the_competences_and_head_attributions_of_saude()
    {
        var lines = SeedSources.Lines(Source002);
        var secretaria = Between(lines, "Atribuições da Secretaria", "Atribuições do Gestor", Source002).Select(t => new SourceItem(null, t)).ToList();
        var gestor = Between(lines, "Atribuições do Gestor", null, Source002).Select(t => new SourceItem(null, t)).ToList();

        var organ = await GetJsonAsync(Amostra + "secretaria-de-saude");
        await AssertServedAsync(organ, Source002 + " (Atribuições da Secretaria)", "competences", secretaria, 9);
        await AssertServedAsync(organ, Source002 + " (Atribuições do Gestor)", "headAttributions", gestor, 4);
        AssertGroupsAre(organ, ("competences", 9), ("headAttributions", 4));
        AssertNamesSource(organ, Source002);
        foreach (var child in new[] { "nucleo-de-vigilancia-sanitaria", "nucleo-de-vigilancia-em-saude", "divisao-de-controle-regulacao-e-avaliacao", "nucleo-municipal-de-auditoria-assistencial" })
        {
            var unit = await GetJsonAsync(Amostra + child);
            AssertNamesSource(unit, Source002);
            AssertGroupsAre(unit);
        }
    }

    [Test]
    public async Task Source_003_sentence_after_compete_is_served_as_the_21_competences_of_planejamento()
    {
        var line = SeedSources.Lines(Source003).First(l => l.Contains("compete:", StringComparison.Ordinal));
        var sentence = line[(line.IndexOf("compete:", StringComparison.Ordinal) + "compete:".Length)..];
        var items = Regex.Split(sentence, "(?<=;)").Select(Normalize).Where(t => t.Length > 0).Select(t => new SourceItem(null, t)).ToList();

        Assert.That(items[^1].Text, Does.EndWith("pelo Prefeito."), $"{Source003}: the last item ends the sentence");

        var organ = await GetJsonAsync(Amostra + "secretaria-de-planejamento-gestao-e-governanca");
        await AssertServedAsync(organ, Source003, "competences", items, 21);
        AssertGroupsAre(organ, ("competences", 21));
        AssertNamesSource(organ, Source003);
    }

    [Test]
    public async Task Source_004_bullets_are_served_as_the_aims_and_actions_of_cogemas()
    {
        var (aims, actions) = DashBullets(SeedSources.Lines(Source004));

        var organ = await GetJsonAsync(Cogemas + "cogemas-mg");
        await AssertServedAsync(organ, Source004 + " (finalidades)", "aims", aims, 4);
        await AssertServedAsync(organ, Source004 + " (se propõe a)", "actions", actions, 6);
        AssertGroupsAre(organ, ("aims", 4), ("actions", 6));
        AssertNamesSource(organ, Source004);
    }

    [Test]
    public async Task Every_served_organ_names_source_files_that_exist_in_the_repository()
    {
        foreach (var institution in new[] { "amostra", "cogemas-mg" })
        {
            var list = await GetJsonAsync($"/api/v1/institutions/{institution}/organs?pageSize=100");
            Assert.That(list["items"]!.AsArray(), Is.Not.Empty, institution);
            foreach (var item in list["items"]!.AsArray())
            {
                var slug = item!["slug"]!.GetValue<string>();
                var organ = await GetJsonAsync($"/api/v1/institutions/{institution}/organs/{slug}");
                var files = organ["source"]?["files"]?.AsArray().Select(f => f!.GetValue<string>()).ToList() ?? [];
                Assert.That(files, Is.Not.Empty, $"{institution}/{slug} names no source file");
                foreach (var file in files)
                {
                    Assert.That(file, Does.StartWith("seeds/sources/"), $"{institution}/{slug}: source file path relative to the repository");
                    Assert.That(File.Exists(Path.Combine(SeedSources.RepositoryRoot, file)), Is.True, $"{institution}/{slug} names {file}, which is not in the repository");
                }
            }
        }
    }

    [Test]
    public async Task Every_served_correction_fixes_text_that_occurs_in_its_source()
    {
        foreach (var (url, file) in new[]
                 {
                     (Amostra + "secretaria-de-trabalho-e-assistencia-social", Source000), (Amostra + "gabinete-do-prefeito", Source001),
                     (Cogemas + "cogemas-mg", Source004),
                 })
        {
            var organ = await GetJsonAsync(url);
            var corrections = Corrections(organ);
            var source = Normalize(File.ReadAllText(SeedSources.PathOf(file)));
            Assert.That(corrections, Is.Not.Empty, $"{url} records its corrections");
            foreach (var (original, corrected) in corrections)
            {
                Assert.That(source, Does.Contain(original), $"{file}: correction '{original}' → '{corrected}' does not match the source text");
                Assert.That(ServedContent(organ), Does.Not.Contain(original), $"{url} still serves the uncorrected '{original}'");
            }
        }
    }

    /// <summary>What the organ says (name, statements, values, competence texts), without its provenance notes.</summary>
    private static string ServedContent(JsonNode organ) => string.Join("\n",
        new[] { organ["name"]?.GetValue<string>() }
            .Concat(organ["statements"]!.AsObject().Select(s => s.Value?.GetValue<string>()))
            .Concat(organ["values"]!.AsArray().Select(v => v!.GetValue<string>()))
            .Concat(organ["competences"]!.AsArray().Select(c => c!["text"]!.GetValue<string>()))
            .OfType<string>());

    // ---- Served side ----------------------------------------------------------------------------------------------

    /// <summary>
    /// Asserts that each source item, with the organ's recorded corrections applied, is served exactly as the text of
    /// a competence of <paramref name="group"/>, with the same label when the source has one, in source order.
    /// </summary>
    private async Task AssertServedAsync(JsonNode organ, string source, string group, IReadOnlyList<SourceItem> items, int expectedCount)
    {
        var slug = organ["slug"]!.GetValue<string>();
        var institution = organ["institution"]!["slug"]!.GetValue<string>();
        var corrections = Corrections(organ);
        var list = await GetJsonAsync($"/api/v1/institutions/{institution}/organs/{slug}/competences?group={group}");
        var served = list["items"]!.AsArray().Select(c => new
        {
            Label = c!["label"]?.GetValue<string>(),
            Text = c["text"]!.GetValue<string>(),
            Group = c["group"]!.GetValue<string>(),
        }).ToList();
        var expected = items.Select(i => i with { Text = Correct(i.Text, corrections) }).ToList();

        Assert.That(items, Has.Count.EqualTo(expectedCount), $"{source}: the parser found {items.Count} items, expected {expectedCount}");
        using (Assert.EnterMultipleScope())
        {
            for (var index = 0; index < expected.Count; index++)
            {
                var item = expected[index];
                var name = item.Label ?? $"#{index + 1}";
                var match = served.FirstOrDefault(c => c.Text == item.Text);
                Assert.That(match, Is.Not.Null,
                    $"{source} item {name} is not served by {slug} in group '{group}': \"{item.Text}\"{Nearest(item.Text, served.Select(s => s.Text))}");
                if (match is not null && item.Label is not null)
                {
                    Assert.That(match.Label, Is.EqualTo(item.Label), $"{source} item {name} is served by {slug} with another label: \"{item.Text}\"");
                }
            }
            Assert.That(served.Select(c => c.Group), Is.All.EqualTo(group), $"{slug}?group={group} answers only that group");
            Assert.That(served, Has.Count.EqualTo(expectedCount), $"{slug} serves {served.Count} items in group '{group}', the source has {expectedCount}");
            Assert.That(served.Select(c => c.Text), Is.EqualTo(expected.Select(i => i.Text)), $"{slug} group '{group}': the source items, in source order");
            if (expected.Any(i => i.Label is not null))
            {
                Assert.That(served.Select(c => c.Label), Is.EqualTo(expected.Select(i => i.Label)), $"{slug} group '{group}': labels as in the source");
            }
        }
    }

    /// <summary>The organ serves exactly these groups with these counts (nothing outside what the source lists).</summary>
    private static void AssertGroupsAre(JsonNode organ, params (string Group, int Count)[] groups)
    {
        var counts = organ["competences"]!.AsArray().GroupBy(c => c!["group"]!.GetValue<string>()).ToDictionary(g => g.Key, g => g.Count());
        Assert.That(counts, Is.EquivalentTo(groups.ToDictionary(g => g.Group, g => g.Count)),
            $"{organ["slug"]}: competences per group");
    }

    private static void AssertNamesSource(JsonNode organ, string file)
    {
        var files = organ["source"]?["files"]?.AsArray().Select(f => f!.GetValue<string>()).ToList() ?? [];
        Assert.That(files, Does.Contain($"seeds/sources/{file}"), $"{organ["slug"]} names its source file");
        Assert.That(File.Exists(SeedSources.PathOf(file)), Is.True, $"{file} is in the repository");
    }

    private static List<(string Original, string Corrected)> Corrections(JsonNode organ) =>
        organ["source"]?["corrections"]?.AsArray()
            .Select(c => (c!["original"]!.GetValue<string>(), c["corrected"]!.GetValue<string>()))
            .ToList() ?? [];

    private static string Correct(string text, IEnumerable<(string Original, string Corrected)> corrections) =>
        corrections.Aggregate(text, (current, c) => current.Replace(c.Original, c.Corrected, StringComparison.Ordinal));

    private static string Nearest(string text, IEnumerable<string> served)
    {
        var prefix = text.Length > 25 ? text[..25] : text;
        var near = served.FirstOrDefault(s => s.StartsWith(prefix, StringComparison.Ordinal));
        return near is null ? " (nothing served starts like it)" : $"; served instead: \"{near}\"";
    }

    // ---- Source side: one parser per file shape -------------------------------------------------------------------

    private sealed record SourceItem(string? Label, string Text);

    private static string Normalize(string text) => Regex.Replace(text, @"\s+", " ").Trim();

    private static string LineAfterHeading(IReadOnlyList<string> lines, string heading, string file)
    {
        var index = lines.ToList().FindIndex(l => Normalize(l) == heading);
        Assert.That(index, Is.GreaterThanOrEqualTo(0), $"{file}: heading '{heading}' not found");
        return lines.Skip(index + 1).First(l => !string.IsNullOrWhiteSpace(l));
    }

    /// <summary>000: "… 473/99: I- planejar …; II- incentivar …; … V- promover …;" — each item runs to the next "N-" label.</summary>
    private static List<SourceItem> RomanDashItems(string line) =>
        Regex.Matches(line, @"(?<![\p{L}\p{N}])(?<label>[IVXLC]+)-\s*(?<text>.+?)(?=\s+[IVXLC]+-\s|\s*$)")
            .Select(m => new SourceItem(m.Groups["label"].Value, Normalize(m.Groups["text"].Value)))
            .ToList();

    /// <summary>001: lines starting "I ", "II " …; a line that does not start with a numeral continues the item before it.</summary>
    private static List<SourceItem> RomanSpaceItems(IReadOnlyList<string> lines)
    {
        var items = new List<SourceItem>();
        foreach (var line in lines)
        {
            var match = Regex.Match(line, @"^(?<label>[IVXLC]+) (?<text>\S.*)$");
            if (match.Success)
            {
                items.Add(new SourceItem(match.Groups["label"].Value, Normalize(match.Groups["text"].Value)));
            }
            else if (items.Count > 0 && !string.IsNullOrWhiteSpace(line))
            {
                items[^1] = items[^1] with { Text = Normalize(items[^1].Text + " " + line) };
            }
        }
        return items;
    }

    /// <summary>002: the non-blank lines (blank includes the non-breaking-space lines) between two headings.</summary>
    private static List<string> Between(IReadOnlyList<string> lines, string from, string? to, string file)
    {
        var all = lines.ToList();
        var start = all.FindIndex(l => Normalize(l) == from);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), $"{file}: heading '{from}' not found");
        var end = to is null ? all.Count : all.FindIndex(start + 1, l => Normalize(l) == to);
        Assert.That(end, Is.GreaterThan(start), $"{file}: heading '{to}' not found after '{from}'");
        return all.Skip(start + 1).Take(end - start - 1).Select(Normalize).Where(l => l.Length > 0).ToList();
    }

    /// <summary>004: "-" bullets wrapped over lines up to the next blank line or bullet; the ones after "se propõe a:" are actions.</summary>
    private static (List<SourceItem> Aims, List<SourceItem> Actions) DashBullets(IReadOnlyList<string> lines)
    {
        var aims = new List<SourceItem>();
        var actions = new List<SourceItem>();
        var current = aims;
        var open = false;
        foreach (var line in lines)
        {
            var bullet = Regex.Match(line, @"^\s*-\s+(?<text>.*)$");
            if (bullet.Success)
            {
                current.Add(new SourceItem(null, Normalize(bullet.Groups["text"].Value)));
                open = true;
            }
            else if (string.IsNullOrWhiteSpace(line))
            {
                open = false;
            }
            else if (open)
            {
                current[^1] = current[^1] with { Text = Normalize(current[^1].Text + " " + line) };
            }
            else if (line.Contains("se propõe a:", StringComparison.Ordinal))
            {
                current = actions;
            }
        }
        return (aims, actions);
    }
}

/// <summary>Importing the seeds once more, as every restart does, changes nothing.</summary>
public sealed class SeedReimportTests : ApiFixture
{
    [Test]
    public async Task Importing_the_seeds_again_is_a_no_op()
    {
        var revisionsBefore = await QueryScalarAsync<long>("select count(*) from revisions");
        using var before = await Client.GetAsync("/api/v1/institutions/amostra/organs/gabinete-do-prefeito");

        int imported;
        await using (var scope = Factory.Services.CreateAsyncScope())
        {
            imported = await scope.ServiceProvider.GetRequiredService<SeedImporter>().ImportDirectoryAsync(SeedImporter.DefaultDirectory);
        }

        Assert.That(imported, Is.Zero, "no seed file is applied twice");
        Assert.That(await QueryScalarAsync<long>("select count(*) from revisions"), Is.EqualTo(revisionsBefore));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/institutions/amostra/organs/gabinete-do-prefeito");
        request.Headers.IfNoneMatch.Add(before.Headers.ETag!);
        using var after = await Client.SendAsync(request);
        Assert.That(after.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.NotModified), "the served organ did not change");
    }
}

/// <summary>A seed file edited after its first import never overwrites content that already exists.</summary>
public sealed class SeedChangedFileTests : ApiFixture
{
    private string _directory = "";

    [SetUp]
    public void CreateDirectory()
    {
        _directory = Path.Combine(Path.GetTempPath(), "paco-seed-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_directory);
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task A_changed_seed_file_does_not_overwrite_an_organ_that_already_exists()
    {
        const string Gabinete = "/api/v1/institutions/amostra/organs/gabinete-do-prefeito";
        var seed = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(SeedSources.RepositoryRoot, "seeds", "sample-municipality.json")))!;
        var organ = seed["organs"]!.AsArray().Single(o => o!["slug"]!.GetValue<string>() == "gabinete-do-prefeito")!;
        var originalText = organ["competences"]![0]!["text"]!.GetValue<string>();
        organ["name"] = "Gabinete alterado no arquivo";
        organ["competences"]![0]!["text"] = "Texto alterado no arquivo de sementes;";
        await File.WriteAllTextAsync(Path.Combine(_directory, "sample-municipality.json"), seed.ToJsonString());
        using var before = await Client.GetAsync(Gabinete);
        var revisionsBefore = await QueryScalarAsync<long>("select count(*) from revisions");

        int imported;
        await using (var scope = Factory.Services.CreateAsyncScope())
        {
            imported = await scope.ServiceProvider.GetRequiredService<SeedImporter>().ImportDirectoryAsync(_directory);
        }

        Assert.That(imported, Is.EqualTo(1), "the changed file is read (its content differs from the one applied)");
        Assert.That(await QueryScalarAsync<long>("select count(*) from revisions"), Is.EqualTo(revisionsBefore), "no revision was appended anywhere");
        var history = await GetJsonAsync(Gabinete + "/revisions");
        Assert.That(history["total"]!.GetValue<int>(), Is.EqualTo(1), "the organ still has only its first revision");
        using var after = await Client.GetAsync(Gabinete);
        Assert.That(after.Headers.ETag, Is.EqualTo(before.Headers.ETag));
        var served = await ReadJsonAsync(after);
        Assert.That(served["name"]!.GetValue<string>(), Is.EqualTo("Gabinete do Prefeito"));
        Assert.That(served["competences"]![0]!["text"]!.GetValue<string>(), Is.EqualTo(originalText));
        Assert.That(served["revision"]!["number"]!.GetValue<int>(), Is.EqualTo(1));
    }
}

/// <summary>The repository's seed sources, found by walking up from the test directory to the folder holding Api.sln.</summary>
internal static class SeedSources
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Api.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No folder containing Api.sln above {TestContext.CurrentContext.TestDirectory}.");
    });

    public static string RepositoryRoot => Root.Value;

    public static string PathOf(string sourceFile) => Path.Combine(RepositoryRoot, "seeds", "sources", sourceFile);

    public static IReadOnlyList<string> Lines(string sourceFile)
    {
        var path = PathOf(sourceFile);
        Assert.That(File.Exists(path), Is.True, $"source file {path} is missing");
        return File.ReadAllText(path).Split('\n').Select(l => l.TrimEnd('\r')).ToList();
    }
}
