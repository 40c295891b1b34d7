using System.Text.Json.Nodes;
using Paco.Api.Import;

namespace Paco.Api.Tests.Import;

/// <summary>
/// The issue's measure: importing each of the five seed texts, with no manual edit, reproduces the hand-made items of
/// seeds/*.json (organ names, kinds, parents, acronyms, statements, values, competence texts with labels and groups,
/// performers, citations, legal bases and their links), compared item by item; precision and recall are printed.
/// </summary>
public sealed class SeedImportTests
{
    private static readonly (string Source, string SeedFile, string Institution)[] Seeds =
    [
        ("000_4c1bae6390735141.txt", "sample-municipality.json", "amostra"),
        ("001_b09515118379821b.txt", "sample-municipality.json", "amostra"),
        ("002_b7158be556a81603.txt", "sample-municipality.json", "amostra"),
        ("003_4079b1d383ac05af.txt", "sample-municipality.json", "amostra"),
        ("004_9ad5926d389d57a2.txt", "cogemas-mg.json", "cogemas-mg"),
    ];

    [TestCaseSource(nameof(Seeds))]
    public void Importing_a_seed_text_reproduces_its_hand_made_items((string Source, string SeedFile, string Institution) seed)
    {
        var expected = SeedItems.Expected(seed.Source, seed.SeedFile);
        var proposal = SeedItems.Propose(seed.Source, seed.SeedFile);
        var predicted = SeedItems.Of(proposal);

        var hits = predicted.Intersect(expected).Count();
        var precision = predicted.Count == 0 ? 0 : (double)hits / predicted.Count;
        var recall = expected.Count == 0 ? 0 : (double)hits / expected.Count;
        TestContext.Out.WriteLine($"seed {seed.Source[..3]}: precision {precision:P1} ({hits}/{predicted.Count}), recall {recall:P1} ({hits}/{expected.Count})");
        foreach (var missing in expected.Except(predicted))
        {
            TestContext.Out.WriteLine($"  missing: {missing}");
        }
        foreach (var extra in predicted.Except(expected))
        {
            TestContext.Out.WriteLine($"  extra:   {extra}");
        }
        Assert.Multiple(() =>
        {
            Assert.That(precision, Is.GreaterThanOrEqualTo(0.95), "precision");
            Assert.That(recall, Is.GreaterThanOrEqualTo(0.95), "recall");
        });
    }
}

/// <summary>The items of a seed and of a proposal, in one vocabulary: names and titles instead of slugs.</summary>
internal static class SeedItems
{
    public static ImportProposal Propose(string source, string seedFile)
    {
        var institution = JsonNode.Parse(File.ReadAllText(Repository.PathOf("seeds", seedFile)))!["institution"]!;
        var existing = new ExistingContent(institution["slug"]!.GetValue<string>(), institution["name"]!.GetValue<string>(), institution["kind"]!.GetValue<string>(),
            institution["uf"]?.GetValue<string>(), institution["municipality"]?.GetValue<string>(), [], []);
        return Importer.Propose(File.ReadAllText(Repository.PathOf("seeds", "sources", source)), "text/plain", existing);
    }

    public static HashSet<string> Expected(string source, string seedFile)
    {
        var seed = JsonNode.Parse(File.ReadAllText(Repository.PathOf("seeds", seedFile)))!;
        var organs = seed["organs"]!.AsArray().Where(o => o!["source"]!["file"]!.GetValue<string>().EndsWith(source, StringComparison.Ordinal)).ToList();
        var allOrgans = seed["organs"]!.AsArray().ToDictionary(o => o!["slug"]!.GetValue<string>(), o => o!["name"]!.GetValue<string>());
        var legalBases = seed["legalBases"]!.AsArray().ToDictionary(l => l!["slug"]!.GetValue<string>(), l => l!);
        var items = new HashSet<string>();
        foreach (var organ in organs)
        {
            var name = organ!["name"]!.GetValue<string>();
            AddOrgan(items, name, organ["kind"]!.GetValue<string>(), organ["parent"]?.GetValue<string>() is { } parent ? allOrgans[parent] : null,
                organ["acronym"]?.GetValue<string>(), organ["statements"]!, organ["values"]!.AsArray().Select(v => v!.GetValue<string>()));
            foreach (var c in organ["competences"]!.AsArray())
            {
                var text = c!["text"]!.GetValue<string>();
                items.Add($"competence|{name}|{c["group"]}|{c["label"]}|{text}");
                if (c["performedBy"]?.GetValue<string>() is { } performer)
                {
                    items.Add($"performedBy|{name}|{text}|{allOrgans[performer]}");
                }
                foreach (var x in c["citations"]!.AsArray())
                {
                    var law = legalBases[x!["legalBasis"]!.GetValue<string>()];
                    items.Add($"citation|{name}|{text}|{law["title"]}|{x["article"]}|{x["paragraph"]}|{x["item"]}");
                }
            }
            foreach (var link in organ["legalBases"]!.AsArray())
            {
                var law = legalBases[link!["legalBasis"]!.GetValue<string>()];
                items.Add($"link|{name}|{law["title"]}|{link["role"]}");
                items.Add($"legalBasis|{law["title"]}|{law["kind"]}|{law["number"]}|{law["year"]}");
            }
        }
        return items;
    }

    public static HashSet<string> Of(ImportProposal proposal)
    {
        var laws = (proposal.LegalBasis is null ? proposal.CitedLegalBases : [proposal.LegalBasis, .. proposal.CitedLegalBases]).ToDictionary(l => l.Slug);
        var names = proposal.Organs.ToDictionary(o => o.Slug, o => o.Name);
        var items = new HashSet<string>();
        foreach (var organ in proposal.Organs)
        {
            var statements = new JsonObject
            {
                ["about"] = organ.Statements.About, ["mission"] = organ.Statements.Mission, ["vision"] = organ.Statements.Vision, ["purpose"] = organ.Statements.Purpose,
            };
            AddOrgan(items, organ.Name, organ.Kind, organ.Parent is null ? null : names[organ.Parent], organ.Acronym, statements, organ.Values);
            foreach (var c in organ.Competences)
            {
                items.Add($"competence|{organ.Name}|{c.Group}|{c.Label}|{c.Text}");
                if (c.PerformedBy is not null)
                {
                    items.Add($"performedBy|{organ.Name}|{c.Text}|{names[c.PerformedBy]}");
                }
                foreach (var x in c.Citations)
                {
                    items.Add($"citation|{organ.Name}|{c.Text}|{laws[x.LegalBasis].Title}|{x.Article}|{x.Paragraph}|{x.Item}");
                }
            }
            foreach (var link in organ.LegalBases)
            {
                var law = laws[link.LegalBasis];
                items.Add($"link|{organ.Name}|{law.Title}|{link.Role}");
                items.Add($"legalBasis|{law.Title}|{law.Kind}|{law.Number}|{law.Year}");
            }
        }
        return items;
    }

    private static void AddOrgan(HashSet<string> items, string name, string kind, string? parent, string? acronym, JsonNode statements, IEnumerable<string> values)
    {
        items.Add($"organ|{name}");
        items.Add($"kind|{name}|{kind}");
        if (parent is not null)
        {
            items.Add($"parent|{name}|{parent}");
        }
        if (acronym is not null)
        {
            items.Add($"acronym|{name}|{acronym}");
        }
        foreach (var field in new[] { "about", "mission", "vision", "purpose" })
        {
            if (statements[field]?.GetValue<string>() is { } text)
            {
                items.Add($"statement|{name}|{field}|{text}");
            }
        }
        foreach (var value in values)
        {
            items.Add($"value|{name}|{value}");
        }
    }
}
