using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Paco.Api.Revisions;

namespace Paco.Api.Tests.Revisions;

/// <summary>
/// RevisionDiff is pure, so these tests need no database. Every case applies the patch with the small RFC 6902
/// applier below and checks that it turns the old document into exactly the new one.
/// </summary>
public sealed class RevisionDiffTests
{
    [Test]
    public void Diff_of_identical_documents_is_empty()
    {
        var result = Diff(Organ(), Organ());

        Assert.That(result.Patch, Is.Empty);
        Assert.That(result.Summary, Is.EqualTo(new[] { "no changes" }));
    }

    [Test]
    public void Diff_of_two_null_documents_is_empty_and_null_is_an_empty_object()
    {
        Assert.That(RevisionDiff.Compute(null, null).Summary, Is.EqualTo(new[] { "no changes" }));

        var result = Diff(null, new JsonObject { ["name"] = "Gabinete" });

        Assert.That(result.Patch, Is.EqualTo(new[] { new PatchOperation("add", "/name", null, result.Patch[0].Value) }));
        Assert.That(result.Summary, Is.EqualTo(new[] { "name added" }));
    }

    [Test]
    public void Changed_name_is_one_replace()
    {
        var from = Organ();
        var to = Organ();
        to["name"] = "Secretaria Municipal de Saúde e Bem-Estar";

        var result = Diff(from, to);

        Assert.That(Ops(result), Is.EqualTo(new[] { "replace /name \"Secretaria Municipal de Saúde e Bem-Estar\"" }));
        Assert.That(result.Summary, Is.EqualTo(new[] { "name changed" }));
    }

    [Test]
    public void Acronym_from_null_to_a_value_is_added_and_back_is_removed()
    {
        var from = Organ();
        var to = Organ();
        to["acronym"] = "SMS";

        var added = Diff(from, to);
        var removed = Diff(to, from);

        Assert.That(Ops(added), Is.EqualTo(new[] { "replace /acronym \"SMS\"" }));
        Assert.That(added.Summary, Is.EqualTo(new[] { "acronym added" }));
        Assert.That(Ops(removed), Is.EqualTo(new[] { "replace /acronym null" }));
        Assert.That(removed.Summary, Is.EqualTo(new[] { "acronym removed" }));
    }

    [Test]
    public void A_key_holding_null_differs_from_a_missing_key()
    {
        var from = Organ();
        var to = Organ();
        to.Remove("acronym");
        to.Remove("head");
        to["effective"] = "2024-01-01";
        from.Remove("effective");

        var result = Diff(from, to);

        Assert.That(Ops(result), Is.EqualTo(new[] { "remove /acronym", "remove /head", "add /effective \"2024-01-01\"" }));
        Assert.That(result.Summary, Is.EqualTo(new[] { "acronym changed", "head changed", "effective added" }));
        Assert.That(Diff(to, from).Patch.Select(op => op.Op + " " + op.Path), Is.EqualTo(new[] { "remove /effective", "add /acronym", "add /head" }));
    }

    [Test]
    public void Changed_competence_text_is_a_replace_inside_the_competence_and_the_summary_uses_its_label()
    {
        var from = Organ();
        var to = Organ();
        Competences(to)[2]!["text"] = "Texto novo";

        var result = Diff(from, to);

        Assert.That(Ops(result), Is.EqualTo(new[] { "replace /competences/2/text \"Texto novo\"" }));
        Assert.That(result.Summary, Is.EqualTo(new[] { "competence III text changed" }));
    }

    [Test]
    public void Competence_added_at_the_end_is_one_add_of_the_whole_object()
    {
        var from = Organ();
        var to = Organ();
        Competences(to).Add(Competence(23, "XXIII", "Nova competência"));

        var result = Diff(from, to);

        Assert.That(result.Patch, Has.Count.EqualTo(1));
        Assert.That(result.Patch[0].Op, Is.EqualTo("add"));
        Assert.That(result.Patch[0].Path, Is.EqualTo("/competences/4"));
        Assert.That(JsonNode.DeepEquals(result.Patch[0].Value, Competence(23, "XXIII", "Nova competência")), Is.True);
        Assert.That(result.Summary, Is.EqualTo(new[] { "competence XXIII added" }));
    }

    [Test]
    public void Competence_added_in_the_middle_is_an_add_at_its_index_without_touching_the_others()
    {
        var from = Organ();
        var to = Organ();
        Competences(to).Insert(1, Competence(9, "I-A", "Inserida"));

        var result = Diff(from, to);

        Assert.That(result.Patch.Select(op => op.Op + " " + op.Path), Is.EqualTo(new[] { "add /competences/1" }));
        Assert.That(result.Summary, Is.EqualTo(new[] { "competence I-A added" }));
    }

    [Test]
    public void Removed_competence_is_one_remove()
    {
        var from = Organ();
        var to = Organ();
        Competences(to).RemoveAt(1);

        var result = Diff(from, to);

        Assert.That(Ops(result), Is.EqualTo(new[] { "remove /competences/1" }));
        Assert.That(result.Summary, Is.EqualTo(new[] { "competence II removed" }));
    }

    [Test]
    public void Several_removed_competences_are_removed_from_the_highest_index_down()
    {
        var from = Organ();
        var to = Organ();
        Competences(to).RemoveAt(3);
        Competences(to).RemoveAt(0);

        var result = Diff(from, to);

        Assert.That(Ops(result), Is.EqualTo(new[] { "remove /competences/3", "remove /competences/0" }));
        Assert.That(result.Summary, Is.EqualTo(new[] { "competence I removed", "competence IV removed" }));
    }

    [Test]
    public void Swapped_competences_are_moves_not_text_replaces()
    {
        var from = Organ();
        var to = Organ();
        var list = Competences(to);
        var second = list[1]!.DeepClone();
        var fourth = list[3]!.DeepClone();
        list[1] = fourth;
        list[3] = second;

        var result = Diff(from, to);

        Assert.That(result.Patch.Select(op => op.Op), Is.All.EqualTo("move"));
        Assert.That(Ops(result), Is.EqualTo(new[] { "move /competences/3 -> /competences/1", "move /competences/2 -> /competences/3" }));
        Assert.That(result.Summary, Is.EqualTo(new[] { "competence IV moved from position 4 to 2", "competence II moved from position 2 to 4" }));
    }

    [Test]
    public void Competence_moved_to_the_front_is_a_single_move()
    {
        var from = Organ();
        var to = Organ();
        var list = Competences(to);
        var last = list[3]!.DeepClone();
        list.RemoveAt(3);
        list.Insert(0, last);

        var result = Diff(from, to);

        Assert.That(Ops(result), Is.EqualTo(new[] { "move /competences/3 -> /competences/0" }));
        Assert.That(result.Summary, Is.EqualTo(new[] { "competence IV moved from position 4 to 1" }));
    }

    [Test]
    public void Removal_insertion_and_edit_together_touch_only_what_changed()
    {
        var from = Organ();
        var to = Organ();
        var list = Competences(to);
        list.RemoveAt(1);
        list.Insert(2, Competence(5, "V", "Quinta"));
        list[3]!["text"] = "Quarta, revista";

        var result = Diff(from, to);

        Assert.That(result.Patch.Select(op => op.Op + " " + op.Path),
            Is.EqualTo(new[] { "remove /competences/1", "add /competences/2", "replace /competences/3/text" }));
        Assert.That(result.Summary, Is.EqualTo(new[] { "competence II removed", "competence V added", "competence IV text changed" }));
    }

    [Test]
    public void Changed_fields_of_a_competence_are_one_summary_line_each()
    {
        var from = Organ();
        var to = Organ();
        var first = Competences(to)[0]!;
        first["group"] = "attributions";
        first["citations"]!.AsArray().Add(new JsonObject { ["legalBasisId"] = LegalBasisId, ["article"] = "12", ["paragraph"] = null, ["item"] = null });
        first["performedById"] = "0b3d9f4e-6a1c-4e8b-9d2f-5c7a1e3b8d60";

        var result = Diff(from, to);

        Assert.That(result.Patch.Select(op => op.Op + " " + op.Path),
            Is.EqualTo(new[] { "replace /competences/0/group", "replace /competences/0/performedById", "replace /competences/0/citations" }));
        Assert.That(result.Summary, Is.EqualTo(new[]
        {
            "competence I group changed", "competence I performedById changed", "competence I citations changed",
        }));
    }

    [Test]
    public void Unlabelled_competences_are_named_by_position()
    {
        var from = Organ();
        foreach (var competence in Competences(from))
        {
            competence!["label"] = null;
        }

        var to = (JsonObject)from.DeepClone();
        Competences(to)[3]!["text"] = "Alterada";
        Competences(to).RemoveAt(1);
        Competences(to).Add(Competence(7, null, "Nova"));

        var result = Diff(from, to);

        Assert.That(result.Summary, Is.EqualTo(new[] { "competence #2 removed", "competence #3 text changed", "competence #4 added" }));
    }

    [Test]
    public void Changed_values_array_is_one_replace_of_the_whole_array()
    {
        var from = Organ();
        var to = Organ();
        to["values"]!.AsArray().Insert(0, "Humanização");

        var result = Diff(from, to);

        Assert.That(Ops(result), Is.EqualTo(new[] { "replace /values [\"Humanização\",\"Compromisso com a vida\",\"Ética e transparência\"]" }));
        Assert.That(result.Summary, Is.EqualTo(new[] { "values changed" }));
    }

    [Test]
    public void Arrays_of_objects_without_ids_are_replaced_whole()
    {
        var from = Organ();
        var to = Organ();
        to["legalBases"]!.AsArray().Add(new JsonObject { ["legalBasisId"] = "c1f0e2d3-0000-4000-8000-000000000002", ["role"] = "creates" });

        var result = Diff(from, to);

        Assert.That(result.Patch.Select(op => op.Op + " " + op.Path), Is.EqualTo(new[] { "replace /legalBases" }));
        Assert.That(result.Summary, Is.EqualTo(new[] { "legalBases changed" }));
    }

    [Test]
    public void Nested_statement_change_is_reported_with_a_dotted_path()
    {
        var from = Organ();
        var to = Organ();
        to["statements"]!["mission"] = "Nova missão";
        to["statements"]!["about"] = "Sobre a secretaria";

        var result = Diff(from, to);

        Assert.That(Ops(result), Is.EqualTo(new[] { "replace /statements/about \"Sobre a secretaria\"", "replace /statements/mission \"Nova missão\"" }));
        Assert.That(result.Summary, Is.EqualTo(new[] { "statements.about added", "statements.mission changed" }));
    }

    [Test]
    public void Whole_nested_object_appearing_or_disappearing_is_added_or_removed()
    {
        var from = Organ();
        var to = Organ();
        to["contact"] = new JsonObject { ["email"] = "saude@amostra.gov.br", ["phone"] = null };

        Assert.That(Diff(from, to).Summary, Is.EqualTo(new[] { "contact added" }));
        Assert.That(Diff(to, from).Summary, Is.EqualTo(new[] { "contact removed" }));
    }

    [Test]
    public void Keys_with_slash_or_tilde_are_escaped_in_pointers()
    {
        var from = new JsonObject { ["a/b"] = 1, ["m~n"] = new JsonObject { ["x/~y"] = "old" }, ["gone/~"] = true };
        var to = new JsonObject { ["a/b"] = 2, ["m~n"] = new JsonObject { ["x/~y"] = "new" }, ["~1"] = "literal" };

        var result = Diff(from, to);

        Assert.That(result.Patch.Select(op => op.Op + " " + op.Path),
            Is.EqualTo(new[] { "remove /gone~1~0", "replace /a~1b", "replace /m~0n/x~1~0y", "add /~01" }));
        Assert.That(result.Summary, Is.EqualTo(new[] { "gone/~ removed", "a/b changed", "m~n.x/~y changed", "~1 added" }));
    }

    [Test]
    public void Flat_legal_basis_documents_are_compared_field_by_field()
    {
        var from = JsonNode.Parse("""
            {"urn":"urn:lex:br;sp;amostra:municipal:lei:2019-05-10;1234","kind":"lei","number":"1234","year":2019,
             "title":"Lei nº 1.234/2019","summary":null,"publishedAt":"2019-05-10","url":null}
            """)!;
        var to = JsonNode.Parse("""
            {"urn":"urn:lex:br;sp;amostra:municipal:lei:2019-05-10;1234","kind":"lei","number":"1234","year":2019.0,
             "title":"Lei nº 1.234, de 10 de maio de 2019","summary":"Dispõe sobre a estrutura","publishedAt":"2019-05-10","url":"https://amostra.gov.br/leis/1234"}
            """)!;

        var result = Diff(from, to);

        Assert.That(result.Patch.Select(op => op.Op + " " + op.Path),
            Is.EqualTo(new[] { "replace /year", "replace /title", "replace /summary", "replace /url" }));
        Assert.That(result.Summary, Is.EqualTo(new[] { "year changed", "title changed", "summary added", "url added" }));
    }

    [Test]
    public void Inputs_are_not_modified_and_patch_values_are_detached_copies()
    {
        var from = Organ();
        var to = Organ();
        Competences(to).Add(Competence(23, "XXIII", "Nova"));
        to["name"] = "Outro nome";
        var fromText = from.ToJsonString();
        var toText = to.ToJsonString();

        var result = Diff(from, to);

        Assert.That(from.ToJsonString(), Is.EqualTo(fromText));
        Assert.That(to.ToJsonString(), Is.EqualTo(toText));
        Assert.That(result.Patch.Where(op => op.Value is not null).Select(op => op.Value!.Parent), Is.All.Null);
    }

    [Test]
    public void Random_competence_edits_round_trip_and_only_edited_texts_are_reported()
    {
        var random = new Random(20240611);
        var nextId = 100;
        var lineFormat = new Regex("^competence (?<name>.+) text changed$");
        for (var iteration = 0; iteration < 200; iteration++)
        {
            var from = Organ();
            var fromList = Competences(from);
            fromList.Clear();
            for (var k = random.Next(0, 12); k > 0; k--)
            {
                var id = nextId++;
                fromList.Add(Competence(id, random.Next(4) == 0 ? null : "L" + id, "texto " + random.Next()));
            }

            var to = (JsonObject)from.DeepClone();
            var toList = Competences(to);
            for (var i = toList.Count - 1; i >= 0; i--)
            {
                if (random.Next(5) == 0)
                {
                    toList.RemoveAt(i);
                }
            }

            var items = toList.Select(node => node!.DeepClone()).ToList();
            toList.Clear();
            if (random.Next(2) == 0)
            {
                random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(items));
            }
            else
            {
                for (var swaps = random.Next(0, 3); swaps > 0 && items.Count > 1; swaps--)
                {
                    var a = random.Next(items.Count);
                    var b = random.Next(items.Count);
                    (items[a], items[b]) = (items[b], items[a]);
                }
            }

            foreach (var item in items)
            {
                if (random.Next(4) == 0)
                {
                    item["text"] = "editado " + random.Next();
                }

                if (random.Next(8) == 0)
                {
                    item["group"] = "attributions";
                }

                toList.Add(item);
            }

            for (var k = random.Next(0, 4); k > 0; k--)
            {
                var id = nextId++;
                toList.Insert(random.Next(toList.Count + 1), Competence(id, random.Next(4) == 0 ? null : "L" + id, "nova " + random.Next()));
            }

            var result = Diff(from, to, $"iteration {iteration}");

            var fromTexts = fromList.ToDictionary(c => (string)c!["id"]!, c => (string)c!["text"]!);
            var edited = toList.Select((c, i) => (Competence: c!, Index: i))
                .Where(x => fromTexts.TryGetValue((string)x.Competence["id"]!, out var old) && old != (string)x.Competence["text"]!)
                .ToList();
            var reported = result.Summary.Select(line => lineFormat.Match(line)).Where(m => m.Success).Select(m => m.Groups["name"].Value).ToList();
            foreach (var name in reported)
            {
                var competence = name.StartsWith('#')
                    ? toList[int.Parse(name[1..], CultureInfo.InvariantCulture) - 1]!
                    : toList.Single(c => (string?)c!["label"] == name)!;
                Assert.That(fromTexts.TryGetValue((string)competence["id"]!, out var oldText), Is.True, $"iteration {iteration}: {name} is new, not edited");
                Assert.That(oldText, Is.Not.EqualTo((string)competence["text"]!), $"iteration {iteration}: {name} reported as edited but its text is the same");
            }

            Assert.That(reported, Has.Count.EqualTo(edited.Count), $"iteration {iteration}: every edited text is reported once");
            var textPaths = result.Patch.Where(op => op.Path.EndsWith("/text", StringComparison.Ordinal)).Select(op => op.Path).ToList();
            Assert.That(textPaths, Is.EquivalentTo(edited.Select(x => $"/competences/{x.Index}/text")), $"iteration {iteration}: text replaces only where the text changed");
            Assert.That(result.Patch.Select(op => op.Path), Has.None.EqualTo("/competences"), $"iteration {iteration}: the list is never replaced whole");
            var matched = toList.Count(c => fromTexts.ContainsKey((string)c!["id"]!));
            Assert.That(result.Patch.Count(op => op.Op == "move"), Is.LessThan(Math.Max(matched, 1)), $"iteration {iteration}: fewer moves than matched competences");
        }
    }

    // ---- helpers ----

    private const string LegalBasisId = "c1f0e2d3-0000-4000-8000-000000000001";

    private static readonly string[] Labels = ["I", "II", "III", "IV"];

    private static JsonObject Organ()
    {
        var competences = new JsonArray();
        for (var i = 0; i < Labels.Length; i++)
        {
            competences.Add(Competence(i + 1, Labels[i], $"Competência {Labels[i]}"));
        }

        return new JsonObject
        {
            ["slug"] = "secretaria-de-saude",
            ["name"] = "Secretaria Municipal de Saúde",
            ["acronym"] = null,
            ["kind"] = "secretaria",
            ["parentId"] = null,
            ["displayOrder"] = 3,
            ["statements"] = new JsonObject { ["about"] = null, ["mission"] = "Cuidar", ["vision"] = "Ser referência", ["purpose"] = "Saúde" },
            ["values"] = new JsonArray("Compromisso com a vida", "Ética e transparência"),
            ["competences"] = competences,
            ["head"] = null,
            ["contact"] = null,
            ["legalBases"] = new JsonArray(new JsonObject { ["legalBasisId"] = LegalBasisId, ["role"] = "structures" }),
            ["effective"] = null,
            ["source"] = null,
        };
    }

    private static JsonObject Competence(int id, string? label, string text) => new()
    {
        ["id"] = $"5e2a7c91-3d4f-8b60-9a1e-{id:x12}",
        ["label"] = label,
        ["text"] = text,
        ["group"] = "competences",
        ["performedById"] = null,
        ["citations"] = new JsonArray(new JsonObject { ["legalBasisId"] = LegalBasisId, ["article"] = "11", ["paragraph"] = null, ["item"] = label }),
    };

    private static JsonArray Competences(JsonNode organ) => organ["competences"]!.AsArray();

    /// <summary>Computes the diff and checks that applying it to <paramref name="from"/> yields exactly <paramref name="to"/>.</summary>
    private static RevisionDiffResult Diff(JsonNode? from, JsonNode? to, string context = "")
    {
        var result = RevisionDiff.Compute(from, to);
        var applied = Apply(from ?? new JsonObject(), result.Patch);
        Assert.That(JsonNode.DeepEquals(applied, to ?? new JsonObject()), Is.True,
            $"{context} applying the patch must yield the target.\npatch: {string.Join("\n       ", Ops(result))}\ngot:    {applied.ToJsonString()}\nwanted: {to?.ToJsonString()}");
        return result;
    }

    private static IEnumerable<string> Ops(RevisionDiffResult result) => result.Patch.Select(op => op.Op switch
    {
        "move" => $"move {op.From} -> {op.Path}",
        "remove" => $"remove {op.Path}",
        _ => $"{op.Op} {op.Path} {op.Value?.ToJsonString(Readable) ?? "null"}",
    });

    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // ---- a small RFC 6902 applier (add, remove, replace, move), strict about missing targets ----

    private static JsonNode Apply(JsonNode doc, IEnumerable<PatchOperation> ops)
    {
        var root = doc.DeepClone();
        foreach (var op in ops)
        {
            switch (op.Op)
            {
                case "add":
                    root = Add(root, op.Path, op.Value?.DeepClone());
                    break;
                case "remove":
                    Remove(root, op.Path);
                    break;
                case "replace":
                    root = Replace(root, op.Path, op.Value?.DeepClone());
                    break;
                case "move":
                    Assert.That(op.From, Is.Not.Null, "move needs from");
                    Assert.That(op.Path.StartsWith(op.From + "/", StringComparison.Ordinal), Is.False, "cannot move a value into itself");
                    root = Add(root, op.Path, Remove(root, op.From!));
                    break;
                default:
                    throw new InvalidOperationException($"unsupported op {op.Op}");
            }
        }

        return root;
    }

    private static (JsonNode Parent, string Token) Locate(JsonNode root, string path)
    {
        if (!path.StartsWith('/'))
        {
            throw new InvalidOperationException($"bad pointer '{path}'");
        }

        var tokens = path[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
        var node = root;
        foreach (var token in tokens[..^1])
        {
            node = node switch
            {
                JsonObject o when o.TryGetPropertyValue(token, out var child) && child is not null => child,
                JsonArray a when Index(token, a.Count - 1) is var i => a[i] ?? throw new InvalidOperationException($"null at {path}"),
                _ => throw new InvalidOperationException($"no container at {path}"),
            };
        }

        return (node, tokens[^1]);
    }

    private static int Index(string token, int max)
    {
        if (token.Length == 0 || !token.All(char.IsAsciiDigit) || (token.Length > 1 && token[0] == '0'))
        {
            throw new InvalidOperationException($"bad array index '{token}'");
        }

        var index = int.Parse(token, CultureInfo.InvariantCulture);
        return index <= max ? index : throw new InvalidOperationException($"array index {index} out of range (max {max})");
    }

    private static JsonNode Add(JsonNode root, string path, JsonNode? value)
    {
        if (path.Length == 0)
        {
            return value ?? throw new InvalidOperationException("the document cannot become null");
        }

        var (parent, token) = Locate(root, path);
        switch (parent)
        {
            case JsonObject o:
                o[token] = value;
                break;
            case JsonArray a when token == "-":
                a.Add(value);
                break;
            case JsonArray a:
                a.Insert(Index(token, a.Count), value);
                break;
            default:
                throw new InvalidOperationException($"cannot add under a scalar at {path}");
        }

        return root;
    }

    private static JsonNode? Remove(JsonNode root, string path)
    {
        var (parent, token) = Locate(root, path);
        switch (parent)
        {
            case JsonObject o:
                if (!o.TryGetPropertyValue(token, out var value))
                {
                    throw new InvalidOperationException($"nothing to remove at {path}");
                }

                o.Remove(token);
                return value?.DeepClone();
            case JsonArray a:
                var index = Index(token, a.Count - 1);
                var element = a[index];
                a.RemoveAt(index);
                return element?.DeepClone();
            default:
                throw new InvalidOperationException($"cannot remove under a scalar at {path}");
        }
    }

    private static JsonNode Replace(JsonNode root, string path, JsonNode? value)
    {
        if (path.Length == 0)
        {
            return value ?? throw new InvalidOperationException("the document cannot become null");
        }

        var (parent, token) = Locate(root, path);
        switch (parent)
        {
            case JsonObject o when o.ContainsKey(token):
                o[token] = value;
                break;
            case JsonArray a:
                a[Index(token, a.Count - 1)] = value;
                break;
            default:
                throw new InvalidOperationException($"nothing to replace at {path}");
        }

        return root;
    }
}
