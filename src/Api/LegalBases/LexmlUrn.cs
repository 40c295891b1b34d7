using System.Globalization;
using System.Text;
using Paco.Api.Common;

namespace Paco.Api.LegalBases;

/// <summary>
/// LexML URNs (urn:lex:br;minas.gerais;belo.horizonte:municipal:lei:1999;473) for municipal norms, and the
/// fragment of a citation (!art11_cpt_inc3). Formed only when the institution's state and municipality are known
/// and the norm has a kind LexML names, a number and a date or year; otherwise null, never a guess.
/// </summary>
public static class LexmlUrn
{
    private static readonly Dictionary<string, string> KindNames = new()
    {
        ["lei"] = "lei",
        ["lei-complementar"] = "lei.complementar",
        ["lei-organica"] = "lei.organica",
        ["decreto"] = "decreto",
        ["portaria"] = "portaria",
        ["resolucao"] = "resolucao",
        ["instrucao-normativa"] = "instrucao.normativa",
        ["deliberacao"] = "deliberacao",
    };

    public static string? ForNorm(string? uf, string? municipality, string kind, string? number, int? year, DateOnly? date)
    {
        if (uf is null || municipality is null || number is null || (year is null && date is null)
            || !BrazilianStates.LexmlNames.TryGetValue(uf, out var state) || !KindNames.TryGetValue(kind, out var kindName))
        {
            return null;
        }
        var when = date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? year!.Value.ToString(CultureInfo.InvariantCulture);
        return $"urn:lex:br;{state};{Normalize(municipality)}:municipal:{kindName}:{when};{Normalize(number).Replace(".", "", StringComparison.Ordinal)}";
    }

    /// <summary>The fragment for art. 11, § 2, inciso III: "!art11_par2_inc3"; caput when no paragraph.</summary>
    public static string? Fragment(string? article, string? paragraph, string? item)
    {
        if (article is null)
        {
            return null;
        }
        var builder = new StringBuilder("!art").Append(Normalize(article).Replace(".", "", StringComparison.Ordinal));
        if (paragraph is null)
        {
            builder.Append("_cpt");
        }
        else
        {
            var p = Normalize(paragraph);
            builder.Append("_par").Append(p is "unico" or "u" ? "1u" : p);
        }
        if (item is not null)
        {
            builder.Append("_inc").Append(RomanToArabic(item)?.ToString(CultureInfo.InvariantCulture) ?? Normalize(item));
        }
        return builder.ToString();
    }

    public static string CitationText(string title, string? article, string? paragraph, string? item)
    {
        var parts = new List<string>();
        if (article is not null)
        {
            parts.Add($"art. {article}");
        }
        if (paragraph is not null)
        {
            parts.Add(Normalize(paragraph) is "unico" ? "parágrafo único" : $"§ {paragraph}");
        }
        if (item is not null)
        {
            parts.Add($"inciso {item}");
        }
        return parts.Count == 0 ? title : $"{string.Join(", ", parts)} da {title}";
    }

    public static int? RomanToArabic(string text)
    {
        var values = new Dictionary<char, int> { ['I'] = 1, ['V'] = 5, ['X'] = 10, ['L'] = 50, ['C'] = 100, ['D'] = 500, ['M'] = 1000 };
        var upper = text.Trim().ToUpperInvariant();
        if (upper.Length == 0 || upper.Any(c => !values.ContainsKey(c)))
        {
            return null;
        }
        var total = 0;
        for (var i = 0; i < upper.Length; i++)
        {
            var value = values[upper[i]];
            total += i + 1 < upper.Length && values[upper[i + 1]] > value ? -value : value;
        }
        return total;
    }

    /// <summary>Lowercase ASCII, accents removed, spaces as dots: "Belo Horizonte" → "belo.horizonte".</summary>
    public static string Normalize(string text)
    {
        var decomposed = text.Trim().ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder();
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }
            builder.Append(char.IsLetterOrDigit(c) ? c : c is ' ' or '-' or '.' ? '.' : '\0');
        }
        return builder.ToString().Replace("\0", "", StringComparison.Ordinal).Trim('.');
    }
}
