using System.Text.RegularExpressions;

namespace Paco.Api.Import;

public enum LineKind
{
    Blank,
    Chapter,      // CAPÍTULO II, TÍTULO I
    Section,      // Seção I, Subseção II
    Article,      // Art. 1º, Art 1°, Artigo 1º, Art. 10.
    Paragraph,    // § 1º, Parágrafo único
    Item,         // I –, II -, III —, IV)
    Alinea,       // a)
    NumberedUnit, // 1 –, 1.1 –, 1.1.1 –
    Bullet,       // - text, • text
    Heading,      // Missão, Visão, Valores, Atribuições da Secretaria …
    Text,
}

/// <summary>
/// One logical line of the text: a physical line, or a piece of one when a line holds a whole list ("…: I- a; II- b;"
/// or "… compete: A; B; C."). <see cref="Label"/> is the article number, paragraph ("1", "único"), item numeral, alínea
/// letter or unit number; <see cref="Body"/> the text after it. Start and End are offsets into the normalized text.
/// </summary>
public sealed record TextLine(LineKind Kind, string? Label, string Body, int Start, int End, bool Inline = false);

/// <summary>Recognises what each line of a normalized text is: the structure of laws and of organ pages.</summary>
public static partial class StructureRecognizer
{
    public static List<TextLine> Recognize(string text)
    {
        var lines = new List<TextLine>();
        var start = 0;
        while (start <= text.Length)
        {
            var end = text.IndexOf('\n', start);
            if (end < 0)
            {
                end = text.Length;
            }
            var line = text[start..end];
            if (line.Trim().Length == 0)
            {
                lines.Add(new TextLine(LineKind.Blank, null, "", start, end));
            }
            else
            {
                foreach (var (piece, offset, inline) in Segment(line))
                {
                    lines.Add(Classify(piece, start + offset, start + offset + piece.Length) with { Inline = inline });
                }
            }
            start = end + 1;
        }
        return lines;
    }

    /// <summary>Splits a line that carries a whole list: labelled items in sequence (I, II, III…) or, after "compete:"-like intros, items separated by semicolons.</summary>
    private static IEnumerable<(string Text, int Offset, bool Inline)> Segment(string line)
    {
        if (line.IndexOfAny([';', ':']) < 0)
        {
            return [(line, 0, false)];
        }
        var cuts = InlineRomanCuts(line);
        if (cuts.Count >= 2)
        {
            var pieces = new List<(string, int, bool)>();
            if (cuts[0] > 0)
            {
                pieces.Add((line[..cuts[0]].TrimEnd(), 0, false));
            }
            for (var i = 0; i < cuts.Count; i++)
            {
                var to = i + 1 < cuts.Count ? cuts[i + 1] : line.Length;
                pieces.Add((line[cuts[i]..to].TrimEnd(), cuts[i], true));
            }
            return pieces;
        }
        var intro = line.Count(c => c == ';') >= 2 ? InlineListIntro().Match(line) : Match.Empty;
        if (intro.Success)
        {
            var pieces = new List<(string, int, bool)> { (line[..(intro.Index + intro.Length)].TrimEnd(), 0, false) };
            var position = intro.Index + intro.Length;
            while (position < line.Length)
            {
                while (position < line.Length && line[position] == ' ')
                {
                    position++;
                }
                var semicolon = line.IndexOf(';', position);
                var to = semicolon < 0 ? line.Length : semicolon + 1;
                var piece = line[position..to].Trim();
                if (piece.Length > 0)
                {
                    pieces.Add((piece, position, true));
                }
                position = to;
            }
            return pieces;
        }
        return [(line, 0, false)];
    }

    /// <summary>Where "I- …; II- …; III- …" items start in a line: numerals in sequence from I, each after the start, a colon or a semicolon.</summary>
    private static List<int> InlineRomanCuts(string line)
    {
        var cuts = new List<int>();
        var expected = 1;
        foreach (Match m in InlineRoman().Matches(line))
        {
            if (Roman.Parse(m.Groups["n"].Value) == expected)
            {
                cuts.Add(m.Groups["n"].Index);
                expected++;
            }
        }
        return cuts;
    }

    public static TextLine Classify(string line, int start, int end)
    {
        // Each kind of line has its own first characters: only the patterns that can match are tried.
        var first = line.Length > 0 ? line[0] : ' ';
        if (!(first is 'C' or 'c' or 'T' or 't' or 'S' or 's' or 'A' or 'a' or 'P' or '§' or 'I' or 'V' or 'X' or 'L' or 'D' or 'M' || char.IsAsciiLetterLower(first)
            || char.IsAsciiDigit(first) || first is '-' or '–' or '—' or '•' or '·' or '*' or '▪' or '◦' or '●'))
        {
            return Headings.Of(line) is not null
                ? new TextLine(LineKind.Heading, null, line.Trim().TrimEnd(':').Trim(), start, end)
                : new TextLine(LineKind.Text, null, line.Trim(), start, end);
        }
        Match m;
        if ((m = Chapter().Match(line)).Success)
        {
            return new TextLine(LineKind.Chapter, m.Groups["n"].Value, m.Groups["rest"].Value.Trim(), start, end);
        }
        if ((m = Section().Match(line)).Success)
        {
            return new TextLine(LineKind.Section, m.Groups["n"].Value, m.Groups["rest"].Value.Trim(), start, end);
        }
        if ((m = Article().Match(line)).Success)
        {
            return new TextLine(LineKind.Article, m.Groups["n"].Value.Replace(".", "", StringComparison.Ordinal) + m.Groups["suffix"].Value.ToUpperInvariant(),
                m.Groups["rest"].Value.Trim(), start, end);
        }
        if ((m = Paragraph().Match(line)).Success)
        {
            return new TextLine(LineKind.Paragraph, m.Groups["n"].Success ? m.Groups["n"].Value : "único", m.Groups["rest"].Value.Trim(), start, end);
        }
        if ((m = Item().Match(line)).Success && Roman.Parse(m.Groups["n"].Value) is not null)
        {
            return new TextLine(LineKind.Item, m.Groups["n"].Value, m.Groups["rest"].Value.Trim(), start, end);
        }
        if ((m = ItemWithoutMark().Match(line)).Success && Roman.Parse(m.Groups["n"].Value) is not null)
        {
            return new TextLine(LineKind.Item, m.Groups["n"].Value, m.Groups["rest"].Value.Trim(), start, end);
        }
        if ((m = Alinea().Match(line)).Success)
        {
            return new TextLine(LineKind.Alinea, m.Groups["n"].Value, m.Groups["rest"].Value.Trim(), start, end);
        }
        if ((m = NumberedUnit().Match(line)).Success)
        {
            return new TextLine(LineKind.NumberedUnit, m.Groups["n"].Value, m.Groups["rest"].Value.Trim(), start, end);
        }
        if ((m = Bullet().Match(line)).Success)
        {
            return new TextLine(LineKind.Bullet, null, m.Groups["rest"].Value.Trim(), start, end);
        }
        if (Headings.Of(line) is not null)
        {
            return new TextLine(LineKind.Heading, null, line.Trim().TrimEnd(':').Trim(), start, end);
        }
        return new TextLine(LineKind.Text, null, line.Trim(), start, end);
    }

    [GeneratedRegex(@"^\s*(?:CAP[IÍ]TULO|T[IÍ]TULO|Cap[ií]tulo|T[ií]tulo)\s+(?<n>[IVXLCDM]+|\d+|[ÚU]NICO|[ÚU]nico)\b\s*[-–—.:]?\s*(?<rest>.*)$")]
    private static partial Regex Chapter();

    [GeneratedRegex(@"^\s*(?:SE[CÇ][AÃ]O|SUBSE[CÇ][AÃ]O|Se[cç][aã]o|Subse[cç][aã]o)\s+(?<n>[IVXLCDM]+|\d+|[ÚU]NICA|[ÚU]nica)\b\s*[-–—.:]?\s*(?<rest>.*)$")]
    private static partial Regex Section();

    [GeneratedRegex(@"^\s*(?:Art\.?|ART\.?|Artigo|ARTIGO)\s*(?<n>\d{1,4}(?:\.\d{3})*)\s*(?:[º°ªo]\.?)?(?:\s*-\s*(?<suffix>[A-Za-z])\b)?\s*[.\-–—:]?\s*(?<rest>.*)$")]
    private static partial Regex Article();

    [GeneratedRegex(@"^\s*(?:§\s*(?<n>\d+)\s*[º°o]?\.?|Par[aá]grafo\s+[úu]nico\.?|PAR[AÁ]GRAFO\s+[ÚU]NICO\.?)\s*[.\-–—:]?\s*(?<rest>.*)$")]
    private static partial Regex Paragraph();

    [GeneratedRegex(@"^\s*(?<n>[IVXLCDM]{1,7})\s*(?:[-–—)]|\.(?=\s))\s*(?<rest>.*)$")]
    private static partial Regex Item();

    // "I Observar a legislação…" (seed 001): a numeral and a capitalised word.
    [GeneratedRegex(@"^\s*(?<n>[IVXLCDM]{1,7})\s+(?<rest>\p{Lu}\p{Ll}.*)$")]
    private static partial Regex ItemWithoutMark();

    [GeneratedRegex(@"^\s*(?<n>[a-z])\s*\)\s*(?<rest>.*)$")]
    private static partial Regex Alinea();

    [GeneratedRegex(@"^\s*(?<n>\d{1,3}(?:\.\d{1,3}){0,5})\s*(?:[-–—)]|\.(?=\s))\s*(?<rest>\S.*)$")]
    private static partial Regex NumberedUnit();

    [GeneratedRegex(@"^\s*[-–—•·*▪◦●]\s*(?<rest>\S.*)$")]
    private static partial Regex Bullet();

    [GeneratedRegex(@"(?:^|[:;]\s*)(?<n>[IVXLCDM]{1,7})\s*[-–—)]\s*(?=\S)")]
    private static partial Regex InlineRoman();

    [GeneratedRegex(@"\b(?:compete|competem|cabe|incumbe|compreende|tem por finalidades?|se prop[õo]e a|s[ãa]o atribui[çc][õo]es[^:]*|s[ãa]o compet[êe]ncias[^:]*)\s*:", RegexOptions.IgnoreCase)]
    private static partial Regex InlineListIntro();
}

public static class Roman
{
    private static readonly string[] Canonical = Enumerable.Range(1, 399).Select(ToRoman).ToArray();

    /// <summary>The value of a canonical Roman numeral (I to CCCXCIX); null for anything else ("IIII", "VX", "DIA").</summary>
    public static int? Parse(string text)
    {
        var index = Array.IndexOf(Canonical, text);
        return index < 0 ? null : index + 1;
    }

    public static string ToRoman(int number)
    {
        var values = new[] { 100, 90, 50, 40, 10, 9, 5, 4, 1 };
        var numerals = new[] { "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I" };
        var result = new System.Text.StringBuilder();
        for (var i = 0; i < values.Length; i++)
        {
            while (number >= values[i])
            {
                result.Append(numerals[i]);
                number -= values[i];
            }
        }
        return result.ToString();
    }
}

/// <summary>The headings of organ pages ("Missão", "Valores", "Atribuições do Gestor"…) and what each introduces.</summary>
public static class Headings
{
    public enum Meaning { Mission, Vision, Values, Purpose, About, Competences, HeadAttributions, Aims, Actions, Other }

    private static readonly (string Prefix, Meaning Meaning)[] Known =
    [
        ("missao", Meaning.Mission), ("visao", Meaning.Vision), ("valores", Meaning.Values), ("nossos valores", Meaning.Values),
        ("proposito", Meaning.Purpose), ("quem somos", Meaning.About), ("sobre", Meaning.About), ("apresentacao", Meaning.About),
        ("atribuicoes do", Meaning.HeadAttributions), ("atribuicoes da", Meaning.Competences), ("atribuicoes", Meaning.Competences),
        ("competencias do", Meaning.HeadAttributions), ("competencias", Meaning.Competences), ("competencia", Meaning.Competences),
        ("funcoes", Meaning.Competences), ("finalidades", Meaning.Aims), ("finalidade", Meaning.Aims), ("objetivos", Meaning.Aims),
        ("acoes", Meaning.Actions),
    ];

    private static readonly string[] HeadWords = ["gestor", "gestora", "secretario", "secretaria(o)", "secretario(a)", "diretor", "diretora", "coordenador", "coordenadora", "chefe", "titular", "prefeito", "superintendente", "presidente", "gerente"];

    /// <summary>What a line introduces, when it is a heading: short, no sentence punctuation, starting with a known word.</summary>
    public static Meaning? Of(string line)
    {
        var text = line.Trim().TrimEnd(':').Trim();
        if (text.Length == 0 || text.Length > 60 || !char.IsLetter(text[0]) || text.EndsWith(';') || text.EndsWith(',') || (text.EndsWith('.') && text.Length > 20))
        {
            return null;
        }
        var plain = TypoCorrector.StripAccents(text).ToLowerInvariant().TrimEnd('.');
        foreach (var (prefix, meaning) in Known)
        {
            if (plain == prefix || plain.StartsWith(prefix + " ", StringComparison.Ordinal))
            {
                if (meaning is Meaning.HeadAttributions or Meaning.Competences && plain.Split(' ').Length > 1)
                {
                    var rest = plain.Split(' ').Skip(2).FirstOrDefault() ?? "";
                    return HeadWords.Contains(rest) ? Meaning.HeadAttributions : Meaning.Competences;
                }
                return plain.Split(' ').Length <= 6 ? meaning : null;
            }
        }
        return null;
    }
}
