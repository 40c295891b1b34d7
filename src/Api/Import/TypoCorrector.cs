using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Paco.Api.Common;

namespace Paco.Api.Import;

/// <summary>
/// Corrects the clear typos organ pages carry, and only those: a missing accent ("Assistencia"), a letter left out
/// ("municpais") and a word split by a stray space ("autor idades"), judged against a small vocabulary of
/// administrative Portuguese and the accented words of the text itself; and a space before a comma or semicolon.
/// Every correction is returned (it goes into the draft's provenance and a warning); a word that is valid without its
/// accent ("especifica", "publica", "secretaria") is left alone.
/// </summary>
public sealed partial class TypoCorrector
{
    // Accented words of municipal administration; the text's own accented words are added per import.
    private const string Vocabulary = """
        assistência ciência consciência competência competências experiência experiências eficiência excelência urgência emergência
        residência vigilância sanitária área áreas âmbito órgão órgãos município municípios públicos pública públicas político políticas
        política técnico técnica técnicos técnicas econômico econômica saúde gestão informação informações comunicação administração educação
        ação ações execução promoção proteção participação coordenação organização orçamento orçamentária orçamentário orçamentárias
        implementação população formação qualificação legislação regulação avaliação fiscalização arrecadação tributação licitação licitações
        contratação contratações aquisição manutenção conservação preservação integração articulação cooperação atuação aplicação
        elaboração operação operações situação relação relações realização instituição instituições manifestação prestação capacitação
        modernização municipalização habitação urbanização circulação sinalização iluminação pavimentação drenagem matrícula matrículas
        família famílias indivíduos crianças criança adolescência juventude idosos necessários necessária necessárias necessário
        serviços serviço benefícios benefício código códigos estatística estatísticas histórico histórica patrimônio patrimônios
        fundação autarquia tributário tributária financeiro financeira judiciário legislativo executivo secretário secretária secretários
        diretório funcionários funcionário servidores salários salário previdência previdenciário segurança trânsito turístico turística
        agrícola agropecuária econômicos jurídico jurídica jurídicos consultoria assessoria ouvidoria controladoria procuradoria
        coordenadoria diretoria superintendência gerência divisão núcleo conselho colegiado gabinete prefeito vice-prefeito câmara
        específico específicos específicas cidadão cidadãos cidadania comissão comissões atribuição atribuições função funções missão visão
        propósito princípios princípio diretrizes estratégia estratégico estratégicos estratégicas logística temporária temporário
        permanência convênio convênios parcerias autoridades constituídas destinatária vulnerabilidade acessível sustentável responsável
        responsáveis análise análises média mínimo máximo período periódico periódica índice índices médico médica hospitalar farmácia
        epidemiológica epidemiológico ambiental ambientais hídricos esporte esportes lazer cultura turismo indústria comércio agricultura
        abastecimento saneamento resíduos sólidos limpeza urbana transporte transportes obras viação
        """;

    // Words that are right as they are, though an accented word differs from them by an accent only.
    private const string ValidWithoutAccent = """
        especifica especificas especifico publica publicas publico publicos pratica praticas critica criticas valida analise analises
        secretaria secretarias numero numeros transito historia historico media medica medico pais e a o as os esta este ate para pelo
        pela pode duvida policia politico orgao sabia ciencia
        """;

    private static readonly IReadOnlySet<string> Plain = new HashSet<string>(StringComparer.Ordinal)
    {
        // Frequent unaccented words the missing-letter and split-word rules measure against.
        "municipais", "municipal", "municipio", "autoridades", "atividades", "finalidades", "entidades", "necessidades", "comunidades",
        "oportunidades", "especialidades", "responsabilidades", "unidades", "prioridades", "programas", "projetos", "planejamento",
        "coordenar", "planejar", "executar", "promover", "desenvolver", "acompanhar", "assessorar", "administrar", "fiscalizar",
        "implantar", "implementar", "supervisionar", "controlar", "elaborar", "manter", "garantir", "assegurar", "apoiar", "incentivar",
        "conselhos", "secretarias", "departamentos", "prefeitura", "governo", "sociedade", "desenvolvimento", "profissionalizantes",
        "cooperativas", "particularmente", "artesanais", "iniciativas", "permanentemente", "adolescente", "favorecimento",
    };

    private readonly Dictionary<string, string> _accentedByPlain;
    private readonly HashSet<string> _known;
    private readonly Dictionary<(int, char), List<string>> _byLengthAndInitial = [];
    private readonly HashSet<string> _tails = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Word, string? Reason)> _decided = new(StringComparer.Ordinal);
    private static readonly HashSet<string> Valid = new(Words(ValidWithoutAccent), StringComparer.Ordinal);

    public TypoCorrector(string text)
    {
        _accentedByPlain = new Dictionary<string, string>(StringComparer.Ordinal);
        _known = new HashSet<string>(Plain, StringComparer.Ordinal);
        var accentedInText = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (start, length) in WordsIn(text))
        {
            var word = text.AsSpan(start, length);
            if (!System.Text.Ascii.IsValid(word))
            {
                accentedInText.Add(word.ToString().ToLowerInvariant());
            }
        }
        foreach (var word in Words(Vocabulary).Concat(accentedInText))
        {
            _known.Add(word);
            var plain = StripAccents(word);
            if (plain != word)
            {
                _accentedByPlain.TryAdd(plain, word);
            }
        }
        foreach (var word in _known)
        {
            for (var i = 3; i <= word.Length - 3; i++)
            {
                _tails.Add(word[i..]); // what the second half of a split word can be
            }
            var key = (word.Length, word[0]);
            if (!_byLengthAndInitial.TryGetValue(key, out var list))
            {
                _byLengthAndInitial[key] = list = [];
            }
            list.Add(word);
        }
    }

    /// <summary>The text corrected, with each correction made (once per distinct original).</summary>
    public string Correct(string text, List<Correction> corrections)
    {
        var result = text;
        if (result.Contains(" ,", StringComparison.Ordinal) || result.Contains(" ;", StringComparison.Ordinal))
        {
            result = SpaceBeforePunctuation().Replace(result, m =>
            {
                var corrected = m.Groups["before"].Value + m.Groups["mark"].Value;
                Record(corrections, m.Value, corrected, "stray space before a punctuation mark");
                return corrected;
            });
        }
        // One pass over the words: split words joined, unknown words corrected; a new string only when something changes.
        System.Text.StringBuilder? changed = null;
        var copied = 0;
        var words = WordsIn(result).ToList();
        for (var i = 0; i < words.Count; i++)
        {
            var (start, length) = words[i];
            var word = result.Substring(start, length);
            if (i + 1 < words.Count && length >= 3 && char.IsLower(word[0]))
            {
                var (nextStart, nextLength) = words[i + 1];
                if (nextStart == start + length + 1 && result[start + length] == ' ' && nextLength >= 3 && _tails.Contains(result.Substring(nextStart, nextLength)))
                {
                    var next = result.Substring(nextStart, nextLength);
                    if (char.IsLower(next[0]) && _known.Contains(word + next) && !_known.Contains(next) && !Valid.Contains(next))
                    {
                        Record(corrections, $"{word} {next}", word + next, "word split by a stray space");
                        changed ??= new System.Text.StringBuilder(result.Length);
                        changed.Append(result, copied, start - copied).Append(word).Append(next);
                        copied = nextStart + nextLength;
                        i++;
                        continue;
                    }
                }
            }
            var (fixedWord, reason) = Decide(word);
            if (reason is not null)
            {
                Record(corrections, word, fixedWord, reason);
                changed ??= new System.Text.StringBuilder(result.Length);
                changed.Append(result, copied, start - copied).Append(fixedWord);
                copied = start + length;
            }
        }
        return changed is null ? result : changed.Append(result, copied, result.Length - copied).ToString();
    }

    /// <summary>The words of a text (letters, with inner hyphens), as start and length.</summary>
    private static IEnumerable<(int Start, int Length)> WordsIn(string text)
    {
        var i = 0;
        while (i < text.Length)
        {
            if (!char.IsLetter(text[i]))
            {
                i++;
                continue;
            }
            var start = i;
            while (i < text.Length && (char.IsLetter(text[i]) || (text[i] == '-' && i + 1 < text.Length && char.IsLetter(text[i + 1]))))
            {
                i++;
            }
            yield return (start, i - start);
        }
    }

    private (string Word, string? Reason) Decide(string word)
    {
        if (_decided.TryGetValue(word, out var decided))
        {
            return decided;
        }
        var lower = word.ToLowerInvariant();
        decided = (word, null);
        if (lower.Length >= 5 && !_known.Contains(lower) && !Valid.Contains(lower))
        {
            if (!HasAccent(lower) && _accentedByPlain.TryGetValue(lower, out var accented))
            {
                decided = (SameCase(word, accented), "missing accent");
            }
            else if (lower.Length >= 7 && MissingLetter(lower) is { } full)
            {
                decided = (SameCase(word, full), "missing letter");
            }
        }
        return _decided[word] = decided;
    }

    /// <summary>The one known word that <paramref name="word"/> is with an inner letter left out.</summary>
    private string? MissingLetter(string word)
    {
        string? found = null;
        foreach (var candidate in _byLengthAndInitial.GetValueOrDefault((word.Length + 1, word[0])) ?? [])
        {
            if (candidate[^1] != word[^1])
            {
                continue;
            }
            for (var i = 1; i < candidate.Length - 1; i++)
            {
                if (string.CompareOrdinal(candidate, 0, word, 0, i) == 0 && string.CompareOrdinal(candidate, i + 1, word, i, word.Length - i) == 0)
                {
                    if (found is not null && found != candidate)
                    {
                        return null; // ambiguous: leave it
                    }
                    found = candidate;
                    break;
                }
            }
        }
        return found;
    }

    private static void Record(List<Correction> corrections, string original, string corrected, string reason)
    {
        if (!corrections.Any(c => c.Original == original))
        {
            corrections.Add(new Correction(original, corrected, $"typo in source ({reason})"));
        }
    }

    private static string SameCase(string original, string replacement) =>
        char.IsUpper(original[0]) ? char.ToUpper(replacement[0], CultureInfo.InvariantCulture) + replacement[1..] : replacement;

    private static IEnumerable<string> Words(string list) => list.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static bool HasAccent(string word) => word.Any(c => c > 127);

    public static string StripAccents(string text)
    {
        if (System.Text.Ascii.IsValid(text))
        {
            return text;
        }
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                builder.Append(c);
            }
        }
        return builder.ToString().Normalize(NormalizationForm.FormC);
    }

    [GeneratedRegex(@"(?<before>\p{L})\s+(?<mark>[,;])")]
    private static partial Regex SpaceBeforePunctuation();

}
