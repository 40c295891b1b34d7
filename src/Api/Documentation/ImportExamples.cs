using Paco.Api.Import;

namespace Paco.Api.Documentation;

/// <summary>The import examples of the OpenAPI document: a short structure law and the proposal the importer really makes of it.</summary>
public static class ImportExamples
{
    public const string Text = """
        LEI Nº 1.234, DE 15 DE MARÇO DE 2019

        Dispõe sobre a estrutura administrativa do Poder Executivo do Município de Exemplo.

        Art. 2º A estrutura administrativa compõe-se dos seguintes órgãos:
        I – Gabinete do Prefeito;
        II – Secretaria Municipal de Saúde.

        Art. 7º Compete à Secretaria Municipal de Saúde:
        I – gerir o Sistema Único de Saúde no âmbito do Município;
        II – executar as ações de vigilância sanitária e epidemiológica.
        """;

    private static readonly Guid OrganId = Guid.Parse("0b7e3f52-91c4-8d2e-a6f0-5c3b8e1d7a24");
    private static readonly Guid LawId = Guid.Parse("a3d95c10-7e2b-8f41-b0c6-1e4d9a7f3b58");

    /// <summary>What the importer answers for <see cref="Text"/> in an institution of Exemplo (MG) that has no organs yet.</summary>
    public static ImportProposal Proposal => Importer.Propose(Text, "text/plain", new ExistingContent("exemplo", "Prefeitura de Exemplo", "prefeitura", "MG", "Exemplo", [], []));

    public static readonly ImportResult Result = new(
        [new AppliedDraft(LawId, "lei-1234-2019", 1, true, "/api/v1/institutions/exemplo/legal-bases/lei-1234-2019/draft")],
        [
            new AppliedDraft(Guid.Parse("6a0e2d41-5b7c-8f93-a1d4-3e6b9c2f7a05"), "gabinete-do-prefeito", 1, true, "/api/v1/institutions/exemplo/organs/gabinete-do-prefeito/draft"),
            new AppliedDraft(OrganId, "secretaria-de-saude", 4, false, "/api/v1/institutions/exemplo/organs/secretaria-de-saude/draft"),
        ]);
}
