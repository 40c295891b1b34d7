using System.Text.RegularExpressions;

namespace Paco.Api.Tests.Architecture;

/// <summary>The shape the code promises (README, Layout): an engine that knows no concrete type, and a Common that knows no feature.</summary>
public sealed class DependencyTests
{
    private static IEnumerable<(string File, int Line, string Text)> Lines(string folder) =>
        Directory.GetFiles(Repository.PathOf("src", "Api", folder), "*.cs", SearchOption.AllDirectories)
            .SelectMany(file => File.ReadLines(file).Select((text, i) => (Path.GetRelativePath(Repository.Root, file), i + 1, text)))
            .Where(l => !l.Item3.TrimStart().StartsWith("//", StringComparison.Ordinal));

    [Test]
    public void The_versioning_engine_names_no_concrete_resource_type()
    {
        var concrete = new Regex(@"\b(Organs?|LegalBas[ei]s\w*|Organ[A-Z]\w*|LegalBasis\w*|Competences?|Citations?)\b|Paco\.Api\.(Organs|LegalBases)");
        var offending = Lines("Revisions").Where(l => concrete.IsMatch(l.Text)).Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}").ToList();

        Assert.That(offending, Is.Empty, "the engine asks each type's module; it never names one");
    }

    [Test]
    public void Common_depends_on_no_feature()
    {
        var feature = new Regex(@"\b(Paco\.Api\.)?(Organs|LegalBases|Institutions|Revisions|Auth|Audit|Data|Seeding|Health|Documentation|Benchmark)\.[A-Z]");
        var offending = Lines("Common").Where(l => feature.IsMatch(l.Text)).Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}").ToList();

        Assert.That(offending, Is.Empty, "Common is what every feature may use; it uses none of them");
    }

    [Test]
    public void Legal_bases_depend_on_nothing_of_organs()
    {
        // Organs cite legal bases (one way); a legal basis learns who cites it from the citations organs project.
        var organs = new Regex(@"Paco\.Api\.Organs|\bOrgans\.[A-Z]|\bOrgan(Module|Document|Response|Row|RenderData|Endpoints)\b|\b(Competence|Citation)Response\b");
        var offending = Lines("LegalBases").Where(l => organs.IsMatch(l.Text)).Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}").ToList();

        Assert.That(offending, Is.Empty);
    }
}
