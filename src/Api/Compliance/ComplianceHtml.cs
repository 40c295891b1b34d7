using System.Globalization;
using Paco.Api.Common;

namespace Paco.Api.Compliance;

/// <summary>
/// The compliance report as an HTML fragment for the console and for transparency portals: a section with the overall score,
/// the criteria and the organs as tables (caption, column and row headers with scope), the fixes as an ordered list. Status
/// is always said in words (never by colour alone); class names (paco-compliance…, paco-status--missing…) are for the
/// page's own styles. No script, no style, no link out.
/// </summary>
public static class ComplianceHtml
{
    private static readonly CultureInfo Brazil = CultureInfo.GetCultureInfo("pt-BR");

    private static readonly IReadOnlyDictionary<string, string> StatusWords = new Dictionary<string, string>
    {
        [ComplianceStatuses.Present] = "presente",
        [ComplianceStatuses.Outdated] = "desatualizado",
        [ComplianceStatuses.Missing] = "ausente",
    };

    public static byte[] Render(ComplianceReport report)
    {
        var rules = report.Rules.ToDictionary(r => r.Id);
        var organRules = report.Rules.Where(r => r.Scope == ComplianceScopes.Organ).ToList();
        var html = new HtmlWriter();
        html.Open("section", "paco-compliance", ("lang", "pt-BR"), ("aria-labelledby", $"paco-compliance-{report.Institution.Slug}"));
        html.Element("h2", "paco-compliance__title", $"Transparência ativa – {report.Institution.Name}", ("id", $"paco-compliance-{report.Institution.Slug}"));
        html.Open("p", "paco-compliance__score").Text("Pontuação geral: ")
            .Element("strong", null, Score(report.Score)).Text(" de 100 · ").Text(report.Rulebook).Close();

        html.Open("table", "paco-compliance__criteria").Element("caption", null, "Pontuação por critério");
        html.Open("thead").Open("tr");
        foreach (var heading in new[] { "Critério", "Descrição", "Pontuação", "Presentes", "Desatualizados", "Ausentes" })
        {
            html.Element("th", null, heading, ("scope", "col"));
        }
        html.Close().Close().Open("tbody");
        foreach (var criterion in report.Criteria)
        {
            html.Open("tr", criterion.Optional ? "paco-compliance__criterion paco-compliance__criterion--optional" : "paco-compliance__criterion")
                .Element("th", null, criterion.Criterion, ("scope", "row"))
                .Element("td", null, criterion.Optional ? $"{criterion.Title} (fora da pontuação geral)" : criterion.Title)
                .Element("td", "paco-compliance__number", Score(criterion.Score))
                .Element("td", "paco-compliance__number", criterion.Present.ToString(Brazil))
                .Element("td", "paco-compliance__number", criterion.Outdated.ToString(Brazil))
                .Element("td", "paco-compliance__number", criterion.Missing.ToString(Brazil))
                .Close();
        }
        html.Close().Close();

        html.Element("h3", "paco-compliance__heading", "O que corrigir primeiro");
        if (report.Fixes.Count == 0)
        {
            html.Element("p", "paco-compliance__none", "Nada: todos os itens estão presentes.");
        }
        else
        {
            html.Open("ol", "paco-compliance__fixes");
            foreach (var fix in report.Fixes)
            {
                html.Open("li", "paco-compliance__fix");
                Status(html, fix.Status);
                html.Text($" {fix.Criterion} – {rules[fix.Rule].Title}");
                if (fix.Organs.Count > 0)
                {
                    html.Text($" ({fix.Count} {(fix.Count == 1 ? "órgão" : "órgãos")}: {string.Join(", ", fix.Organs.Select(o => o.Name))})");
                }
                html.Text(". ").Element("span", "paco-compliance__what-to-do", fix.WhatToDo).Close();
            }
            html.Close();
        }

        html.Element("h3", "paco-compliance__heading", "A instituição");
        html.Open("ul", "paco-compliance__institution");
        foreach (var check in report.InstitutionChecks)
        {
            html.Open("li");
            Status(html, check.Status);
            html.Text($" {check.Criterion} – {rules[check.Rule].Title}");
            if (check.Evidence.FirstOrDefault(e => e.Detail is not null)?.Detail is { } detail)
            {
                html.Text($" ({detail})");
            }
            html.Close();
        }
        html.Close();

        html.Open("table", "paco-compliance__organs").Element("caption", null, $"Órgãos publicados ({report.Organs.Count}): cada item por órgão");
        html.Open("thead").Open("tr").Element("th", null, "Órgão", ("scope", "col")).Element("th", null, "Pontuação", ("scope", "col"));
        foreach (var rule in organRules)
        {
            html.Element("th", null, $"{rule.Criterion} – {rule.Title}", ("scope", "col"), ("id", $"paco-rule-{rule.Id}"));
        }
        html.Close().Close().Open("tbody");
        foreach (var organ in report.Organs)
        {
            var checks = organ.Checks.ToDictionary(c => c.Rule);
            html.Open("tr", "paco-compliance__organ")
                .Element("th", null, organ.Organ.Name, ("scope", "row"))
                .Element("td", "paco-compliance__number", Score(organ.Score));
            foreach (var rule in organRules)
            {
                html.Open("td", null, ("headers", $"paco-rule-{rule.Id}"));
                if (checks.TryGetValue(rule.Id, out var check))
                {
                    Status(html, check.Status);
                }
                html.Close();
            }
            html.Close();
        }
        html.Close().Close();
        html.Close();
        return html.ToUtf8();
    }

    private static void Status(HtmlWriter html, string status) =>
        html.Element("span", $"paco-status paco-status--{status}", StatusWords[status]);

    private static string Score(double score) => score.ToString("0.#", Brazil);
}
