using Paco.Api.Organs;

namespace Paco.Api.Tests.Search;

/// <summary>
/// "Quem faz o quê": what citizens type, with missing accents, another number or verb form, or half a word, finds the
/// organ that handles it among the first three hits. Over the seed content (amostra, cogemas-mg) and a municipality
/// written here with the competences a prefeitura's structure law gives its secretariats.
/// </summary>
public sealed class SearchQualityTests : ApiFixture
{
    private const string Town = "vila-serena";

    [OneTimeSetUp]
    public async Task CreateMunicipalityAsync()
    {
        var id = await Content.InstitutionAsync(Town, "MG", "Vila Serena");
        await OrganAsync(id, "secretaria-de-obras-e-servicos-urbanos", "Secretaria Municipal de Obras e Serviços Urbanos", "SEMOSU", ["Eficiência"],
            "executar a manutenção da iluminação pública e das vias urbanas;",
            "expedir alvarás de construção, reforma e demolição e o habite-se;",
            "executar a pavimentação, o recapeamento e a operação tapa-buracos das ruas;",
            "fiscalizar as obras particulares e o uso das calçadas;");
        await OrganAsync(id, "secretaria-de-educacao", "Secretaria Municipal de Educação", "SEMED", ["Inclusão"],
            "organizar a matrícula escolar e a transferência de alunos da rede municipal;",
            "manter as creches e as escolas de educação infantil e do ensino fundamental;",
            "oferecer o transporte escolar aos alunos da zona rural;",
            "garantir a merenda escolar com alimentos da agricultura familiar;");
        await OrganAsync(id, "secretaria-de-saude", "Secretaria Municipal de Saúde", "SMS", ["Humanização"],
            "coordenar as campanhas de vacinação e o calendário de imunização;",
            "manter as unidades básicas de saúde e o atendimento de urgência;",
            "distribuir medicamentos pela farmácia municipal;",
            "controlar as zoonoses e combater o mosquito da dengue;");
        await OrganAsync(id, "secretaria-de-fazenda", "Secretaria Municipal de Fazenda", "SEFAZ", ["Transparência"],
            "lançar e cobrar o Imposto Predial e Territorial Urbano (IPTU) e o ISS;",
            "emitir certidões negativas de débitos e a nota fiscal eletrônica de serviços;",
            "inscrever em dívida ativa os tributos não pagos;");
        await OrganAsync(id, "secretaria-de-meio-ambiente", "Secretaria Municipal de Meio Ambiente", "SEMMA", ["Sustentabilidade"],
            "planejar a coleta de lixo, a coleta seletiva e a reciclagem;",
            "conceder o licenciamento ambiental de atividades de impacto local;",
            "autorizar a poda e a supressão de árvores;");
        await OrganAsync(id, "secretaria-de-assistencia-social", "Secretaria Municipal de Assistência Social", null, ["Acolhimento"],
            "gerir o Cadastro Único e o acesso ao Bolsa Família;",
            "manter o Centro de Referência de Assistência Social (CRAS);",
            "acolher pessoas em situação de rua;",
            "apoiar as iniciativas comunitárias de economia solidária;");
        await OrganAsync(id, "secretaria-de-transito", "Secretaria Municipal de Trânsito e Transportes", "SETRAN", ["Segurança"],
            "operar o transporte coletivo urbano e fixar os itinerários dos ônibus;",
            "aplicar multas de trânsito e julgar os recursos de infrações;",
            "sinalizar as vias e instalar semáforos;");
        await OrganAsync(id, "procuradoria-geral", "Procuradoria-Geral do Município", "PGM", ["Legalidade"],
            "representar o Município em juízo e emitir pareceres jurídicos;",
            "promover a cobrança judicial da dívida ativa;");
    }

    private async Task OrganAsync(Guid institutionId, string slug, string name, string? acronym, string[] values, params string[] competences)
    {
        var document = TestContent.Organ(slug, name, values: values,
            competences: competences.Select((text, i) => new Competence(Guid.NewGuid(), ToRoman(i + 1), text, CompetenceGroups.Competences, null, [])).ToList())
            with { Acronym = acronym };
        await Content.ResourceAsync(institutionId, OrganModule.TypeName, slug, [document], publish: 1);
    }

    private static string ToRoman(int n) => new[] { "I", "II", "III", "IV", "V", "VI", "VII", "VIII" }[n - 1];

    private static IEnumerable<TestCaseData> Queries()
    {
        // (institution, what a citizen types, the organ that handles it)
        (string Institution, string Q, string Organ)[] cases =
        [
            (Town, "iluminação pública", "secretaria-de-obras-e-servicos-urbanos"),
            (Town, "iluminacao publica", "secretaria-de-obras-e-servicos-urbanos"),      // no accents
            (Town, "manutencao da iluminacao", "secretaria-de-obras-e-servicos-urbanos"),
            (Town, "alvara de construcao", "secretaria-de-obras-e-servicos-urbanos"),
            (Town, "alvará construir", "secretaria-de-obras-e-servicos-urbanos"),         // the verb for the noun (prefix: constru…)
            (Town, "alvar", "secretaria-de-obras-e-servicos-urbanos"),                     // half a word, still typing
            (Town, "buraco na rua", "secretaria-de-obras-e-servicos-urbanos"),            // singular for plural
            (Town, "calcada", "secretaria-de-obras-e-servicos-urbanos"),
            (Town, "vacina", "secretaria-de-saude"),                                       // prefix of vacinação
            (Town, "vacinacao", "secretaria-de-saude"),
            (Town, "vacinações", "secretaria-de-saude"),                                   // plural
            (Town, "dengue", "secretaria-de-saude"),
            (Town, "medicamentos farmacia", "secretaria-de-saude"),
            (Town, "unidade basica de saude", "secretaria-de-saude"),
            (Town, "matricula escolar", "secretaria-de-educacao"),
            (Town, "matricular", "secretaria-de-educacao"),                                // verb
            (Town, "creche", "secretaria-de-educacao"),
            (Town, "merenda", "secretaria-de-educacao"),
            (Town, "transporte escolar", "secretaria-de-educacao"),
            (Town, "iptu", "secretaria-de-fazenda"),
            (Town, "certidão negativa", "secretaria-de-fazenda"),
            (Town, "nota fiscal", "secretaria-de-fazenda"),
            (Town, "coleta de lixo", "secretaria-de-meio-ambiente"),
            (Town, "reciclagem", "secretaria-de-meio-ambiente"),
            (Town, "poda de arvore", "secretaria-de-meio-ambiente"),
            (Town, "licença ambiental", "secretaria-de-meio-ambiente"),                   // licença for licenciamento (prefix of the stem)
            (Town, "bolsa familia", "secretaria-de-assistencia-social"),
            (Town, "cras", "secretaria-de-assistencia-social"),
            (Town, "situacao de rua", "secretaria-de-assistencia-social"),
            (Town, "onibus", "secretaria-de-transito"),
            (Town, "multa de transito", "secretaria-de-transito"),
            (Town, "semaforo", "secretaria-de-transito"),
            (Town, "SEFAZ", "secretaria-de-fazenda"),                                      // acronym
            (Town, "divida ativa", "secretaria-de-fazenda"),
            (Town, "parecer juridico", "procuradoria-geral"),
            ("amostra", "vigilancia sanitaria", "nucleo-de-vigilancia-sanitaria"),
            ("amostra", "saude", "secretaria-de-saude"),
            ("amostra", "cooperativas artesanais", "secretaria-de-trabalho-e-assistencia-social"),
            ("amostra", "cursos profissionalizantes", "secretaria-de-trabalho-e-assistencia-social"),
            ("amostra", "orcamento plurianual", "secretaria-de-planejamento-gestao-e-governanca"),
            ("amostra", "ouvidoria", "secretaria-de-planejamento-gestao-e-governanca"),
            ("amostra", "defesa civil", "secretaria-de-planejamento-gestao-e-governanca"),
            ("amostra", "gabinete prefeito", "gabinete-do-prefeito"),
            ("amostra", "auditoria", "nucleo-municipal-de-auditoria-assistencial"),
            ("cogemas-mg", "assistencia social gestores", "cogemas-mg"),
        ];
        return cases.Select(c => new TestCaseData(c.Institution, c.Q, c.Organ).SetName($"Searching {c.Institution} for '{c.Q}' finds {c.Organ} in the top 3"));
    }

    [TestCaseSource(nameof(Queries))]
    public async Task Search_finds_the_organ_that_handles_it_in_the_top_3(string institution, string q, string organ)
    {
        var top = await TopThreeAsync(institution, q);

        Assert.That(top, Does.Contain(organ), $"top 3 for '{q}': {string.Join(", ", top)}");
    }

    private static IEnumerable<TestCaseData> WordsTyped()
    {
        // (a word as a citizen would type it, the organ whose competences use it)
        (string Word, string Organ)[] cases =
        [
            ("iluminação", "secretaria-de-obras-e-servicos-urbanos"),
            ("pavimentação", "secretaria-de-obras-e-servicos-urbanos"),
            ("vacinação", "secretaria-de-saude"),
            ("imunização", "secretaria-de-saude"),
            ("matrícula", "secretaria-de-educacao"),
            ("creches", "secretaria-de-educacao"),
            ("licenciamento", "secretaria-de-meio-ambiente"),
            ("reciclagem", "secretaria-de-meio-ambiente"),
            ("itinerários", "secretaria-de-transito"),
            ("certidão", "secretaria-de-fazenda"),
            ("tributos", "secretaria-de-fazenda"),
            ("iniciativas", "secretaria-de-assistencia-social"),
        ];
        return cases.Select(c => new TestCaseData(c.Word, c.Organ).SetName($"Typing '{c.Word}' letter by letter keeps finding {c.Organ} in the top 3"));
    }

    [TestCaseSource(nameof(WordsTyped))]
    public async Task Each_beginning_of_a_word_as_it_is_typed_finds_the_organ_in_the_top_3(string word, string organ)
    {
        // Every beginning from four letters on: the stem of a word half typed is often longer than the whole word's
        // ("iniciat" against 'inic'), and the hits must not vanish as one types on.
        var lost = new List<string>();
        for (var length = 4; length <= word.Length; length++)
        {
            var typed = word[..length];
            var top = await TopThreeAsync(Town, typed);
            if (!top.Contains(organ)) lost.Add($"'{typed}' → [{string.Join(", ", top)}]");
        }
        Assert.That(lost, Is.Empty, $"beginnings of '{word}' that do not find {organ} in the top 3");
    }

    /// <summary>The organs of the first three hits, as a site would show them.</summary>
    private async Task<List<string>> TopThreeAsync(string institution, string q)
    {
        var page = await GetJsonAsync($"/api/v1/institutions/{institution}/search?q={Uri.EscapeDataString(q)}&pageSize=3");
        return page["items"]!.AsArray().Select(h => h!["organ"]!["slug"]!.GetValue<string>()).ToList();
    }

    [Test]
    public void The_query_set_has_at_least_30_queries() => Assert.That(Queries().Count(), Is.GreaterThanOrEqualTo(30));
}
