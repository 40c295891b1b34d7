using System.Globalization;
using System.Text;

namespace Paco.Api.Tests.Import;

/// <summary>
/// A structure law of any size, written from Texts/lei-grande.template.txt: a list of organs (secretarias with a
/// departamento each, as alíneas), then a chapter per secretaria with its competences, its head's attributions and its
/// departamento's competences. Items vary in dash (–, -, —), some break over two lines, some carry non-breaking spaces.
/// What it wrote comes back as the items a proposal must hold.
/// </summary>
public static class LargeLaw
{
    private static readonly string[] Areas =
    [
        "Saúde", "Educação", "Cultura", "Esporte", "Turismo", "Obras", "Habitação", "Agricultura", "Meio Ambiente", "Finanças", "Planejamento",
        "Administração", "Assistência Social", "Segurança Pública", "Mobilidade Urbana", "Desenvolvimento Econômico", "Ciência e Tecnologia",
        "Juventude", "Direitos Humanos", "Abastecimento",
    ];

    private static readonly string[] Qualifiers = ["", " e Cidadania", " e Inovação", " e Projetos Especiais", " e Participação Popular", " e Sustentabilidade", " e Qualidade de Vida", " e Integração Regional"];

    private static readonly string[] Verbs = ["planejar", "coordenar", "executar", "fiscalizar", "promover", "acompanhar", "avaliar", "manter", "apoiar", "desenvolver"];

    private static readonly string[] Objects =
    [
        "os programas e projetos da área", "as ações integradas com os demais órgãos do Município", "os convênios firmados com o Estado e a União",
        "o cadastro das entidades parceiras", "a execução orçamentária e financeira da pasta", "os serviços prestados diretamente à população",
        "os indicadores de desempenho e a transparência das ações", "a capacitação permanente dos servidores lotados na pasta",
    ];

    private static readonly string[] Dashes = ["–", "-", "—"];

    public sealed record Generated(string Text, HashSet<string> Organs, HashSet<string> Competences);

    public static Generated Generate(int minimumCharacters, string templatePath)
    {
        var template = File.ReadAllText(templatePath);
        var header = template[..template.IndexOf("=== capítulo ===", StringComparison.Ordinal)];
        var chapter = Between(template, "=== capítulo ===\n", "=== fim ===");
        var footer = template[(template.IndexOf("=== fim ===\n", StringComparison.Ordinal) + "=== fim ===\n".Length)..];
        var organs = new HashSet<string>();
        var competences = new HashSet<string>();
        var random = new Random(20240701);
        var list = new StringBuilder();
        var chapters = new StringBuilder();
        var article = 3;
        var count = 0;
        for (var n = 0; header.Length + list.Length + chapters.Length < minimumCharacters; n++)
        {
            var area = Areas[n % Areas.Length] + Qualifiers[n / Areas.Length % Qualifiers.Length] + (n >= Areas.Length * Qualifiers.Length ? $" {n / (Areas.Length * Qualifiers.Length) + 1}" : "");
            var secretaria = $"Secretaria Municipal de {area}";
            var departamento = $"Departamento de Gestão de {area}";
            count++;
            list.Append(CultureInfo.InvariantCulture, $"{Roman(count)} – {secretaria}:\n").Append(CultureInfo.InvariantCulture, $"a) {departamento};\n");
            organs.Add($"{secretaria}|");
            organs.Add($"{departamento}|{secretaria}");
            var own = Items(random, 12, secretaria, "competences", article.ToString(CultureInfo.InvariantCulture), null, competences);
            var head = Items(random, 3, secretaria, "headAttributions", article.ToString(CultureInfo.InvariantCulture), "1", competences);
            var departmentArticle = article + 1;
            var department = Items(random, 5, departamento, "competences", departmentArticle.ToString(CultureInfo.InvariantCulture), null, competences);
            chapters.Append(chapter
                .Replace("{{ROMANO}}", Roman(count + 1), StringComparison.Ordinal)
                .Replace("{{SECRETARIA_MAIUSCULA}}", secretaria.ToUpper(CultureInfo.GetCultureInfo("pt-BR")), StringComparison.Ordinal)
                .Replace("{{SECRETARIA}}", secretaria, StringComparison.Ordinal)
                .Replace("{{SECRETARIO}}", $"Secretário Municipal de {area}", StringComparison.Ordinal)
                .Replace("{{DEPARTAMENTO}}", departamento, StringComparison.Ordinal)
                .Replace("{{ARTIGO}}", article.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("{{ARTIGO_DEPARTAMENTO}}", departmentArticle.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("{{ITENS}}", own, StringComparison.Ordinal)
                .Replace("{{ITENS_TITULAR}}", head, StringComparison.Ordinal)
                .Replace("{{ITENS_DEPARTAMENTO}}", department, StringComparison.Ordinal)).Append('\n');
            article += 2;
        }
        var text = header.Replace("{{NUMERO}}", "900", StringComparison.Ordinal).Replace("{{ORGAOS}}", list.ToString().TrimEnd('\n', ';') + ".\n", StringComparison.Ordinal)
            + "\n" + chapters
            + footer.Replace("{{ROMANO}}", Roman(count + 2), StringComparison.Ordinal).Replace("{{ARTIGO}}", article.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        return new Generated(text, organs, competences);
    }

    private static string Items(Random random, int count, string organ, string group, string article, string? paragraph, HashSet<string> expected)
    {
        var lines = new StringBuilder();
        for (var i = 1; i <= count; i++)
        {
            var text = $"{Verbs[random.Next(Verbs.Length)]} {Objects[random.Next(Objects.Length)]} no âmbito da {organ} (item {i})" + (i == count ? "." : ";");
            var dash = Dashes[random.Next(Dashes.Length)];
            var written = random.Next(6) switch
            {
                0 => text.Replace(" no âmbito", "\nno âmbito", StringComparison.Ordinal),   // an item broken over two lines
                1 => text.Replace(" no âmbito", "\u00A0no\u00A0âmbito", StringComparison.Ordinal), // non-breaking spaces
                _ => text,
            };
            lines.Append(CultureInfo.InvariantCulture, $"{Roman(i)} {dash} {written}\n");
            expected.Add($"{organ}|{group}|{Roman(i)}|{article}|{paragraph}|{Roman(i)}|{text}");
        }
        return lines.ToString().TrimEnd('\n');
    }

    private static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal) + start.Length;
        return text[from..text.IndexOf(end, from, StringComparison.Ordinal)];
    }

    private static string Roman(int number) => Paco.Api.Import.Roman.ToRoman(number);
}
