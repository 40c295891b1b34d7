using Paco.Api.Common;

namespace Paco.Api.Compliance;

/// <summary>A PNTP criterion (Dimension 2, "Informações Institucionais") or the good-practice group, and its legal basis.</summary>
/// <param name="Optional">Good practice: scored on its own, left out of the overall score and of the fixes that matter most.</param>
public sealed record ComplianceCriterion(string Id, string Title, string LegalBasis, bool Optional);

/// <summary>
/// One check of the rulebook: for every published organ (scope "organ") or once for the institution (scope "institution"),
/// every field in <see cref="Fields"/> must be present. A field may also be present but outdated (it rests on a legal basis
/// that is no longer in force); the fields are those of <see cref="ComplianceFields"/>.
/// </summary>
/// <param name="Weight">Its share of its criterion's score (and of the overall score), and how much its fix matters.</param>
public sealed record ComplianceRule(
    string Id,
    string Criterion,
    string Title,
    [property: ClosedSet(typeof(ComplianceScopes))] string Scope,
    IReadOnlyList<string> Fields,
    int Weight,
    string LegalBasis,
    string WhatToDo);

public static class ComplianceScopes
{
    public const string Organ = "organ";
    public const string Institution = "institution";
    public static readonly IReadOnlyList<string> All = [Organ, Institution];
}

public static class ComplianceStatuses
{
    public const string Present = "present";
    public const string Outdated = "outdated";
    public const string Missing = "missing";
    public static readonly IReadOnlyList<string> All = [Present, Outdated, Missing];
}

/// <summary>
/// The rulebook, as data: Lei 12.527/2011 (LAI) art. 8º §1º I and the PNTP criteria of Dimension 2. An audit body's next
/// cartilha is an edit of these two tables (criteria, weights, fields, texts), not of the code that evaluates them.
/// Every field named here must be one of <see cref="ComplianceFields"/>; a test checks it.
/// </summary>
public static class ComplianceRulebook
{
    public const string Name = "PNTP, Dimensão 2 – Informações Institucionais (LAI art. 8º, §1º, I)";

    private const string Lai81I = "Lei nº 12.527/2011, art. 8º, §1º, I";

    public static readonly IReadOnlyList<ComplianceCriterion> Criteria =
    [
        new("2.1", "Estrutura organizacional e norma que a cria ou altera", $"{Lai81I} (estrutura organizacional); PNTP 2.1", false),
        new("2.2", "Competências de cada unidade", $"{Lai81I} (registro das competências); PNTP 2.2", false),
        new("2.3", "Nomes dos atuais responsáveis", "PNTP 2.3", false),
        new("2.4", "Endereços, telefones e e-mails institucionais", $"{Lai81I} (endereços e telefones das respectivas unidades); PNTP 2.4", false),
        new("2.5", "Horários de atendimento ao público", $"{Lai81I} (horários de atendimento ao público); PNTP 2.5", false),
        new("2.6", "Atos normativos próprios", "PNTP 2.6", false),
        new("good-practice", "Boas práticas: missão, visão, valores e horários em formato aberto", "Lei nº 12.527/2011, art. 8º, §3º, III (formatos abertos e legíveis por máquina)", true),
    ];

    public static readonly IReadOnlyList<ComplianceRule> Rules =
    [
        new("2.1-structure-norm", "2.1", "A norma que cria ou estrutura o órgão", ComplianceScopes.Organ,
            [ComplianceFields.StructureNorm], 3, $"{Lai81I}; PNTP 2.1",
            "Link the law or decree that creates or structures this organ (legalBases with role 'creates' or 'structures'), publish the legal basis and the organ; if the one linked was revoked, link the norm in force."),
        new("2.2-competences", "2.2", "As competências do órgão", ComplianceScopes.Organ,
            [ComplianceFields.Competences], 3, $"{Lai81I}; PNTP 2.2",
            "Add the organ's competences (group 'competences', or 'aims' for an association) as its norm lists them, citing the article and item; if they cite only revoked norms, cite the norm in force."),
        new("2.3-head-name", "2.3", "O cargo e o nome de quem dirige o órgão", ComplianceScopes.Organ,
            [ComplianceFields.HeadTitle, ComplianceFields.HeadName], 2, "PNTP 2.3",
            "Fill 'head' with the post ('title') and the name of the person who holds it now ('name'), and 'since' if known."),
        new("2.4-address", "2.4", "Endereço da unidade", ComplianceScopes.Organ,
            [ComplianceFields.Addresses], 2, $"{Lai81I}; PNTP 2.4",
            "Add the address where the organ serves the public to 'contact.addresses'."),
        new("2.4-phone", "2.4", "Telefone da unidade", ComplianceScopes.Organ,
            [ComplianceFields.Phones], 2, $"{Lai81I}; PNTP 2.4",
            "Add the organ's phone numbers to 'contact.phones'."),
        new("2.4-email", "2.4", "E-mail institucional da unidade", ComplianceScopes.Organ,
            [ComplianceFields.Emails], 1, "PNTP 2.4",
            "Add the organ's institutional e-mail to 'contact.emails'."),
        new("2.5-opening-hours", "2.5", "Horário de atendimento de cada endereço", ComplianceScopes.Organ,
            [ComplianceFields.OpeningHours], 2, $"{Lai81I}; PNTP 2.5",
            "Give every address its opening hours: 'openingHoursSpecification' (days, opens, closes), or at least the free text 'openingHours'."),
        new("2.6-normative-acts", "2.6", "Os atos normativos da instituição publicados", ComplianceScopes.Institution,
            [ComplianceFields.InstitutionLegalBases], 3, "PNTP 2.6",
            "Publish the institution's own normative acts (leis, decretos, estatutos) as legal bases, with their status kept up to date."),
        new("bp-mission", "good-practice", "Missão do órgão", ComplianceScopes.Organ,
            [ComplianceFields.Mission], 1, "Boa prática",
            "Add the organ's mission to 'statements.mission'."),
        new("bp-vision", "good-practice", "Visão do órgão", ComplianceScopes.Organ,
            [ComplianceFields.Vision], 1, "Boa prática",
            "Add the organ's vision to 'statements.vision'."),
        new("bp-values", "good-practice", "Valores do órgão", ComplianceScopes.Organ,
            [ComplianceFields.Values], 1, "Boa prática",
            "List the organ's values in 'values'."),
        new("bp-structured-hours", "good-practice", "Horários em formato legível por máquina", ComplianceScopes.Organ,
            [ComplianceFields.StructuredOpeningHours], 1, "Lei nº 12.527/2011, art. 8º, §3º, III",
            "Give every address 'openingHoursSpecification' (schema.org: dayOfWeek, opens, closes), so portals can show and check it."),
    ];
}
