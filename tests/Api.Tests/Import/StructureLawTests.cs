using Paco.Api.Import;

namespace Paco.Api.Tests.Import;

/// <summary>
/// Structure laws and pages written for these tests (Texts/), in the styles the issue lists: every organ (with its
/// parent), every competence (group, label, text) and its citation (article, paragraph, item) must be found, and
/// nothing else. Each text's expected items are in Texts/&lt;name&gt;.expected, written by hand from the text.
/// </summary>
public sealed class StructureLawTests
{
    private static string TextsFolder => Repository.PathOf("tests", "Api.Tests", "Import", "Texts");

    private static IEnumerable<string> HandWritten() =>
        Directory.GetFiles(TextsFolder).Where(f => f.EndsWith(".txt", StringComparison.Ordinal) && !f.EndsWith(".template.txt", StringComparison.Ordinal) || f.EndsWith(".html", StringComparison.Ordinal))
            .Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    [TestCaseSource(nameof(HandWritten))]
    public void Every_organ_competence_and_citation_of_a_structure_text_is_found(string file)
    {
        var proposal = Importer.Propose(File.ReadAllText(Path.Combine(TextsFolder, file)), file.EndsWith(".html", StringComparison.Ordinal) ? Importer.Html : Importer.PlainText,
            ExistingContent.Empty("exemplo"));
        var expected = File.ReadAllLines(Path.Combine(TextsFolder, Path.GetFileNameWithoutExtension(file) + ".expected"))
            .Where(l => l.Length > 0 && !l.StartsWith('#')).ToHashSet();

        var found = Items(proposal);

        Assert.Multiple(() =>
        {
            Assert.That(expected.Except(found), Is.Empty, "expected but not found");
            Assert.That(found.Except(expected), Is.Empty, "found but not in the text");
        });
    }

    [Test]
    public void A_structure_law_over_200_KB_is_found_whole()
    {
        var law = LargeLaw.Generate(210_000, Path.Combine(TextsFolder, "lei-grande.template.txt"));
        Assert.That(law.Text.Length, Is.GreaterThan(200_000));

        var proposal = Importer.Propose(law.Text, Importer.PlainText, ExistingContent.Empty("exemplo"));
        var names = proposal.Organs.ToDictionary(o => o.Slug, o => o.Name);
        var organs = proposal.Organs.Select(o => $"{o.Name}|{(o.Parent is null ? "" : names[o.Parent])}").ToHashSet();
        var competences = proposal.Organs.SelectMany(o => o.Competences.Select(c =>
            $"{o.Name}|{c.Group}|{c.Label}|{c.Citations.Single().Article}|{c.Citations.Single().Paragraph}|{c.Citations.Single().Item}|{c.Text}")).ToHashSet();

        TestContext.Out.WriteLine($"{law.Text.Length} characters: {proposal.Organs.Count} organs, {competences.Count} competences");
        Assert.Multiple(() =>
        {
            Assert.That(organs, Is.EquivalentTo(law.Organs));
            Assert.That(competences.Except(law.Competences), Is.Empty, "found but not written");
            Assert.That(law.Competences.Except(competences), Is.Empty, "written but not found");
            Assert.That(proposal.LegalBasis?.Title, Is.EqualTo("Lei Complementar nº 900, de 1 de julho de 2024"));
        });
    }

    /// <summary>The proposal as lines of the .expected format.</summary>
    public static HashSet<string> Items(ImportProposal proposal)
    {
        var names = proposal.Organs.ToDictionary(o => o.Slug, o => o.Name);
        var items = new HashSet<string>();
        foreach (var law in proposal.LegalBasis is null ? proposal.CitedLegalBases : [proposal.LegalBasis, .. proposal.CitedLegalBases])
        {
            items.Add($"legalBasis|{law.Slug}|{law.Kind}|{law.Number}|{law.Year}|{law.Date:yyyy-MM-dd}|{law.Title}");
        }
        foreach (var organ in proposal.Organs)
        {
            items.Add($"organ|{organ.Name}|{organ.Kind}|{(organ.Parent is null ? "" : names[organ.Parent])}");
            items.UnionWith(organ.Values.Select(v => $"value|{organ.Name}|{v}"));
            if (organ.Statements.Mission is { } mission)
            {
                items.Add($"mission|{organ.Name}|{mission}");
            }
            foreach (var c in organ.Competences)
            {
                var citation = c.Citations.SingleOrDefault();
                items.Add($"competence|{organ.Name}|{c.Group}|{c.Label}|{citation?.LegalBasis}|{citation?.Article}|{citation?.Paragraph}|{citation?.Item}|{c.AmendedBy}|{c.Text}");
            }
        }
        return items;
    }
}
