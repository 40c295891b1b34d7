using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Paco.Api.Import;

/// <summary>A name of an organ found in a text, where it starts, and whether the text named its head rather than the organ.</summary>
public sealed record OrganMention(string Name, int Index, bool Head, bool Generic);

/// <summary>
/// Organ names in running text: "Secretaria Municipal de Planejamento, Gestão e Governança", "Núcleo de Vigilância
/// Sanitária", "COGEMAS/MG – Colegiado de …"; heads ("Secretário Municipal de Saúde" → the Secretaria); the organ kind a
/// name implies; and slugs.
/// </summary>
public static partial class OrganNames
{
    private static readonly (string Word, string Kind)[] KindWords =
    [
        ("gabinete", "gabinete"), ("secretaria", "secretaria"), ("departamento", "departamento"), ("divisao", "divisao"), ("nucleo", "nucleo"),
        ("coordenadoria", "coordenadoria"), ("coordenacao", "coordenadoria"), ("conselho", "conselho"), ("fundo", "fundo"), ("colegiado", "colegiado"),
        ("assessoria", "assessoria"), ("autarquia", "autarquia"), ("fundacao", "fundacao"), ("procuradoria", "procuradoria"), ("procuradoria-geral", "procuradoria"),
        ("controladoria", "controladoria"), ("controladoria-geral", "controladoria"), ("diretoria", "outro"), ("gerencia", "outro"), ("superintendencia", "outro"),
        ("ouvidoria", "outro"), ("setor", "outro"), ("unidade", "outro"), ("comissao", "outro"), ("junta", "outro"), ("instituto", "autarquia"), ("servico", "outro"),
        ("centro", "outro"), ("agencia", "autarquia"),
    ];

    /// <summary>Head titles, and the organ word each heads ("Secretário" heads a Secretaria).</summary>
    private static readonly (string Word, string Organ)[] HeadWords =
    [
        ("secretario", "Secretaria"), ("secretaria(o)", "Secretaria"), ("secretario(a)", "Secretaria"), ("diretor", "Diretoria"), ("diretora", "Diretoria"),
        ("diretor(a)", "Diretoria"), ("coordenador", "Coordenadoria"), ("coordenadora", "Coordenadoria"), ("coordenador(a)", "Coordenadoria"), ("chefe", ""),
        ("gestor", ""), ("gestora", ""), ("superintendente", "Superintendência"), ("procurador-geral", "Procuradoria-Geral"), ("controlador-geral", "Controladoria-Geral"),
        ("ouvidor", "Ouvidoria"), ("ouvidor-geral", "Ouvidoria-Geral"), ("gerente", "Gerência"), ("presidente", ""), ("titular", ""),
    ];

    private static readonly HashSet<string> HeadPrecedents = new(StringComparer.Ordinal) { "ao", "o", "do", "pelo", "a", "da" };

    private static readonly HashSet<string> Particles = new(StringComparer.Ordinal) { "de", "da", "do", "das", "dos", "e", "para", "em", "a", "à", "ao", "com", "sobre", "no", "na" };

    private static readonly HashSet<string> Stops = new(StringComparer.Ordinal)
    {
        "compete", "competem", "cabe", "incumbe", "tem", "têm", "é", "são", "será", "fica", "ficam", "conforme", "órgão", "compreende", "terá",
    };

    /// <summary>The kind a name implies by its first word ("Núcleo …" → nucleo); "outro" when none.</summary>
    public static string KindOf(string name)
    {
        foreach (var word in Words(name).Take(4))
        {
            var plain = Plain(word);
            foreach (var (kindWord, kind) in KindWords)
            {
                if (plain == kindWord)
                {
                    return kind;
                }
            }
        }
        return "outro";
    }

    /// <summary>Whether the text starts with a capitalised organ word ("Secretaria …", "Núcleo …"): a cheap test before <see cref="Find"/>.</summary>
    public static bool StartsWithKind(string text)
    {
        var trimmed = text.TrimStart();
        if (trimmed.Length == 0 || !char.IsUpper(trimmed[0]))
        {
            return false;
        }
        var end = trimmed.IndexOfAny([' ', ',', ';', ':', '.']);
        var first = Plain(end < 0 ? trimmed : trimmed[..end]);
        return KindWords.Any(k => k.Word == first);
    }

    /// <summary>The first organ (or head) named in <paramref name="text"/>.</summary>
    public static OrganMention? Find(string text, int from = 0)
    {
        var words = WordSpans().Matches(text);
        for (var i = 0; i < words.Count; i++)
        {
            if (words[i].Index < from)
            {
                continue;
            }
            var capitalised = char.IsUpper(words[i].Value[0]);
            if (!capitalised && (i == 0 || !HeadPrecedents.Contains(words[i - 1].Value.ToLowerInvariant())))
            {
                continue; // organ names are capitalised; a head may follow "ao", "do"… in lowercase
            }
            var plain = Plain(words[i].Value);
            var isKind = capitalised && KindWords.Any(k => k.Word == plain);
            var head = HeadWords.FirstOrDefault(h => h.Word == plain);
            if (!isKind && head.Word is null)
            {
                continue;
            }
            if (!isKind && !char.IsUpper(words[i].Value[0]) && (i == 0 || Plain(words[i - 1].Value) is not ("ao" or "o" or "do" or "pelo" or "a" or "da")))
            {
                continue; // "o secretário" names a head; "secretário" in the middle of a sentence may not
            }
            if (isKind)
            {
                head = default;
            }
            var end = ScanName(text, words, i);
            var name = text[words[i].Index..end].Trim().TrimEnd(',', ' ');
            if (head.Word is not null)
            {
                // The head of a named organ ("Diretor do Departamento de Compras") or of one its title implies ("Secretário Municipal de Saúde").
                var inner = Find(name, words[i].Length);
                if (inner is { Head: false })
                {
                    return inner with { Index = words[i].Index, Head = true };
                }
                var rest = name[words[i].Length..].Trim();
                var generic = rest.Length == 0 || head.Organ!.Length == 0 || !rest.Split(' ').Any(w => w.Length > 0 && char.IsUpper(w[0]));
                return new OrganMention(generic ? name : head.Organ + " " + rest, words[i].Index, true, generic);
            }
            var genericName = Words(name).Count(w => !Particles.Contains(w.ToLowerInvariant())) <= 1 || name.Length <= words[i].Length + 1;
            return new OrganMention(name, words[i].Index, false, genericName);
        }
        return null;
    }

    /// <summary>Whether the whole line is an organ's name ("Gabinete do Prefeito").</summary>
    public static bool IsName(string line)
    {
        var text = line.Trim().TrimEnd('.', ';', ':');
        return text.Length <= 150 && Find(text) is { Index: 0, Head: false, Generic: false } mention && mention.Name.Length >= text.Length - 1;
    }

    /// <summary>Where a name that starts at word <paramref name="first"/> ends: capitalised words and particles, and ", Capitalised" runs ("Planejamento, Gestão e Governança").</summary>
    private static int ScanName(string text, MatchCollection words, int first)
    {
        var end = words[first].Index + words[first].Length;
        var lastGood = end;
        for (var i = first + 1; i < words.Count; i++)
        {
            var word = words[i].Value;
            var between = text[end..words[i].Index];
            if (between.Trim().Length > 0 && between.Trim() is not ("," or "-" or "–" or "/"))
            {
                break;
            }
            var lower = word.ToLowerInvariant();
            if (Stops.Contains(lower))
            {
                break;
            }
            var capital = char.IsUpper(word[0]) || char.IsDigit(word[0]);
            if (between.Contains(',') && !capital)
            {
                break;
            }
            if (between.Trim() is "-" or "–" && !capital)
            {
                break;
            }
            if (!capital && !Particles.Contains(lower))
            {
                break;
            }
            end = words[i].Index + words[i].Length;
            if (capital)
            {
                lastGood = end;
            }
        }
        return lastGood;
    }

    /// <summary>"DA SECRETARIA MUNICIPAL DE SAÚDE" → "Secretaria Municipal de Saúde": an uppercase title as a name.</summary>
    public static string FromTitle(string title)
    {
        var text = title.Trim().TrimEnd('.', ':');
        if (text.Any(char.IsLower))
        {
            return StripLeadingArticle(text);
        }
        var words = text.ToLower(CultureInfo.GetCultureInfo("pt-BR")).Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select((w, i) => i > 0 && Particles.Contains(w) ? w : CultureInfo.GetCultureInfo("pt-BR").TextInfo.ToTitleCase(w));
        return StripLeadingArticle(string.Join(' ', words));
    }

    private static string StripLeadingArticle(string text) => LeadingArticle().Replace(text, "");

    /// <summary>A slug for an organ: "Secretaria Municipal de Saúde" → "secretaria-de-saude" (a secretaria's "Municipal" is dropped, as the seeds do); an acronym's when there is one.</summary>
    public static string SlugOf(string name, string? acronym)
    {
        var source = acronym ?? name;
        var slug = Slugify(source);
        if (acronym is null)
        {
            slug = SecretariaMunicipal().Replace(slug, "secretaria-");
        }
        if (slug.Length > Common.Limits.SlugLength)
        {
            slug = slug[..Common.Limits.SlugLength].TrimEnd('-');
        }
        return slug.Length == 0 ? "orgao" : slug;
    }

    public static string Slugify(string text)
    {
        var builder = new StringBuilder();
        foreach (var c in TypoCorrector.StripAccents(text).ToLowerInvariant())
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) ? c : '-');
        }
        return MultipleDashes().Replace(builder.ToString(), "-").Trim('-');
    }

    /// <summary>The key two mentions of the same organ share: accents, case, "Municipal" and spacing ignored.</summary>
    public static string Key(string name) =>
        string.Join(' ', Words(TypoCorrector.StripAccents(name).ToLowerInvariant()).Where(w => w is not ("municipal" or "municipais")));

    private static IEnumerable<string> Words(string text) => text.Split((char[])[' ', ','], StringSplitOptions.RemoveEmptyEntries);

    private static string Plain(string word) => TypoCorrector.StripAccents(word).ToLowerInvariant();

    [GeneratedRegex(@"[\p{L}\d][\p{L}\d\-()/]*")]
    private static partial Regex WordSpans();

    [GeneratedRegex(@"^(?:D[AO]S?|d[ao]s?|A|O|À|Ao|AO)\s+")]
    private static partial Regex LeadingArticle();

    [GeneratedRegex(@"^secretaria-municipal-")]
    private static partial Regex SecretariaMunicipal();

    [GeneratedRegex(@"-{2,}")]
    private static partial Regex MultipleDashes();
}
