using Paco.Api.Common;
using Paco.Api.Organs;

namespace Paco.Api.Compliance;

/// <summary>An institution's compliance with the rulebook: overall, per criterion, per organ, and what to fix first.</summary>
/// <param name="Score">0–100: the criteria's scores (good practice left out), each weighted by the sum of its rules' weights.</param>
/// <param name="Fixes">The most important fixes first (weight × organs concerned), good practice last; at most 10.</param>
public sealed record ComplianceReport(
    InstitutionRef Institution,
    string Rulebook,
    double Score,
    IReadOnlyList<CriterionScore> Criteria,
    IReadOnlyList<ComplianceCheck> InstitutionChecks,
    IReadOnlyList<OrganCompliance> Organs,
    IReadOnlyList<ComplianceFix> Fixes,
    IReadOnlyList<ComplianceCriterion> CriteriaDefinitions,
    IReadOnlyList<ComplianceRule> Rules);

/// <param name="Score">0–100: present counts its rule's weight, outdated half of it, missing nothing. 0 when nothing was checked.</param>
public sealed record CriterionScore(string Criterion, string Title, bool Optional, double Score, int Present, int Outdated, int Missing);

public sealed record OrganCompliance(OrganRef Organ, int Revision, double Score, IReadOnlyList<ComplianceCheck> Checks);

/// <summary>One rule applied to one organ (or to the institution), with the evidence for each field it checks.</summary>
public sealed record ComplianceCheck(
    string Rule,
    string Criterion,
    [property: ClosedSet(typeof(ComplianceStatuses))] string Status,
    IReadOnlyList<FieldEvidence> Evidence,
    string? WhatToDo);

/// <param name="Revision">The published revision the field was read in (null for the institution's fields).</param>
/// <param name="Since">Since when the published content has had this value (or lacked it): the first publication of it in a row.</param>
/// <param name="Detail">What was found ("2 phones", "only revoked: Lei nº 1/1990").</param>
public sealed record FieldEvidence(
    string Field,
    [property: ClosedSet(typeof(ComplianceStatuses))] string Status,
    int? Revision,
    DateTimeOffset? Since,
    string? Detail);

public sealed record ComplianceFix(
    string Rule,
    string Criterion,
    [property: ClosedSet(typeof(ComplianceStatuses))] string Status,
    int Weight,
    int Count,
    IReadOnlyList<OrganRef> Organs,
    string WhatToDo);

/// <summary>One publication of an organ's revision, oldest first; the last is what the public sees now.</summary>
public sealed record PublishedOrganRevision(int Number, DateTimeOffset PublishedAt, OrganDocument Document);

public sealed record OrganFacts(Guid Id, IReadOnlyList<PublishedOrganRevision> Publications)
{
    public PublishedOrganRevision Current => Publications[^1];
}

/// <summary>Applies the rulebook to an institution's published content: a pure function of what it is given.</summary>
public static class ComplianceEvaluator
{
    private const int MaxFixes = 10;

    public static ComplianceReport Evaluate(InstitutionRef institution, IReadOnlyList<OrganFacts> organs, IReadOnlyCollection<LegalBasisFact> legalBases,
        IReadOnlyList<ComplianceRule>? rules = null, IReadOnlyList<ComplianceCriterion>? criteria = null)
    {
        rules ??= ComplianceRulebook.Rules;
        criteria ??= ComplianceRulebook.Criteria;
        var byId = legalBases.ToDictionary(l => l.Id);
        var institutionChecks = rules.Where(r => r.Scope == ComplianceScopes.Institution)
            .Select(rule => Check(rule, rule.Fields.Select(f => new FieldEvidence(f, StatusOf(ComplianceFields.All[f].OfInstitution!(legalBases)), null, null,
                ComplianceFields.All[f].OfInstitution!(legalBases).Detail)).ToList()))
            .ToList();
        var organRules = rules.Where(r => r.Scope == ComplianceScopes.Organ).ToList();
        var organReports = organs
            .Select(o => (Facts: o, Checks: organRules.Select(rule => Check(rule, rule.Fields.Select(f => Evidence(f, o, byId)).ToList())).ToList()))
            .Select(o => new OrganCompliance(new OrganRef(o.Facts.Id, o.Facts.Current.Document.Slug, o.Facts.Current.Document.Name), o.Facts.Current.Number,
                Score(o.Checks.Where(c => !IsOptional(c.Criterion, criteria)), rules), o.Checks))
            .OrderBy(o => o.Organ.Name, StringComparer.Ordinal).ThenBy(o => o.Organ.Id)
            .ToList();

        var all = institutionChecks.Select(c => (Check: c, Organ: (OrganRef?)null))
            .Concat(organReports.SelectMany(o => o.Checks.Select(c => (Check: c, Organ: (OrganRef?)o.Organ))))
            .ToList();
        var criterionScores = criteria.Select(criterion =>
        {
            var checks = all.Where(c => c.Check.Criterion == criterion.Id).Select(c => c.Check).ToList();
            return new CriterionScore(criterion.Id, criterion.Title, criterion.Optional, Score(checks, rules),
                checks.Count(c => c.Status == ComplianceStatuses.Present), checks.Count(c => c.Status == ComplianceStatuses.Outdated),
                checks.Count(c => c.Status == ComplianceStatuses.Missing));
        }).ToList();
        var criterionWeights = criteria.ToDictionary(c => c.Id, c => rules.Where(r => r.Criterion == c.Id).Sum(r => r.Weight));
        var counted = criterionScores.Where(c => !c.Optional && criterionWeights[c.Criterion] > 0).ToList();
        var overall = counted.Count == 0 ? 0 : Round(counted.Sum(c => c.Score * criterionWeights[c.Criterion]) / counted.Sum(c => criterionWeights[c.Criterion]));

        var ruleById = rules.ToDictionary(r => r.Id);
        var fixes = all.Where(c => c.Check.Status != ComplianceStatuses.Present)
            .GroupBy(c => (c.Check.Rule, c.Check.Status))
            .Select(g => new ComplianceFix(g.Key.Rule, ruleById[g.Key.Rule].Criterion, g.Key.Status, ruleById[g.Key.Rule].Weight, g.Count(),
                g.Select(c => c.Organ).OfType<OrganRef>().ToList(), ruleById[g.Key.Rule].WhatToDo))
            .OrderBy(f => IsOptional(f.Criterion, criteria))
            .ThenByDescending(f => f.Weight * f.Count * (f.Status == ComplianceStatuses.Missing ? 2 : 1))
            .ThenBy(f => f.Rule, StringComparer.Ordinal)
            .Take(MaxFixes)
            .ToList();

        return new ComplianceReport(institution, ComplianceRulebook.Name, overall, criterionScores, institutionChecks, organReports, fixes, criteria, rules);
    }

    private static bool IsOptional(string criterion, IReadOnlyList<ComplianceCriterion> criteria) => criteria.First(c => c.Id == criterion).Optional;

    private static ComplianceCheck Check(ComplianceRule rule, IReadOnlyList<FieldEvidence> evidence)
    {
        var status = evidence.Any(e => e.Status == ComplianceStatuses.Missing) ? ComplianceStatuses.Missing
            : evidence.Any(e => e.Status == ComplianceStatuses.Outdated) ? ComplianceStatuses.Outdated
            : ComplianceStatuses.Present;
        return new ComplianceCheck(rule.Id, rule.Criterion, status, evidence, status == ComplianceStatuses.Present ? null : rule.WhatToDo);
    }

    private static string StatusOf(FieldValue value) =>
        value.Signature is null ? ComplianceStatuses.Missing : value.Outdated ? ComplianceStatuses.Outdated : ComplianceStatuses.Present;

    /// <summary>The field in the current publication, and since when the published organ has shown it so (walking back while it is unchanged).</summary>
    private static FieldEvidence Evidence(string field, OrganFacts organ, IReadOnlyDictionary<Guid, LegalBasisFact> legalBases)
    {
        var read = ComplianceFields.All[field].OfOrgan!;
        var current = read(organ.Current.Document, legalBases);
        var since = organ.Current.PublishedAt;
        for (var i = organ.Publications.Count - 2; i >= 0; i--)
        {
            var earlier = read(organ.Publications[i].Document, legalBases);
            if (earlier.Signature != current.Signature || earlier.Outdated != current.Outdated)
            {
                break;
            }
            since = organ.Publications[i].PublishedAt;
        }
        return new FieldEvidence(field, StatusOf(current), organ.Current.Number, since, current.Detail);
    }

    private static double Score(IEnumerable<ComplianceCheck> checks, IReadOnlyList<ComplianceRule> rules)
    {
        var weights = rules.ToDictionary(r => r.Id, r => r.Weight);
        var list = checks.ToList();
        var total = list.Sum(c => weights[c.Rule]);
        if (total == 0)
        {
            return 0;
        }
        var earned = list.Sum(c => c.Status switch
        {
            ComplianceStatuses.Present => weights[c.Rule],
            ComplianceStatuses.Outdated => weights[c.Rule] / 2.0,
            _ => 0,
        });
        return Round(100.0 * earned / total);
    }

    private static double Round(double value) => Math.Round(value, 1, MidpointRounding.AwayFromZero);
}
