using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Paco.Api.Common;

/// <summary>
/// Reads the free-text opening hours Brazilian public bodies write ("Segunda a sexta, das 8h às 17h", "seg-sex 08:00-12:00 e
/// 13:00-17:00", "Sábados das 8h às 12h", "24 horas") into schema.org OpeningHoursSpecification entries, one per interval.
/// <para>
/// It is a proposal, never a rewrite: the text must be understood whole (every word is a day, a time, a connector or one of a
/// few filler words), with days and times both said, intervals in order and not overlapping; anything else ("horário
/// comercial", "com intervalo para almoço", times without days) answers null rather than a guess.
/// </para>
/// </summary>
public static partial class OpeningHoursText
{
    private enum Kind
    {
        Days,     // a day or a named set of days
        Time,     // a time of day
        Range,    // "a", "às", "até", "-"
        And,      // "e", ",", "/"
        Group,    // ";", ".", "|", a line break: a new group of days and times
    }

    private readonly record struct Token(Kind Kind, int[] Days, int Minutes, bool Explicit);

    private static readonly int[] Weekdays = [0, 1, 2, 3, 4];
    private static readonly int[] EveryDay = [0, 1, 2, 3, 4, 5, 6];
    private const int Holidays = 7;

    private static readonly Dictionary<string, int[]> DayWords = new()
    {
        ["segunda"] = [0], ["seg"] = [0], ["segundas"] = [0],
        ["terca"] = [1], ["ter"] = [1], ["tercas"] = [1],
        ["quarta"] = [2], ["qua"] = [2], ["quartas"] = [2],
        ["quinta"] = [3], ["qui"] = [3], ["quintas"] = [3],
        ["sexta"] = [4], ["sex"] = [4], ["sextas"] = [4],
        ["sabado"] = [5], ["sab"] = [5], ["sabados"] = [5],
        ["domingo"] = [6], ["dom"] = [6], ["domingos"] = [6],
        ["feriado"] = [Holidays], ["feriados"] = [Holidays],
        ["diariamente"] = EveryDay,
    };

    /// <summary>Words that say nothing about when (the "de" of "de segunda a sexta", "horário de atendimento ao público").</summary>
    private static readonly HashSet<string> Filler =
    [
        "de", "do", "da", "das", "dos", "ao", "aos", "no", "nos", "na", "nas", "em", "horario", "horarios", "atendimento", "funcionamento",
        "expediente", "publico", "feira", "feiras", "aberto", "aberta", "inclusive", "h",
    ];

    /// <summary>Phrases read before the words: named sets of days, and exceptions that add nothing to the regular week.</summary>
    private static readonly (Regex Pattern, int[]? Days)[] Phrases =
    [
        (new Regex(@"\btodos os dias( da semana)?\b"), EveryDay),
        (new Regex(@"\bdias uteis\b"), Weekdays),
        (new Regex(@"\bfins? de semana\b"), [5, 6]),
        // Holidays left out of the week are simply not listed: "exceto feriados" adds nothing to the entries.
        (new Regex(@"[,(]?\s*\b(exceto|salvo|menos)( (em|nos|aos))? feriados\b\s*\)?"), null),
    ];

    /// <summary>What a named set of days becomes before the words are read ("dias uteis" → qqdiasabcde): no Portuguese word starts so.</summary>
    private const string SetMarker = "qqdias";

    private static readonly string[] OrdinalDays = ["segunda", "terca", "quarta", "quinta", "sexta"];

    [GeneratedRegex(@"\b([2-6])[ªa](?![\p{L}\d])")]
    private static partial Regex OrdinalDay();

    [GeneratedRegex(@"\b(seg|ter|qua|qui|sex|sab|dom)\.")]
    private static partial Regex AbbreviatedDay();

    [GeneratedRegex(@"(?<h>\d{1,2})\s*(?:(?::|h|hs)\s*(?<m>\d{2})\s*(?:min|h)?|h|hs|\s+horas?)(?![\p{L}\d])|(?<h>\d{1,2})(?![\p{L}\d:])|(?<noon>meio[- ]dia)|(?<word>\p{L}+)|(?<sym>[-;.,/|\n])|(?<space>\s+)|(?<other>.)")]
    private static partial Regex Lexer();

    /// <summary>The entries the text says, in the order it says them; null when it says anything this cannot read with certainty.</summary>
    public static IReadOnlyList<OpeningHoursSpecification>? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > 500)
        {
            return null;
        }
        var tokens = Tokens(Normalize(text));
        if (tokens is null)
        {
            return null;
        }
        var groups = Groups(tokens);
        if (groups is null || groups.Count == 0)
        {
            return null;
        }
        // The same day may appear in several groups, never with overlapping intervals.
        var byDay = new Dictionary<int, List<(int Opens, int Closes)>>();
        foreach (var (days, intervals) in groups)
        {
            foreach (var day in days)
            {
                var list = byDay.TryGetValue(day, out var found) ? found : byDay[day] = [];
                foreach (var interval in intervals)
                {
                    if (list.Any(other => interval.Opens < other.Closes && other.Opens < interval.Closes))
                    {
                        return null;
                    }
                    list.Add(interval);
                }
            }
        }
        return [.. groups.SelectMany(g => g.Intervals.Select(i => new OpeningHoursSpecification(
            [.. g.Days.Order().Select(d => DaysOfWeek.All[d])], Clock(i.Opens), Clock(i.Closes))))];
    }

    private static string Normalize(string text)
    {
        var decomposed = text.ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var plain = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                plain.Append(c switch { '–' or '—' or '‐' or '‑' => '-', '\r' => '\n', _ => c });
            }
        }
        var normalized = plain.ToString().Replace("-feira", "", StringComparison.Ordinal);
        // "2ª a 6ª": the ordinal names of the weekdays; "seg." an abbreviation, not the end of a group.
        normalized = OrdinalDay().Replace(normalized, m => " " + OrdinalDays[m.Groups[1].Value[0] - '2'] + " ");
        normalized = AbbreviatedDay().Replace(normalized, "$1 ");
        normalized = normalized.Replace("ao meio-dia", "as meio-dia", StringComparison.Ordinal).Replace("ao meio dia", "as meio dia", StringComparison.Ordinal);
        foreach (var (pattern, _) in Phrases.Where(p => p.Days is null))
        {
            normalized = pattern.Replace(normalized, " ");
        }
        return normalized;
    }

    private static List<Token>? Tokens(string text)
    {
        foreach (var (pattern, days) in Phrases.Where(p => p.Days is not null))
        {
            // A named set becomes a word the day table does not have, read back below.
            text = pattern.Replace(text, $" {SetMarker}{string.Concat(days!.Select(d => (char)('a' + d)))} ");
        }
        var tokens = new List<Token>();
        foreach (Match match in Lexer().Matches(text))
        {
            if (match.Groups["space"].Success)
            {
                continue;
            }
            if (match.Groups["noon"].Success)
            {
                tokens.Add(new Token(Kind.Time, [], 12 * 60, true));
            }
            else if (match.Groups["h"].Success)
            {
                var hours = int.Parse(match.Groups["h"].Value, CultureInfo.InvariantCulture);
                var minutes = match.Groups["m"].Success ? int.Parse(match.Groups["m"].Value, CultureInfo.InvariantCulture) : 0;
                var isExplicit = match.Value.Any(c => c is 'h' or ':');
                if (hours > 24 || minutes > 59 || (hours == 24 && minutes > 0))
                {
                    return null;
                }
                tokens.Add(new Token(Kind.Time, [], hours * 60 + minutes, isExplicit));
            }
            else if (match.Groups["sym"].Success)
            {
                tokens.Add(match.Value switch
                {
                    "-" => new Token(Kind.Range, [], 0, false),
                    "," or "/" => new Token(Kind.And, [], 0, false),
                    _ => new Token(Kind.Group, [], 0, false),
                });
            }
            else if (match.Groups["word"].Success)
            {
                var word = match.Value;
                if (word.StartsWith(SetMarker, StringComparison.Ordinal))
                {
                    tokens.Add(new Token(Kind.Days, [.. word[SetMarker.Length..].Select(c => c - 'a')], 0, true));
                }
                else if (DayWords.TryGetValue(word, out var days))
                {
                    tokens.Add(new Token(Kind.Days, days, 0, true));
                }
                else if (word is "a" or "as" or "ate")
                {
                    tokens.Add(new Token(Kind.Range, [], 0, false));
                }
                else if (word == "e")
                {
                    tokens.Add(new Token(Kind.And, [], 0, false));
                }
                else if (!Filler.Contains(word))
                {
                    return null; // a word it does not know may change the meaning: say nothing
                }
            }
            else if (match.Value is not ":" and not "(" and not ")")
            {
                return null;
            }
        }
        return tokens;
    }

    /// <summary>Groups of days and intervals: days then times, or times then days, separated by punctuation or "e".</summary>
    private static List<(HashSet<int> Days, List<(int Opens, int Closes)> Intervals)>? Groups(List<Token> tokens)
    {
        var groups = new List<(HashSet<int>, List<(int, int)>)>();
        var i = 0;
        while (i < tokens.Count)
        {
            SkipSeparators(tokens, ref i);
            if (i >= tokens.Count)
            {
                break;
            }
            HashSet<int>? days = null;
            List<(int, int)>? intervals = null;
            for (var part = 0; part < 2 && i < tokens.Count; part++)
            {
                if (tokens[i].Kind == Kind.Days && days is null)
                {
                    days = Days(tokens, ref i);
                }
                else if (tokens[i].Kind == Kind.Time && intervals is null)
                {
                    intervals = Intervals(tokens, ref i);
                }
                else
                {
                    return null;
                }
                if (days is null && intervals is null)
                {
                    return null;
                }
                if (part == 0)
                {
                    // Between the days and the times: ", das 8h…", "e das…", " – 8h…" are only joints.
                    while (i < tokens.Count && tokens[i].Kind is Kind.And or Kind.Range && i + 1 < tokens.Count && tokens[i + 1].Kind is Kind.Time or Kind.Days)
                    {
                        i++;
                    }
                    if (i < tokens.Count && tokens[i].Kind == Kind.Group && days is not null && intervals is null
                        && i + 1 < tokens.Count && tokens[i + 1].Kind == Kind.Time)
                    {
                        i++; // "Segunda a sexta. Das 8h às 17h."
                    }
                }
            }
            if (intervals is null && days is not null)
            {
                return null; // days without times
            }
            if (intervals is [(0, 1440)] && days is null)
            {
                days = [.. EveryDay]; // "24 horas"
            }
            if (days is null || intervals is null)
            {
                return null; // times without days: the days would be a guess
            }
            groups.Add((days, intervals));
        }
        return groups;
    }

    private static void SkipSeparators(List<Token> tokens, ref int i)
    {
        while (i < tokens.Count && tokens[i].Kind is Kind.Group or Kind.And)
        {
            i++;
        }
    }

    private static HashSet<int>? Days(List<Token> tokens, ref int i)
    {
        var days = new HashSet<int>();
        while (true)
        {
            var first = tokens[i++];
            if (i + 1 < tokens.Count && tokens[i].Kind == Kind.Range && tokens[i + 1].Kind == Kind.Days)
            {
                var last = tokens[i + 1];
                i += 2;
                if (first.Days is not [var from] || last.Days is not [var to] || from >= to || to == Holidays)
                {
                    return null; // "sábado a segunda", "feriados a domingo": not a run of the week
                }
                days.UnionWith(Enumerable.Range(from, to - from + 1));
            }
            else
            {
                days.UnionWith(first.Days);
            }
            if (i + 1 < tokens.Count && tokens[i].Kind == Kind.And && tokens[i + 1].Kind == Kind.Days)
            {
                i++;
                continue;
            }
            if (i < tokens.Count && tokens[i].Kind == Kind.Days)
            {
                continue; // "sábados e domingos" already joined; "seg qua sex" as a list
            }
            return days;
        }
    }

    private static List<(int Opens, int Closes)>? Intervals(List<Token> tokens, ref int i)
    {
        var intervals = new List<(int, int)>();
        while (true)
        {
            var opens = tokens[i++];
            if (i + 1 < tokens.Count && tokens[i].Kind == Kind.Range && tokens[i + 1].Kind == Kind.Time)
            {
                var closes = tokens[i + 1];
                i += 2;
                // "das 8 às 17h" is clear; "das 8 às 17" could be anything.
                if (!closes.Explicit || opens.Minutes >= closes.Minutes || opens.Minutes >= 24 * 60)
                {
                    return null;
                }
                intervals.Add((opens.Minutes, closes.Minutes));
            }
            else if (opens is { Minutes: 24 * 60, Explicit: true } && intervals.Count == 0)
            {
                intervals.Add((0, 24 * 60)); // "24 horas", "24h"
                return intervals;
            }
            else
            {
                return null; // a time that opens nothing
            }
            if (i + 1 < tokens.Count && tokens[i].Kind == Kind.And && tokens[i + 1].Kind == Kind.Time)
            {
                i++;
                continue;
            }
            return intervals.Zip(intervals.Skip(1)).All(p => p.First.Item2 <= p.Second.Item1) ? intervals : null;
        }
    }

    private static string Clock(int minutes) => $"{minutes / 60:00}:{minutes % 60:00}";
}
