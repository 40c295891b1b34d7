using System.Globalization;
using System.Text.RegularExpressions;

namespace Paco.Api.Import;

/// <summary>A norm named in a text: "Lei nº 473/99", "LEI COMPLEMENTAR Nº 12, DE 3 DE MAIO DE 2021".</summary>
public sealed record NormReference(string Kind, string? Number, int? Year, DateOnly? Date, string Title, int Index, int Length)
{
    public string Slug => OrganNames.Slugify($"{Kind}-{Number?.Replace(".", "", StringComparison.Ordinal)}-{Year}");
}

/// <summary>A citation in running text: "artigo 11 da Lei nº 473/99", "art. 5º, § 2º, do Decreto nº 100/2020".</summary>
public sealed record CitationReference(NormReference Norm, string Article, string? Paragraph, string? Item);

/// <summary>What an item's annotation says: its current wording came from a norm, or it was revoked.</summary>
public sealed record Annotation(string Text, string? AmendedBy, bool Revoked);

/// <summary>Norms, citations and amendment annotations as municipal texts write them.</summary>
public static partial class LegalReferences
{
    private static readonly string[] Months = ["janeiro", "fevereiro", "marco", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"];

    /// <summary>The norm a text is, from its heading (in its first lines): "LEI Nº 1.234, DE 10 DE MARÇO DE 2015".</summary>
    public static NormReference? Heading(string line)
    {
        var m = NormHeading().Match(line);
        return m.Success ? Norm(m, m.Index, m.Length) : null;
    }

    /// <summary>Every norm cited with an article in <paramref name="text"/>.</summary>
    public static CitationReference? Citation(string text)
    {
        if (text.IndexOf("rt", StringComparison.OrdinalIgnoreCase) < 0)
        {
            return null; // neither "art." nor "artigo"
        }
        var m = ArticleCitation().Match(text);
        if (!m.Success)
        {
            return null;
        }
        var norm = Norm(m, m.Groups["norm"].Index, m.Groups["norm"].Length);
        var paragraph = m.Groups["par"].Success ? m.Groups["par"].Value : m.Groups["unico"].Success ? "único" : null;
        return new CitationReference(norm, m.Groups["art"].Value, paragraph, m.Groups["inc"].Success ? m.Groups["inc"].Value : null);
    }

    private static NormReference Norm(Match m, int index, int length)
    {
        var kind = KindOf(m.Groups["kind"].Value);
        var number = m.Groups["num"].Value.TrimEnd('.');
        DateOnly? date = null;
        int? year = null;
        if (m.Groups["yyyy"].Success)
        {
            year = int.Parse(m.Groups["yyyy"].Value, CultureInfo.InvariantCulture);
            var month = Array.IndexOf(Months, TypoCorrector.StripAccents(m.Groups["month"].Value).ToLowerInvariant()) + 1;
            var day = int.Parse(m.Groups["day"].Value, CultureInfo.InvariantCulture);
            if (month > 0 && day is >= 1 and <= 31 && day <= DateTime.DaysInMonth(year.Value, month))
            {
                date = new DateOnly(year.Value, month, day);
            }
        }
        else if (m.Groups["yy"].Success)
        {
            var yy = int.Parse(m.Groups["yy"].Value, CultureInfo.InvariantCulture);
            // Two-digit years: "473/99" is 1999, "12/21" 2021.
            year = m.Groups["yy"].Value.Length == 4 ? yy : yy > DateTime.UtcNow.Year % 100 ? 1900 + yy : 2000 + yy;
        }
        return new NormReference(kind, number, year, date, TitleOf(kind, number, date, m.Groups["yy"].Success ? m.Groups["yy"].Value : null, m.Value, m.Groups["kind"].Value),
            index, length);
    }

    /// <summary>"Lei nº 473/99" as the text writes it when it is in running text; a heading in capitals becomes "Lei nº 1.234, de 10 de março de 2015".</summary>
    private static string TitleOf(string kind, string number, DateOnly? date, string? yy, string written, string kindWritten)
    {
        if (written.Any(char.IsLower) && !written.StartsWith("LEI", StringComparison.Ordinal) && !written.StartsWith("DECRETO", StringComparison.Ordinal))
        {
            var from = written.IndexOf(kindWritten, StringComparison.Ordinal);
            return from >= 0 ? written[from..].Trim().TrimEnd(',', '.', ';') : written.Trim();
        }
        var name = kind switch
        {
            "lei-complementar" => "Lei Complementar",
            "lei-organica" => "Lei Orgânica",
            "decreto" => "Decreto",
            "resolucao" => "Resolução",
            "portaria" => "Portaria",
            _ => "Lei",
        };
        var pt = CultureInfo.GetCultureInfo("pt-BR");
        return date is { } d ? $"{name} nº {number}, de {d.Day} de {d.ToString("MMMM", pt)} de {d.Year}" : yy is not null ? $"{name} nº {number}/{yy}" : $"{name} nº {number}";
    }

    private static string KindOf(string written)
    {
        var plain = TypoCorrector.StripAccents(written).ToLowerInvariant();
        return plain.StartsWith("lei complementar", StringComparison.Ordinal) ? "lei-complementar"
            : plain.StartsWith("lei organica", StringComparison.Ordinal) ? "lei-organica"
            : plain.StartsWith("decreto", StringComparison.Ordinal) ? "decreto"
            : plain.StartsWith("resolucao", StringComparison.Ordinal) ? "resolucao"
            : plain.StartsWith("portaria", StringComparison.Ordinal) ? "portaria"
            : "lei";
    }

    /// <summary>The item's text without its annotations, the norm that gave it its wording, and whether it was revoked.</summary>
    public static Annotation Annotate(string text)
    {
        if (text.IndexOf('(') < 0 && text.IndexOf("evogad", StringComparison.OrdinalIgnoreCase) < 0)
        {
            return new Annotation(text, null, false);
        }
        string? amendedBy = null;
        var revoked = RevokedItem().IsMatch(text);
        var cleaned = AmendmentNote().Replace(text, m =>
        {
            amendedBy ??= m.Groups["norm"].Value.Trim();
            revoked |= m.Groups["what"].Value.StartsWith("Revog", StringComparison.OrdinalIgnoreCase);
            return "";
        }).Trim();
        return new Annotation(cleaned, amendedBy, revoked);
    }

    private const string NormPattern =
        @"(?<kind>Lei\s+Complementar|Lei\s+Org[aâ]nica|Lei|Decreto|Resolu[çc][ãa]o|Portaria|LEI\s+COMPLEMENTAR|LEI\s+ORG[AÂ]NICA|LEI|DECRETO|RESOLU[ÇC][ÃA]O|PORTARIA)"
        + @"(?:\s+(?:Municipal|MUNICIPAL))?\s*(?:n[º°o.]*|N[º°O.]*)?\s*(?<num>\d[\d.]*\d|\d)"
        + @"(?:\s*/\s*(?<yy>\d{4}|\d{2})\b|\s*,?\s*(?:de|DE)\s+(?<day>\d{1,2})[º°]?\s+(?:de|DE)\s+(?<month>\p{L}+)\s+(?:de|DE)\s+(?<yyyy>\d{4}))?";

    [GeneratedRegex(@"^\s*" + NormPattern)]
    private static partial Regex NormHeading();

    [GeneratedRegex(@"\b(?:art\.?|artigo|Art\.?|Artigo)\s*(?<art>\d+)\s*[º°o]?(?:\s*,?\s*(?:§\s*(?<par>\d+)\s*[º°]?|(?<unico>par[aá]grafo\s+[úu]nico)))?(?:\s*,?\s*inciso\s+(?<inc>[IVXLC]+))?\s*,?\s*(?:d[ao]s?\s+)?(?<norm>" + NormPattern + ")")]
    private static partial Regex ArticleCitation();

    [GeneratedRegex(@"\(\s*(?<what>Reda[çc][ãa]o dada|Inclu[ií]d[oa]|Acrescid[oa]|Alterad[oa]|Revogad[oa]|Vide)\s*(?:pel[ao]s?\s+)?(?<norm>[^)]*)\)", RegexOptions.IgnoreCase)]
    private static partial Regex AmendmentNote();

    [GeneratedRegex(@"^\s*\(?\s*revogad[oa]s?\s*\)?\s*[.;]?\s*$|^\s*\(?\s*revogad[oa]s?\s+pel", RegexOptions.IgnoreCase)]
    private static partial Regex RevokedItem();
}
