using System.Globalization;
using Paco.Api.Common;
using Paco.Api.Institutions;
using Paco.Api.LegalBases;
using Paco.Api.LinkedData;
using Paco.Api.Organs;

namespace Paco.Api.Fragments;

/// <summary>
/// text/html representations of an institution, an organ and the organ tree: fragments (no html, head or body) for
/// server-side includes and CMS plugins. Headings start at h2 (the host page has its h1), competences are ordered lists
/// whose marker is their label, citations link to the legal basis, contacts are in address, times in time elements.
/// No script and no style: the host styles the stable paco-… classes (README, "HTML and JSON-LD"). Rendered from the
/// JSON answer (<see cref="AlternativeRepresentation"/>), so both show the same published data.
/// </summary>
public static class HtmlFragments
{
    private static readonly CultureInfo Brazil = CultureInfo.GetCultureInfo("pt-BR");

    private static readonly (string Group, string Heading)[] Groups =
    [
        (CompetenceGroups.Competences, "Competências"), (CompetenceGroups.HeadAttributions, "Atribuições do titular"),
        (CompetenceGroups.Aims, "Finalidades"), (CompetenceGroups.Actions, "Ações"),
    ];

    private static readonly Dictionary<string, string> Roles = new()
    {
        ["creates"] = "cria", ["structures"] = "estrutura", ["regulates"] = "regulamenta", ["cites"] = "cita",
    };

    private static readonly Dictionary<string, string> Days = new()
    {
        ["Monday"] = "segunda-feira", ["Tuesday"] = "terça-feira", ["Wednesday"] = "quarta-feira", ["Thursday"] = "quinta-feira",
        ["Friday"] = "sexta-feira", ["Saturday"] = "sábado", ["Sunday"] = "domingo", [DaysOfWeek.PublicHolidays] = "feriados",
    };

    public static readonly AlternativeRepresentation OrganRepresentation = AlternativeRepresentation.Of<OrganResponse>(MediaRepresentation.Html, Organ,
        """<article class="paco-organ" lang="pt-BR"><h2 class="paco-organ-name">Secretaria Municipal de Saúde <abbr class="paco-acronym">SMS</abbr></h2><p class="paco-parent">Órgão de <a href="https://paco.example.gov.br/api/v1/institutions/amostra">Município de Exemplo</a></p><section class="paco-competences paco-group-competences"><h3 class="paco-heading">Competências</h3><ol class="paco-competence-list" type="I"><li class="paco-competence" value="1"><span class="paco-competence-text">coordenar a política municipal de saúde;</span> <span class="paco-citations">(<a class="paco-citation" href="https://paco.example.gov.br/api/v1/institutions/amostra/legal-bases/lei-473-1999">art. 11, inciso I da Lei nº 473/99</a>)</span></li></ol></section></article>""");

    public static readonly AlternativeRepresentation InstitutionRepresentation = AlternativeRepresentation.Of<InstitutionResponse>(MediaRepresentation.Html, Institution,
        """<article class="paco-institution" lang="pt-BR"><h2 class="paco-institution-name">Município de Exemplo</h2><p class="paco-place">Belo Horizonte – MG</p><p class="paco-links"><a class="paco-tree-link" href="https://paco.example.gov.br/api/v1/institutions/amostra/organs/tree">Estrutura organizacional (8 órgãos)</a></p></article>""");

    public static readonly AlternativeRepresentation TreeRepresentation = AlternativeRepresentation.Of<OrganTree>(MediaRepresentation.Html, Tree,
        """<nav class="paco-tree" lang="pt-BR" aria-label="Estrutura organizacional: Município de Exemplo"><h2 class="paco-tree-title">Estrutura organizacional</h2><ul class="paco-tree-list"><li class="paco-tree-item"><a class="paco-organ-link" href="https://paco.example.gov.br/api/v1/institutions/amostra/organs/gabinete-do-prefeito">Gabinete do Prefeito</a></li></ul></nav>""");

    public static byte[] Organ(OrganResponse organ, string baseUrl)
    {
        var html = new HtmlWriter();
        var institution = organ.Institution.Slug;
        html.Open("article", "paco-organ", ("lang", "pt-BR"));
        html.Open("h2", "paco-organ-name").Text(organ.Name);
        if (organ.Acronym is { } acronym)
        {
            html.Text(" ").Element("abbr", "paco-acronym", acronym);
        }
        html.Close();
        html.Open("p", "paco-parent");
        if (organ.Parent is { } parent)
        {
            html.Text("Vinculado a ").Link(ResourceUrls.Organ(baseUrl, institution, parent.Slug), null, parent.Name);
        }
        else
        {
            html.Text("Órgão de ").Link(ResourceUrls.Institution(baseUrl, institution), null, organ.Institution.Name);
        }
        html.Close();
        if (organ.Head is { } head)
        {
            html.Open("p", "paco-head").Element("span", "paco-head-title", head.Title);
            if (head.Name is { } name)
            {
                html.Text(": ").Element("span", "paco-head-name", name);
            }
            if (head.Since is { } since)
            {
                html.Text(", desde ").Element("time", null, Date(since), ("datetime", Iso(since)));
            }
            html.Close();
        }
        Statements(html, organ.Statements);
        Values(html, organ.Values);
        foreach (var (group, heading) in Groups)
        {
            var competences = organ.Competences.Where(c => c.Group == group).ToList();
            if (competences.Count > 0)
            {
                Competences(html, heading, group, competences, baseUrl, institution);
            }
        }
        if (organ.Contact is { } contact)
        {
            Contact(html, contact);
        }
        if (organ.LegalBases.Count > 0)
        {
            html.Open("section", "paco-legal-bases").Element("h3", "paco-heading", "Base legal").Open("ul", "paco-legal-basis-list");
            foreach (var link in organ.LegalBases)
            {
                html.Open("li", "paco-legal-basis").Link(ResourceUrls.LegalBasis(baseUrl, institution, link.LegalBasis.Slug), "paco-legal-basis-title", link.LegalBasis.Title);
                html.Text(" ").Element("span", "paco-legal-basis-role", $"({Roles.GetValueOrDefault(link.Role, link.Role)})");
                if (Html.SafeHref(link.LegalBasis.Url) is { } text)
                {
                    html.Text(" – ").Link(text, "paco-legal-basis-text", "texto oficial");
                }
                html.Close();
            }
            html.Close().Close();
        }
        if (organ.Effective is { CreatedOn: not null } or { ExtinctOn: not null })
        {
            html.Open("p", "paco-effective");
            if (organ.Effective.CreatedOn is { } created)
            {
                html.Text("Criado em ").Element("time", null, Date(created), ("datetime", Iso(created)));
            }
            if (organ.Effective.ExtinctOn is { } extinct)
            {
                html.Text(organ.Effective.CreatedOn is null ? "Extinto em " : "; extinto em ").Element("time", null, Date(extinct), ("datetime", Iso(extinct)));
            }
            html.Text(".").Close();
        }
        html.Open("p", "paco-revision").Text($"Revisão {organ.Revision.Number.ToString(CultureInfo.InvariantCulture)}, publicada em ")
            .Element("time", null, organ.Revision.PublishedAt.ToUniversalTime().ToString("dd/MM/yyyy", Brazil), ("datetime", organ.Revision.PublishedAt.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)))
            .Text(".").Close();
        return html.Close().ToUtf8();
    }

    public static byte[] Institution(InstitutionResponse institution, string baseUrl)
    {
        var html = new HtmlWriter();
        html.Open("article", "paco-institution", ("lang", "pt-BR")).Element("h2", "paco-institution-name", institution.Name);
        if (string.Join(" – ", new[] { institution.Municipality, institution.Uf }.Where(p => p is not null)) is { Length: > 0 } place)
        {
            html.Element("p", "paco-place", place);
        }
        Statements(html, institution.Statements);
        Values(html, institution.Values);
        html.Open("p", "paco-links")
            .Link(ResourceUrls.Tree(baseUrl, institution.Slug), "paco-tree-link", $"Estrutura organizacional ({Count(institution.Counts.Organs, "órgão", "órgãos")})");
        if (Html.SafeHref(institution.Website) is { } website)
        {
            html.Text(" · ").Link(website, "paco-website", "Sítio oficial");
        }
        return html.Close().Close().ToUtf8();
    }

    public static byte[] Tree(OrganTree tree, string baseUrl)
    {
        var html = new HtmlWriter();
        html.Open("nav", "paco-tree", ("lang", "pt-BR"), ("aria-label", $"Estrutura organizacional: {tree.Institution.Name}"))
            .Element("h2", "paco-tree-title", "Estrutura organizacional");
        if (tree.Organs.Count == 0)
        {
            html.Element("p", "paco-empty", "Nenhum órgão publicado.");
        }
        else
        {
            Nodes(html, tree.Organs, baseUrl, tree.Institution.Slug);
        }
        return html.Close().ToUtf8();
    }

    private static void Nodes(HtmlWriter html, IReadOnlyList<OrganTreeNode> nodes, string baseUrl, string institution)
    {
        html.Open("ul", "paco-tree-list");
        foreach (var node in nodes)
        {
            html.Open("li", "paco-tree-item").Link(ResourceUrls.Organ(baseUrl, institution, node.Slug), "paco-organ-link", node.Name);
            if (node.Acronym is { } acronym)
            {
                html.Text(" ").Element("abbr", "paco-acronym", acronym);
            }
            if (node.Children.Count > 0)
            {
                Nodes(html, node.Children, baseUrl, institution);
            }
            html.Close();
        }
        html.Close();
    }

    private static void Statements(HtmlWriter html, Statements statements)
    {
        foreach (var (kind, heading, text) in new[]
        {
            ("about", "Apresentação", statements.About), ("mission", "Missão", statements.Mission),
            ("vision", "Visão", statements.Vision), ("purpose", "Propósito", statements.Purpose),
        })
        {
            if (!string.IsNullOrWhiteSpace(text))
            {
                html.Open("section", $"paco-statement paco-{kind}").Element("h3", "paco-heading", heading).Element("p", null, text).Close();
            }
        }
    }

    private static void Values(HtmlWriter html, IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            return;
        }
        html.Open("section", "paco-values").Element("h3", "paco-heading", "Valores").Open("ul", "paco-value-list");
        foreach (var value in values)
        {
            html.Element("li", "paco-value", value);
        }
        html.Close().Close();
    }

    private static void Competences(HtmlWriter html, string heading, string group, IReadOnlyList<CompetenceResponse> competences, string baseUrl, string institution)
    {
        // The label is the marker: a list type and values when every label is a roman numeral, a number or a letter (the
        // browser draws "III." and announces the item's number); otherwise the label is written before the text.
        var markers = Markers(competences);
        html.Open("section", $"paco-competences paco-group-{group}").Element("h3", "paco-heading", heading)
            .Open("ol", markers is null ? "paco-competence-list paco-labelled" : "paco-competence-list", ("type", markers?.Type));
        for (var i = 0; i < competences.Count; i++)
        {
            var competence = competences[i];
            html.Open("li", "paco-competence", ("value", markers?.Values[i].ToString(CultureInfo.InvariantCulture)));
            if (markers is null && competence.Label is { } label)
            {
                html.Element("span", "paco-competence-label", label).Text(" ");
            }
            html.Element("span", "paco-competence-text", competence.Text);
            if (competence.PerformedBy is { } performer)
            {
                html.Text(" ").Open("span", "paco-performed-by").Text("(exercida por ")
                    .Link(ResourceUrls.Organ(baseUrl, institution, performer.Slug), null, performer.Name).Text(")").Close();
            }
            if (competence.Citations.Count > 0)
            {
                html.Text(" ").Open("span", "paco-citations").Text("(");
                for (var c = 0; c < competence.Citations.Count; c++)
                {
                    var citation = competence.Citations[c];
                    html.Text(c == 0 ? "" : "; ").Link(ResourceUrls.LegalBasis(baseUrl, institution, citation.LegalBasis.Slug), "paco-citation", citation.Text);
                }
                html.Text(")").Close();
            }
            html.Close();
        }
        html.Close().Close();
    }

    private sealed record ListMarkers(string Type, int[] Values);

    private static ListMarkers? Markers(IReadOnlyList<CompetenceResponse> competences)
    {
        var labels = competences.Select(c => c.Label?.Trim().TrimEnd(')', '.', ' ', '-', '–')).ToList();
        if (labels.Any(string.IsNullOrEmpty))
        {
            return null;
        }
        var numbers = labels.Select(l => l!.All(char.IsAsciiDigit) && int.TryParse(l, CultureInfo.InvariantCulture, out var n) ? n : -1).ToArray();
        if (numbers.All(n => n >= 0))
        {
            return new ListMarkers("1", numbers);
        }
        if (labels.All(l => l!.All(c => "IVXLCDM".Contains(c))) && labels.Select(l => LexmlUrn.RomanToArabic(l!) ?? 0).ToArray() is var romans && romans.All(r => r > 0)
            && romans.Zip(labels).All(p => Roman(p.First) == p.Second))
        {
            return new ListMarkers("I", romans);
        }
        if (labels.All(l => l!.Length == 1 && char.IsAsciiLetterLower(l[0])))
        {
            return new ListMarkers("a", [.. labels.Select(l => l![0] - 'a' + 1)]);
        }
        return null;
    }

    private static string Roman(int number)
    {
        var result = new System.Text.StringBuilder();
        foreach (var (value, numeral) in new[] { (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I") })
        {
            for (; number >= value; number -= value)
            {
                result.Append(numeral);
            }
        }
        return result.ToString();
    }

    private static void Contact(HtmlWriter html, Contact contact)
    {
        html.Open("section", "paco-contact").Element("h3", "paco-heading", "Contato");
        foreach (var address in contact.Addresses)
        {
            html.Open("address", "paco-address");
            html.Element("span", "paco-street", string.Join(", ", new[] { address.Street, address.Number, address.Complement }.Where(p => !string.IsNullOrWhiteSpace(p))));
            var locality = string.Join(" – ", new[] { address.District, string.Join("/", new[] { address.City, address.Uf }.Where(p => !string.IsNullOrWhiteSpace(p))) }
                .Where(p => !string.IsNullOrWhiteSpace(p)));
            if (locality.Length > 0)
            {
                html.LineBreak().Element("span", "paco-locality", locality);
            }
            if (address.PostalCode is { } postalCode)
            {
                html.Text(" ").Element("span", "paco-postal-code", $"CEP {postalCode}");
            }
            html.Close();
            Hours(html, address);
        }
        if (contact.Phones.Count > 0 || contact.Emails.Count > 0 || contact.Website is not null)
        {
            html.Open("address", "paco-channels").Open("ul", "paco-channel-list");
            foreach (var phone in contact.Phones)
            {
                html.Open("li", "paco-phone").Link("tel:" + new string(phone.Number.Where(c => char.IsAsciiDigit(c) || c == '+').ToArray()), null, phone.Number);
                if (phone.Description is { } description)
                {
                    html.Text($" ({description})");
                }
                html.Close();
            }
            foreach (var email in contact.Emails)
            {
                html.Open("li", "paco-email").Link("mailto:" + email, null, email).Close();
            }
            if (contact.Website is { } website)
            {
                html.Open("li", "paco-website").Link(website, null, website).Close();
            }
            html.Close().Close();
        }
        html.Close();
    }

    private static void Hours(HtmlWriter html, Address address)
    {
        var regular = address.OpeningHoursSpecification ?? [];
        var special = address.SpecialOpeningHoursSpecification ?? [];
        if (address.OpeningHours is null && regular.Count == 0 && special.Count == 0)
        {
            return;
        }
        html.Open("div", "paco-hours").Element("p", "paco-hours-title", "Horário de atendimento");
        if (address.OpeningHours is { } text)
        {
            html.Element("p", "paco-hours-text", text);
        }
        if (regular.Count + special.Count > 0)
        {
            html.Open("ul", "paco-hours-list");
            foreach (var hours in regular)
            {
                Interval(html, hours, "paco-hours-regular");
            }
            foreach (var hours in special)
            {
                Interval(html, hours, "paco-hours-special");
            }
            html.Close();
        }
        html.Close();
    }

    private static void Interval(HtmlWriter html, OpeningHoursSpecification hours, string cssClass)
    {
        html.Open("li", cssClass);
        if (hours.Description is { } description)
        {
            html.Text(description + ": ");
        }
        if (hours.DayOfWeek.Count > 0)
        {
            html.Text(string.Join(", ", hours.DayOfWeek.Select(d => Days.GetValueOrDefault(d, d))) + ": ");
        }
        if (hours.IsClosed)
        {
            html.Text("fechado");
        }
        else
        {
            Time(html, hours.Opens).Text("–");
            Time(html, hours.Closes);
        }
        if (hours.ValidFrom is { } from)
        {
            html.Text(hours.ValidThrough is null ? ", a partir de " : ", de ").Element("time", null, Date(from), ("datetime", Iso(from)));
        }
        if (hours.ValidThrough is { } through)
        {
            html.Text(hours.ValidFrom is null ? ", até " : " a ").Element("time", null, Date(through), ("datetime", Iso(through)));
        }
        html.Close();
    }

    /// <summary>A local time "HH:mm" in a time element; "24:00" (midnight at the end of the day) is no valid time string, so it is text.</summary>
    private static HtmlWriter Time(HtmlWriter html, string time) =>
        TimeOnly.TryParseExact(time, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) ? html.Element("time", null, time, ("datetime", time)) : html.Text(time);

    private static string Count(int count, string one, string many) => $"{count.ToString(CultureInfo.InvariantCulture)} {(count == 1 ? one : many)}";

    private static string Date(DateOnly date) => date.ToString("dd/MM/yyyy", Brazil);

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
