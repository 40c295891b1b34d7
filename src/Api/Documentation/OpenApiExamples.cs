using Paco.Api.Institutions;
using Paco.Api.LegalBases;
using Paco.Api.Organs;
using Paco.Api.Common;

namespace Paco.Api.Documentation;

/// <summary>The examples shown in the OpenAPI document, one complete instance of each resource, taken from the seed content.</summary>
public static class ExampleRegistration
{
    public static IServiceCollection AddPacoOpenApiExamples(this IServiceCollection services)
    {
        services.AddSingleton(SchemaExample.Of(OpenApiExamples.Organ));
        services.AddSingleton(SchemaExample.Of(OpenApiExamples.OrganDocument));
        services.AddSingleton(SchemaExample.Of(OpenApiExamples.LegalBasis));
        services.AddSingleton(SchemaExample.Of(OpenApiExamples.LegalBasisDocument));
        services.AddSingleton(SchemaExample.Of(OpenApiExamples.Institution));
        services.AddSingleton(SchemaExample.Of(ImportExamples.Proposal));
        services.AddSingleton(SchemaExample.Of(ImportExamples.Result));
        return services;
    }
}

public static class OpenApiExamples
{
    private static readonly Guid InstitutionId = Guid.Parse("6f1c2a8e-4b0d-8e3a-9c51-2d7f0b9e4a10");
    private static readonly Guid OrganId = Guid.Parse("0b7e3f52-91c4-8d2e-a6f0-5c3b8e1d7a24");
    private static readonly Guid LawId = Guid.Parse("a3d95c10-7e2b-8f41-b0c6-1e4d9a7f3b58");
    private static readonly Guid CompetenceId = Guid.Parse("5e2a7c91-3d4f-8b60-9a1e-7c0d3f5b2e86");
    private static readonly DateTimeOffset Published = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private static readonly Common.InstitutionRef InstitutionRef = new(InstitutionId, "amostra", "Município de Exemplo (conteúdo de amostra)");

    private static readonly LegalBasisSummary Law = new(LawId, "lei-473-1999", "lei", "473", 1999, "Lei nº 473/99", "inForce", null,
        "urn:lex:br;minas.gerais;exemplo:municipal:lei:1999;473");

    private const string CompetenceText = "planejar, coordenar, controlar e executar ações que visem assegurar a implementação de programas de natureza social do Poder Executivo Municipal;";

    public static readonly OrganResponse Organ = new(
        OrganId,
        "secretaria-de-trabalho-e-assistencia-social",
        InstitutionRef,
        "Secretaria de Trabalho e Assistência Social",
        "STAS",
        "secretaria",
        null,
        4,
        new Statements(null, null,
            "Seu objetivo é garantir a proteção social aos cidadãos, ou seja, apoio a indivíduos, famílias e à comunidade no enfrentamento de suas dificuldades, por meio de serviços, benefícios, programas e projetos.",
            null),
        ["Ética e transparência"],
        [
            new CompetenceResponse(CompetenceId, 1, "I", CompetenceText, CompetenceGroups.Competences, null,
                [new CitationResponse(Law, "11", null, "I", "art. 11, inciso I da Lei nº 473/99", "urn:lex:br;minas.gerais;exemplo:municipal:lei:1999;473!art11_cpt_inc1")]),
        ],
        new Head("Secretário(a) Municipal de Trabalho e Assistência Social", "Maria da Silva", new DateOnly(2025, 1, 1)),
        new Contact(
            [new Address("Rua Exemplo", "100", null, "Centro", "Exemplo", "MG", "30000-000", "Segunda a sexta, das 8h às 17h")],
            [new Phone("+55 31 3000-0000", "Atendimento")],
            ["assistencia@exemplo.mg.gov.br"],
            "https://exemplo.mg.gov.br/assistencia-social"),
        [new LegalBasisLinkResponse("structures", Law)],
        new EffectivePeriod(new DateOnly(1999, 3, 15), null),
        new SourceProvenance(["seeds/sources/000_4c1bae6390735141.txt"], ["The list I–V appears twice in the source (under “Missão” and “Funções”); stored once."],
            [new Correction("municpais", "municipais", "typo in source")]),
        new RevisionInfo(1, Published, "sha256:3f0c9d1e2b7a4c5d6e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d"),
        Links("/api/v1/institutions/amostra/organs/secretaria-de-trabalho-e-assistencia-social"));

    public static readonly OrganDocument OrganDocument = new(
        Organ.Slug, Organ.Name, Organ.Acronym, Organ.Kind, null, Organ.DisplayOrder, Organ.Statements, Organ.Values,
        [new Competence(CompetenceId, "I", CompetenceText, CompetenceGroups.Competences, null, [new Citation(LawId, "11", null, "I")])],
        Organ.Head, Organ.Contact, [new LegalBasisLink(LawId, "structures")], Organ.Effective, Organ.Source);

    public static readonly LegalBasisDocument LegalBasisDocument = new(
        "lei-473-1999", "lei", "473", 1999, null, "Lei nº 473/99", null, null, LegalBasisStatuses.InForce,
        new SourceProvenance(["seeds/sources/000_4c1bae6390735141.txt"], ["Year 1999 read from the two-digit year “99” in the citation."], []));

    public static readonly LegalBasisResponse LegalBasis = new(
        LawId, "lei-473-1999", InstitutionRef, "lei", "473", 1999, null, "Lei nº 473/99", null, null, Law.Urn, LegalBasisStatuses.InForce,
        LegalBasisDocument.Source,
        [new CitingOrgan(new OrganRef(OrganId, Organ.Slug, Organ.Name), ["structures"],
            [new CitingCompetence(CompetenceId, "I", CompetenceGroups.Competences, "11", null, "I", Law.Urn + "!art11_cpt_inc1")])],
        new RevisionInfo(1, Published, "sha256:9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b"),
        Links("/api/v1/institutions/amostra/legal-bases/lei-473-1999"));

    public static readonly InstitutionResponse Institution = new(
        InstitutionId, "amostra", InstitutionRef.Name, "prefeitura", null, null, null, null,
        new Statements("Instituição de amostra: reúne, como conteúdo de exemplo, páginas reais de órgãos municipais.", null, null, null),
        [], null, new InstitutionCounts(8, 1), Published, Links("/api/v1/institutions/amostra"));

    /// <summary>Self links as a client receives them: absolute, under the base the API is reached at.</summary>
    private static ResourceLinks Links(string path) => new(new Uri("https://paco.example.gov.br" + path));
}
