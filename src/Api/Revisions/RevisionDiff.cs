using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Paco.Api.Revisions;

/// <summary>One RFC 6902 operation: <c>Op</c> is add, remove, replace or move; <c>From</c> is set only for move; <c>Value</c> for add and replace (null there means JSON null).</summary>
public sealed record PatchOperation(
    [property: Common.ClosedSet(typeof(PatchOperations), "PatchOperationName")] string Op,
    string Path,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? From,
    JsonNode? Value);

/// <summary>The RFC 6902 operations a diff uses.</summary>
public static class PatchOperations
{
    public static readonly IReadOnlyList<string> All = ["add", "remove", "replace", "move"];
}

/// <summary>The patch that turns one revision into the next, and one English line per change.</summary>
public sealed record RevisionDiffResult(IReadOnlyList<PatchOperation> Patch, IReadOnlyList<string> Summary);

/// <summary>
/// Differences between two revision documents. Objects are compared key by key (a key holding null differs from a
/// missing key); arrays whose elements are all objects with a unique string <c>id</c> (competences) are matched by id,
/// so reordering yields <c>move</c>s and edits stay on the element; any other array is replaced whole when it differs.
/// </summary>
public static class RevisionDiff
{
    /// <summary>
    /// Computes an RFC 6902 JSON Patch that transforms <paramref name="from"/> into <paramref name="to"/> (applying the
    /// operations in order to <paramref name="from"/> yields exactly <paramref name="to"/>), plus a short human summary
    /// in English. Null inputs are treated as empty objects. Pure: neither input is modified or referenced by the result.
    /// </summary>
    public static RevisionDiffResult Compute(JsonNode? from, JsonNode? to)
    {
        var source = from ?? new JsonObject();
        var target = to ?? new JsonObject();
        var walk = new Walk();
        if (source is JsonObject sourceObject && target is JsonObject targetObject)
        {
            walk.Objects(sourceObject, targetObject, "", null, report: true);
        }
        else if (!Same(source, target))
        {
            walk.Ops.Add(new("replace", "", null, target.DeepClone()));
            walk.Lines.Add("document replaced");
        }

        return walk.Ops.Count == 0
            ? new RevisionDiffResult([], ["no changes"])
            : new RevisionDiffResult(walk.Ops.ToArray(), walk.Lines.ToArray());
    }

    private sealed class Walk
    {
        public List<PatchOperation> Ops { get; } = [];
        public List<string> Lines { get; } = [];

        /// <summary>Removed keys first (in <paramref name="from"/> order), then the keys of <paramref name="to"/> in its order.</summary>
        public void Objects(JsonObject from, JsonObject to, string pointer, string? dotted, bool report)
        {
            foreach (var (key, value) in from)
            {
                if (to.ContainsKey(key))
                {
                    continue;
                }

                Ops.Add(new("remove", Child(pointer, key), null, null));
                if (report)
                {
                    Lines.Add($"{Dotted(dotted, key)} {Word(wasEmpty: IsNull(value), isEmpty: true)}");
                }
            }

            foreach (var (key, value) in to)
            {
                var path = Child(pointer, key);
                if (from.TryGetPropertyValue(key, out var old))
                {
                    Value(old, value, path, Dotted(dotted, key), report);
                    continue;
                }

                Ops.Add(new("add", path, null, value?.DeepClone()));
                if (report)
                {
                    Lines.Add($"{Dotted(dotted, key)} {Word(wasEmpty: true, isEmpty: IsNull(value))}");
                }
            }
        }

        private void Value(JsonNode? from, JsonNode? to, string pointer, string dotted, bool report)
        {
            if (Same(from, to))
            {
                return;
            }

            if (from is JsonObject fromObject && to is JsonObject toObject)
            {
                Objects(fromObject, toObject, pointer, dotted, report);
                return;
            }

            if (from is JsonArray fromArray && to is JsonArray toArray && Ids(fromArray) is { } fromIds && Ids(toArray) is { } toIds)
            {
                IdArray(fromArray, fromIds, toArray, toIds, pointer, dotted, report);
                return;
            }

            Ops.Add(new("replace", pointer, null, to?.DeepClone()));
            if (report)
            {
                Lines.Add($"{dotted} {Word(wasEmpty: IsNull(from), isEmpty: IsNull(to))}");
            }
        }

        /// <summary>
        /// Removes vanished ids (highest index first), then walks the target order placing each added or moved element
        /// right after its predecessor, on a simulated array so every index is the one the applier sees. Elements on the
        /// longest run already in order (preferring those that keep their position) are left in place, so a swap is two
        /// moves. Finally each matched element is diffed field by field at its final index.
        /// </summary>
        private void IdArray(JsonArray from, string[] fromIds, JsonArray to, string[] toIds, string pointer, string dotted, bool report)
        {
            var fromIndex = IndexOf(fromIds);
            var toIndex = IndexOf(toIds);
            var current = fromIds.ToList();

            for (var i = fromIds.Length - 1; i >= 0; i--)
            {
                if (!toIndex.ContainsKey(fromIds[i]))
                {
                    Ops.Add(new("remove", Child(pointer, i), null, null));
                    current.RemoveAt(i);
                }
            }

            var stable = Stable(toIds.Where(fromIndex.ContainsKey).ToList(), fromIndex, toIndex);
            var moved = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < toIds.Length; i++)
            {
                var id = toIds[i];
                if (stable.Contains(id))
                {
                    continue;
                }

                var was = -1;
                if (fromIndex.ContainsKey(id))
                {
                    was = current.IndexOf(id);
                    current.RemoveAt(was);
                }

                var at = i == 0 ? 0 : current.IndexOf(toIds[i - 1]) + 1;
                current.Insert(at, id);
                if (was < 0)
                {
                    Ops.Add(new("add", Child(pointer, at), null, to[i]?.DeepClone()));
                }
                else if (was != at)
                {
                    Ops.Add(new("move", Child(pointer, at), Child(pointer, was), null));
                    moved.Add(id);
                }
            }

            for (var i = 0; i < toIds.Length; i++)
            {
                if (fromIndex.TryGetValue(toIds[i], out var j))
                {
                    Objects((JsonObject)from[j]!, (JsonObject)to[i]!, Child(pointer, i), null, report: false);
                }
            }

            if (!report)
            {
                return;
            }

            var noun = Noun(dotted);
            for (var i = 0; i < fromIds.Length; i++)
            {
                if (!toIndex.ContainsKey(fromIds[i]))
                {
                    Lines.Add($"{noun} {Label(from[i], null, i)} removed");
                }
            }

            for (var i = 0; i < toIds.Length; i++)
            {
                if (!fromIndex.TryGetValue(toIds[i], out var j))
                {
                    Lines.Add($"{noun} {Label(to[i], null, i)} added");
                    continue;
                }

                var label = Label(to[i], from[j], i);
                if (moved.Contains(toIds[i]))
                {
                    Lines.Add($"{noun} {label} moved from position {j + 1} to {i + 1}");
                }

                foreach (var field in ChangedFields((JsonObject)from[j]!, (JsonObject)to[i]!))
                {
                    Lines.Add($"{noun} {label} {field} changed");
                }
            }
        }
    }

    /// <summary>
    /// The matched ids (in target order) that stay put: a longest subsequence already in source order, ties broken
    /// towards elements whose index is the same in both documents.
    /// </summary>
    private static HashSet<string> Stable(List<string> order, Dictionary<string, int> fromIndex, Dictionary<string, int> toIndex)
    {
        var length = new int[order.Count];
        var kept = new int[order.Count];
        var previous = new int[order.Count];
        var best = -1;
        for (var k = 0; k < order.Count; k++)
        {
            var source = fromIndex[order[k]];
            length[k] = 1;
            kept[k] = source == toIndex[order[k]] ? 1 : 0;
            previous[k] = -1;
            for (var j = 0; j < k; j++)
            {
                if (fromIndex[order[j]] >= source)
                {
                    continue;
                }

                var candidateLength = length[j] + 1;
                var candidateKept = kept[j] + (source == toIndex[order[k]] ? 1 : 0);
                if (candidateLength > length[k] || (candidateLength == length[k] && candidateKept > kept[k]))
                {
                    length[k] = candidateLength;
                    kept[k] = candidateKept;
                    previous[k] = j;
                }
            }

            if (best < 0 || length[k] > length[best] || (length[k] == length[best] && kept[k] > kept[best]))
            {
                best = k;
            }
        }

        var stable = new HashSet<string>(StringComparer.Ordinal);
        for (var k = best; k >= 0; k = previous[k])
        {
            stable.Add(order[k]);
        }

        return stable;
    }

    /// <summary>The ids of an array whose elements are all objects with a unique string "id"; otherwise null.</summary>
    private static string[]? Ids(JsonArray array)
    {
        var ids = new string[array.Count];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject element || !element.TryGetPropertyValue("id", out var id) || Text(id) is not { } text || !seen.Add(text))
            {
                return null;
            }

            ids[i] = text;
        }

        return ids;
    }

    private static Dictionary<string, int> IndexOf(string[] ids)
    {
        var index = new Dictionary<string, int>(ids.Length, StringComparer.Ordinal);
        for (var i = 0; i < ids.Length; i++)
        {
            index[ids[i]] = i;
        }

        return index;
    }

    /// <summary>Top-level fields of a matched element that differ: removed ones first, then in target order.</summary>
    private static IEnumerable<string> ChangedFields(JsonObject from, JsonObject to)
    {
        foreach (var (key, _) in from)
        {
            if (!to.ContainsKey(key))
            {
                yield return key;
            }
        }

        foreach (var (key, value) in to)
        {
            if (!from.TryGetPropertyValue(key, out var old) || !Same(old, value))
            {
                yield return key;
            }
        }
    }

    /// <summary>The element's label (or, failing that, its other version's label), else "#" and its 1-based position.</summary>
    private static string Label(JsonNode? element, JsonNode? otherVersion, int index) =>
        NonEmptyLabel(element) ?? NonEmptyLabel(otherVersion) ?? "#" + (index + 1).ToString(CultureInfo.InvariantCulture);

    private static string? NonEmptyLabel(JsonNode? element) =>
        element is JsonObject o && o.TryGetPropertyValue("label", out var label) && Text(label) is { Length: > 0 } text ? text : null;

    /// <summary>"competences" → "competence"; a nested "a.items" → "a.item".</summary>
    private static string Noun(string dotted) =>
        dotted.Length > 1 && dotted.EndsWith('s') ? dotted[..^1] : dotted + " item";

    private static string Word(bool wasEmpty, bool isEmpty) => (wasEmpty, isEmpty) switch
    {
        (true, false) => "added",
        (false, true) => "removed",
        _ => "changed",
    };

    private static string Dotted(string? parent, string key) => parent is null ? key : parent + "." + key;

    private static string Child(string pointer, string key) => pointer + "/" + key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private static string Child(string pointer, int index) => pointer + "/" + index.ToString(CultureInfo.InvariantCulture);

    private static bool IsNull(JsonNode? node) => node is null || (node is JsonValue value && value.GetValueKind() == JsonValueKind.Null);

    private static string? Text(JsonNode? node)
    {
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
        {
            return null;
        }

        return value.TryGetValue<string>(out var text) ? text : JsonSerializer.Deserialize<string>(value.ToJsonString());
    }

    /// <summary>Structural equality; scalars by their JSON text, object keys in any order, JSON null equal to a null node.</summary>
    private static bool Same(JsonNode? a, JsonNode? b)
    {
        if (IsNull(a) || IsNull(b))
        {
            return IsNull(a) && IsNull(b);
        }

        switch (a, b)
        {
            case (JsonObject x, JsonObject y):
                if (x.Count != y.Count)
                {
                    return false;
                }

                foreach (var (key, value) in x)
                {
                    if (!y.TryGetPropertyValue(key, out var other) || !Same(value, other))
                    {
                        return false;
                    }
                }

                return true;
            case (JsonArray x, JsonArray y):
                if (x.Count != y.Count)
                {
                    return false;
                }

                for (var i = 0; i < x.Count; i++)
                {
                    if (!Same(x[i], y[i]))
                    {
                        return false;
                    }
                }

                return true;
            case (JsonValue x, JsonValue y):
                return string.Equals(x.ToJsonString(), y.ToJsonString(), StringComparison.Ordinal);
            default:
                return false;
        }
    }
}
