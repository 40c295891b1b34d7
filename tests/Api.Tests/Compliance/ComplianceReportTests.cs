using System.Net;
using System.Text.Json.Nodes;
using Paco.Api.Common;
using Paco.Api.Compliance;
using Paco.Api.LegalBases;
using Paco.Api.Organs;

namespace Paco.Api.Tests.Compliance;

/// <summary>The compliance report, rule by rule, over content each test creates in its own institution.</summary>
public sealed class ComplianceReportTests : ApiFixture
{
    private static int _institutions;

    /// <summary>How each organ rule is broken: the complete organ, less what the rule checks.</summary>
    private static readonly IReadOnlyDictionary<string, Func<OrganDocument, OrganDocument>> Breaking = new Dictionary<string, Func<OrganDocument, OrganDocument>>
    {
        ["2.1-structure-norm"] = o => o with { LegalBases = [] },
        ["2.2-competences"] = o => o with { Competences = [.. o.Competences.Select(c => c with { Group = CompetenceGroups.HeadAttributions })] },
        ["2.3-head-name"] = o => o with { Head = o.Head! with { Name = null } },
        ["2.4-address"] = o => o with { Contact = o.Contact! with { Addresses = [] } },
        ["2.4-phone"] = o => o with { Contact = o.Contact! with { Phones = [] } },
        ["2.4-email"] = o => o with { Contact = o.Contact! with { Emails = [] } },
        ["2.5-opening-hours"] = o => o with { Contact = o.Contact! with { Addresses = [.. o.Contact.Addresses.Select(a => a with { OpeningHours = null, OpeningHoursSpecification = null })] } },
        ["bp-mission"] = o => o with { Statements = o.Statements with { Mission = null } },
        ["bp-vision"] = o => o with { Statements = o.Statements with { Vision = "  " } },
        ["bp-values"] = o => o with { Values = [] },
        ["bp-structured-hours"] = o => o with { Contact = o.Contact! with { Addresses = [.. o.Contact.Addresses.Select(a => a with { OpeningHoursSpecification = null })] } },
    };

    private static IEnumerable<string> OrganRules => ComplianceRulebook.Rules.Where(r => r.Scope == ComplianceScopes.Organ).Select(r => r.Id);

    private static OrganDocument Complete(string slug, Guid law) => new(
        slug, $"Secretaria {slug}", null, "secretaria", null, 1,
        new Statements(null, "Servir bem a população.", "Ser referência regional.", null),
        ["Transparência"],
        [new Competence(Guid.NewGuid(), "I", "planejar e executar a política municipal;", CompetenceGroups.Competences, null, [new Citation(law, "5", null, "I")])],
        new Head("Secretário(a) Municipal", "Ana Pereira", new DateOnly(2025, 1, 1)),
        new Contact(
            [new Address("Rua Direita", "10", null, "Centro", "Exemplo", "MG", "30000-000", "Segunda a sexta, das 8h às 17h",
                [new OpeningHoursSpecification(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"], "08:00", "17:00")])],
            [new Phone("(31) 3000-0000", null)], ["secretaria@exemplo.mg.gov.br"], null),
        [new LegalBasisLink(law, "structures")], null, null);

    private async Task<(string Slug, Guid Id, Guid Law)> InstitutionWithLawAsync(string status = LegalBasisStatuses.InForce)
    {
        var slug = $"conformidade-{Interlocked.Increment(ref _institutions)}";
        var id = await Content.InstitutionAsync(slug, "MG", "Exemplo");
        var law = await Content.ResourceAsync(id, LegalBasisModule.TypeName, "lei-10-2001",
            [TestContent.Law("lei-10-2001", "10", 2001, "Lei nº 10/2001") with { Status = status }], publish: 1);
        return (slug, id, law);
    }

    private async Task<JsonNode> ReportAsync(string institution)
    {
        using var response = await Client.GetAsync($"/api/v1/institutions/{institution}/compliance");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await ReadJsonAsync(response);
    }

    private static JsonNode CheckOf(JsonNode report, string organ, string rule) =>
        report["organs"]!.AsArray().Single(o => o!["organ"]!["slug"]!.GetValue<string>() == organ)!["checks"]!.AsArray()
            .Single(c => c!["rule"]!.GetValue<string>() == rule)!;

    [Test]
    public void Every_field_the_rulebook_names_is_one_the_report_can_read_and_every_rule_names_a_criterion()
    {
        var criteria = ComplianceRulebook.Criteria.Select(c => c.Id).ToHashSet();
        Assert.Multiple(() =>
        {
            foreach (var rule in ComplianceRulebook.Rules)
            {
                Assert.That(criteria, Does.Contain(rule.Criterion), rule.Id);
                Assert.That(rule.Weight, Is.GreaterThan(0), rule.Id);
                foreach (var field in rule.Fields)
                {
                    Assert.That(ComplianceFields.All.ContainsKey(field), field);
                    Assert.That(ComplianceFields.All[field].Scope, Is.EqualTo(rule.Scope), field);
                }
            }
            Assert.That(ComplianceRulebook.Rules.Select(r => r.Id), Is.Unique);
            Assert.That(ComplianceRulebook.Criteria.Select(c => c.Id), Is.SupersetOf(new[] { "2.1", "2.2", "2.3", "2.4", "2.5", "2.6" }));
        });
    }

    [Test]
    public void Every_organ_rule_has_a_test_that_breaks_it() => Assert.That(Breaking.Keys, Is.EquivalentTo(OrganRules));

    [Test]
    public async Task A_complete_organ_and_an_institution_with_a_law_in_force_meet_every_rule_and_score_100()
    {
        var (slug, id, law) = await InstitutionWithLawAsync();
        await Content.ResourceAsync(id, OrganModule.TypeName, "completa", [Complete("completa", law)], publish: 1);

        var report = await ReportAsync(slug);

        var statuses = report["organs"]![0]!["checks"]!.AsArray().Select(c => $"{c!["rule"]}={c["status"]}").ToList();
        Assert.That(statuses, Is.EquivalentTo(OrganRules.Select(r => $"{r}=present")));
        Assert.That(report["institutionChecks"]![0]!["status"]!.GetValue<string>(), Is.EqualTo("present"));
        Assert.That(report["score"]!.GetValue<double>(), Is.EqualTo(100));
        Assert.That(report["organs"]![0]!["score"]!.GetValue<double>(), Is.EqualTo(100));
        Assert.That(report["fixes"]!.AsArray(), Is.Empty);
        Assert.That(report["rules"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()), Is.EqualTo(ComplianceRulebook.Rules.Select(r => r.Id)));
    }

    [TestCaseSource(nameof(OrganRules))]
    public async Task An_organ_lacking_what_a_rule_checks_is_missing_on_that_rule_alone_with_what_to_do(string rule)
    {
        var (slug, id, law) = await InstitutionWithLawAsync();
        await Content.ResourceAsync(id, OrganModule.TypeName, "incompleta", [Breaking[rule](Complete("incompleta", law))], publish: 1);

        var report = await ReportAsync(slug);

        var check = CheckOf(report, "incompleta", rule);
        Assert.That(check["status"]!.GetValue<string>(), Is.EqualTo("missing"));
        Assert.That(check["whatToDo"]!.GetValue<string>(), Is.EqualTo(ComplianceRulebook.Rules.Single(r => r.Id == rule).WhatToDo));
        Assert.That(check["evidence"]!.AsArray().Any(e => e!["status"]!.GetValue<string>() == "missing" && e["revision"]!.GetValue<int>() == 1));
        var others = report["organs"]![0]!["checks"]!.AsArray().Where(c => c!["rule"]!.GetValue<string>() != rule && c["status"]!.GetValue<string>() != "present")
            .Select(c => c!["rule"]!.GetValue<string>()).ToList();
        // Hours belong to addresses: without an address there are none, and without hours there are no structured ones.
        string[] consequences = rule switch
        {
            "2.4-address" => ["2.5-opening-hours", "bp-structured-hours"],
            "2.5-opening-hours" => ["bp-structured-hours"],
            _ => [],
        };
        Assert.That(others, Is.EquivalentTo(consequences));
        var fix = report["fixes"]!.AsArray().First(f => f!["rule"]!.GetValue<string>() == rule)!;
        Assert.That(fix["organs"]![0]!["slug"]!.GetValue<string>(), Is.EqualTo("incompleta"));
        Assert.That(report["score"]!.GetValue<double>(), rule.StartsWith("bp-") ? Is.EqualTo(100) : Is.LessThan(100),
            "good practice is scored apart from the overall score");
    }

    [Test]
    public async Task An_institution_without_published_legal_bases_misses_2_6_and_one_with_only_revoked_ones_is_outdated()
    {
        var empty = $"sem-normas-{Interlocked.Increment(ref _institutions)}";
        await Content.InstitutionAsync(empty);
        var (revoked, _, _) = await InstitutionWithLawAsync(LegalBasisStatuses.Revoked);

        var none = await ReportAsync(empty);
        var old = await ReportAsync(revoked);

        Assert.That(none["institutionChecks"]![0]!["status"]!.GetValue<string>(), Is.EqualTo("missing"));
        Assert.That(none["organs"]!.AsArray(), Is.Empty);
        Assert.That(none["score"]!.GetValue<double>(), Is.EqualTo(0));
        Assert.That(old["institutionChecks"]![0]!["status"]!.GetValue<string>(), Is.EqualTo("outdated"));
        Assert.That(old["institutionChecks"]![0]!["evidence"]![0]!["detail"]!.GetValue<string>(), Is.EqualTo("1 published, 0 in force"));
    }

    [Test]
    public async Task Structure_and_competences_resting_only_on_a_revoked_norm_are_outdated_and_count_half()
    {
        var (slug, id, _) = await InstitutionWithLawAsync();
        var revoked = await Content.ResourceAsync(id, LegalBasisModule.TypeName, "lei-1-1990",
            [TestContent.Law("lei-1-1990", "1", 1990, "Lei nº 1/1990") with { Status = LegalBasisStatuses.Revoked }], publish: 1);
        await Content.ResourceAsync(id, OrganModule.TypeName, "antiga", [Complete("antiga", revoked)], publish: 1);

        var report = await ReportAsync(slug);

        Assert.That(CheckOf(report, "antiga", "2.1-structure-norm")["status"]!.GetValue<string>(), Is.EqualTo("outdated"));
        Assert.That(CheckOf(report, "antiga", "2.1-structure-norm")["evidence"]![0]!["detail"]!.GetValue<string>(), Does.Contain("Lei nº 1/1990"));
        Assert.That(CheckOf(report, "antiga", "2.2-competences")["status"]!.GetValue<string>(), Is.EqualTo("outdated"));
        var structure = report["criteria"]!.AsArray().Single(c => c!["criterion"]!.GetValue<string>() == "2.1")!;
        Assert.That(structure["score"]!.GetValue<double>(), Is.EqualTo(50));
        Assert.That(structure["outdated"]!.GetValue<int>(), Is.EqualTo(1));
    }

    [Test]
    public async Task Evidence_says_which_revision_and_since_when_and_drafts_are_never_read()
    {
        var (slug, id, law) = await InstitutionWithLawAsync();
        var complete = Complete("historia", law);
        var organ = await Content.ResourceAsync(id, OrganModule.TypeName, "historia", [complete with { Head = complete.Head! with { Name = null } }], publish: 1);
        var first = (await ReportAsync(slug))["organs"]![0]!;
        await Content.AppendAsync(organ, complete, publish: true);                                               // revision 2: the head's name
        await Content.AppendAsync(organ, complete with { Values = ["Transparência", "Eficiência"] }, publish: true); // revision 3: values only
        await Content.AppendAsync(organ, complete with { Contact = null }, publish: false);                       // a draft: not public

        var report = await ReportAsync(slug);

        var headName = CheckOf(report, "historia", "2.3-head-name")["evidence"]!.AsArray().Single(e => e!["field"]!.GetValue<string>() == "head.name")!;
        var revisions = await ReadJsonAsync(await Client.GetAsync($"/api/v1/institutions/{slug}/organs/historia/revisions"));
        var publishedAt = revisions["items"]!.AsArray().ToDictionary(r => r!["number"]!.GetValue<int>(), r => r!["firstPublishedAt"]!.GetValue<DateTimeOffset>());
        Assert.That(first["checks"]!.AsArray().Single(c => c!["rule"]!.GetValue<string>() == "2.3-head-name")!["status"]!.GetValue<string>(), Is.EqualTo("missing"));
        Assert.That(headName["status"]!.GetValue<string>(), Is.EqualTo("present"));
        Assert.That(headName["revision"]!.GetValue<int>(), Is.EqualTo(3));
        Assert.That(headName["since"]!.GetValue<DateTimeOffset>(), Is.EqualTo(publishedAt[2]), "named since revision 2 was published");
        var title = CheckOf(report, "historia", "2.3-head-name")["evidence"]!.AsArray().Single(e => e!["field"]!.GetValue<string>() == "head.title")!;
        Assert.That(title["since"]!.GetValue<DateTimeOffset>(), Is.EqualTo(publishedAt[1]));
        Assert.That(CheckOf(report, "historia", "2.4-phone")["status"]!.GetValue<string>(), Is.EqualTo("present"), "the draft without contact is not public");
    }

    [Test]
    public async Task The_report_is_cached_with_its_etag_and_changes_when_the_institution_publishes()
    {
        var (slug, id, law) = await InstitutionWithLawAsync();
        var organ = await Content.ResourceAsync(id, OrganModule.TypeName, "cache", [Complete("cache", law) with { Head = null }], publish: 1);
        var url = $"/api/v1/institutions/{slug}/compliance";
        using var first = await Client.GetAsync(url);
        using var again = new HttpRequestMessage(HttpMethod.Get, url);
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var notModified = await Client.SendAsync(again);

        await Content.AppendAsync(organ, Complete("cache", law), publish: true);
        using var stale = new HttpRequestMessage(HttpMethod.Get, url);
        stale.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var changed = await Client.SendAsync(stale);

        Assert.That(first.Headers.CacheControl?.Public, Is.True);
        Assert.That(notModified.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        Assert.That(changed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(changed.Headers.ETag, Is.Not.EqualTo(first.Headers.ETag));
        Assert.That(CheckOf(await ReadJsonAsync(changed), "cache", "2.3-head-name")["status"]!.GetValue<string>(), Is.EqualTo("present"));
    }

    [Test]
    public async Task Csv_has_a_header_and_one_rfc_4180_row_per_organ_and_rule()
    {
        var (slug, id, law) = await InstitutionWithLawAsync();
        await Content.ResourceAsync(id, OrganModule.TypeName, "csv", [Complete("csv", law) with { Name = "Secretaria de Obras, \"Viação\" e Urbanismo", Head = null }], publish: 1);

        using var response = await Client.GetAsync($"/api/v1/institutions/{slug}/compliance?format=csv");
        var text = await response.Content.ReadAsStringAsync();
        using var again = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/institutions/{slug}/compliance?format=csv");
        again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        using var notModified = await Client.SendAsync(again);

        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/csv"));
        Assert.That(response.Content.Headers.ContentType.CharSet, Is.EqualTo("utf-8"));
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Is.EqualTo(string.Join(',', ComplianceEndpoints.CsvColumns)));
        Assert.That(lines, Has.Length.EqualTo(1 + 1 + OrganRules.Count()), "header, the institution's rule, each organ rule");
        Assert.That(lines, Has.Some.StartsWith($"{slug},csv,\"Secretaria de Obras, \"\"Viação\"\" e Urbanismo\",1,2.3-head-name,2.3,2,missing,head.title head.name,,"));
        Assert.That(notModified.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        Assert.That(response.Headers.ETag, Is.Not.EqualTo((await Client.GetAsync($"/api/v1/institutions/{slug}/compliance")).Headers.ETag));
    }

    [Test]
    public async Task Html_is_an_accessible_fragment_with_captioned_tables_scoped_headers_and_statuses_in_words()
    {
        var (slug, id, law) = await InstitutionWithLawAsync();
        await Content.ResourceAsync(id, OrganModule.TypeName, "html", [Complete("html", law) with { Name = "Secretaria de <Obras> & Serviços", Head = null }], publish: 1);
        var url = $"/api/v1/institutions/{slug}/compliance?format=html";

        using var response = await Client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        using var again = new HttpRequestMessage(HttpMethod.Get, url);
        again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        using var notModified = await Client.SendAsync(again);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/html"));
        Assert.That(response.Content.Headers.ContentType.CharSet, Is.EqualTo("utf-8"));
        Assert.That(text, Does.Not.Contain("<Obras>").And.Contain("&lt;Obras&gt; &amp; Serviços"), "text is escaped");
        var fragment = System.Xml.Linq.XElement.Parse(text); // every element closed, every attribute quoted: it parses as XML too
        var elements = fragment.DescendantsAndSelf().ToList();
        Assert.That(fragment.Name.LocalName, Is.EqualTo("section"));
        Assert.That(fragment.Attribute("lang")!.Value, Is.EqualTo("pt-BR"));
        Assert.That(elements.Where(e => e.Name.LocalName == "table").Select(t => t.Elements().First().Name.LocalName), Is.All.EqualTo("caption"));
        Assert.That(elements.Where(e => e.Name.LocalName == "th").Select(th => th.Attribute("scope")?.Value), Is.All.AnyOf("col", "row"));
        Assert.That(elements.Select(e => e.Name.LocalName), Has.None.AnyOf("script", "style", "img", "iframe"));
        Assert.That(elements.SelectMany(e => e.Attributes()).Select(a => a.Name.LocalName), Has.None.EqualTo("style").And.None.StartsWith("on"));
        var organRow = elements.Single(e => e.Name.LocalName == "tr" && e.Attribute("class")?.Value == "paco-compliance__organ");
        Assert.That(organRow.Elements("th").Single().Value, Is.EqualTo("Secretaria de <Obras> & Serviços"));
        var headCell = organRow.Elements("td").Single(td => td.Attribute("headers")?.Value == "paco-rule-2.3-head-name");
        Assert.That(headCell.Value, Is.EqualTo("ausente"));
        Assert.That(headCell.Element("span")!.Attribute("class")!.Value, Is.EqualTo("paco-status paco-status--missing"));
        Assert.That(elements.Where(e => e.Attribute("class")?.Value == "paco-compliance__fix").Select(e => e.Value), Has.Some.Contains("2.3").And.Some.Contains("Secretaria de <Obras>"));
        Assert.That(notModified.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        Assert.That(response.Headers.ETag, Is.Not.EqualTo((await Client.GetAsync($"/api/v1/institutions/{slug}/compliance?format=csv")).Headers.ETag));
    }

    [TestCase("text/html", "html")]
    [TestCase("text/csv", "csv")]
    [TestCase("text/html;q=0.9, application/json;q=0.5", "html")]
    public async Task Accept_chooses_the_same_report_as_format_does(string accept, string format)
    {
        var url = "/api/v1/institutions/amostra/compliance";
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Accept", accept);

        using var negotiated = await Client.SendAsync(request);
        using var named = await Client.GetAsync($"{url}?format={format}");

        Assert.That(negotiated.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(negotiated.Content.Headers.ContentType!.ToString(), Is.EqualTo(named.Content.Headers.ContentType!.ToString()));
        Assert.That(await negotiated.Content.ReadAsStringAsync(), Is.EqualTo(await named.Content.ReadAsStringAsync()));
        Assert.That(negotiated.Headers.ETag, Is.EqualTo(named.Headers.ETag));
        Assert.That(negotiated.Headers.Vary, Does.Contain("Accept"), "a cache keeps each representation apart");
    }

    [Test]
    public async Task Format_wins_over_accept_and_an_accept_with_nothing_offered_is_406()
    {
        var url = "/api/v1/institutions/amostra/compliance";
        using var named = new HttpRequestMessage(HttpMethod.Get, $"{url}?format=json");
        named.Headers.TryAddWithoutValidation("Accept", "text/html");
        using var json = await Client.SendAsync(named);
        using var refused = new HttpRequestMessage(HttpMethod.Get, url);
        refused.Headers.TryAddWithoutValidation("Accept", "application/xml");
        using var notAcceptable = await Client.SendAsync(refused);

        Assert.That(json.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/json"));
        var problem = await AssertProblemAsync(notAcceptable, 406);
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("text/html").And.Contain("text/csv"));
    }

    [Test]
    public async Task The_seed_sample_shows_what_real_organs_lack_heads_names_contacts_and_hours()
    {
        var report = await ReportAsync("amostra");

        var head = report["criteria"]!.AsArray().Single(c => c!["criterion"]!.GetValue<string>() == "2.3")!;
        Assert.That(head["present"]!.GetValue<int>(), Is.EqualTo(0));
        Assert.That(head["missing"]!.GetValue<int>(), Is.EqualTo(report["organs"]!.AsArray().Count));
        var fixes = report["fixes"]!.AsArray().Select(f => f!["rule"]!.GetValue<string>()).ToList();
        Assert.That(fixes, Does.Contain("2.5-opening-hours").And.Contain("2.3-head-name").And.Contain("2.1-structure-norm"));
        Assert.That(CheckOf(report, "secretaria-de-trabalho-e-assistencia-social", "2.1-structure-norm")["status"]!.GetValue<string>(), Is.EqualTo("present"));
    }

    [Test]
    public async Task At_an_instant_the_report_is_over_what_was_published_then_with_the_norms_status_then()
    {
        var (slug, id, law) = await InstitutionWithLawAsync();
        var complete = Complete("auditada", law);
        var organ = await Content.ResourceAsync(id, OrganModule.TypeName, "auditada", [complete with { Head = complete.Head! with { Name = null } }], publish: 1);
        await Task.Delay(20);
        var auditDate = DateTimeOffset.UtcNow;
        await Task.Delay(20);
        await Content.AppendAsync(organ, complete, publish: true);                                                          // the head named after the audit date
        await Content.AppendAsync(law, TestContent.Law("lei-10-2001", "10", 2001, "Lei nº 10/2001") with { Status = LegalBasisStatuses.Revoked }, publish: true);
        await Content.ResourceAsync(id, OrganModule.TypeName, "posterior", [Complete("posterior", law)], publish: 1);        // created after it
        var url = $"/api/v1/institutions/{slug}/compliance";

        var now = await ReportAsync(slug);
        var inBrasilia = Uri.EscapeDataString(auditDate.ToOffset(TimeSpan.FromHours(-3)).ToString("yyyy-MM-ddTHH:mm:ss.fffffffzzz"));
        using var thenResponse = await Client.GetAsync($"{url}?at={inBrasilia}");
        var then = await ReadJsonAsync(thenResponse);
        using var sameInstantInUtc = await Client.GetAsync($"{url}?at={Uri.EscapeDataString(auditDate.ToString("O"))}");
        using var revalidation = new HttpRequestMessage(HttpMethod.Get, $"{url}?at={inBrasilia}");
        revalidation.Headers.IfNoneMatch.Add(thenResponse.Headers.ETag!);
        using var notModified = await Client.SendAsync(revalidation);

        Assert.That(then["organs"]!.AsArray().Select(o => o!["organ"]!["slug"]!.GetValue<string>()), Is.EqualTo(new[] { "auditada" }), "'posterior' did not exist then");
        Assert.That(CheckOf(then, "auditada", "2.3-head-name")["status"]!.GetValue<string>(), Is.EqualTo("missing"));
        Assert.That(then["organs"]![0]!["revision"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(then["institutionChecks"]![0]!["status"]!.GetValue<string>(), Is.EqualTo("present"), "the law was in force then");
        Assert.That(CheckOf(now, "auditada", "2.3-head-name")["status"]!.GetValue<string>(), Is.EqualTo("present"));
        Assert.That(now["institutionChecks"]![0]!["status"]!.GetValue<string>(), Is.EqualTo("outdated"), "today the only law is revoked");
        Assert.That(sameInstantInUtc.Headers.ETag, Is.EqualTo(thenResponse.Headers.ETag), "any offset names the same instant");
        Assert.That(thenResponse.Headers.ETag, Is.Not.EqualTo((await Client.GetAsync(url)).Headers.ETag));
        Assert.That(notModified.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
    }

    [Test]
    public async Task At_an_instant_before_anything_was_published_nothing_is_checked_and_future_or_malformed_instants_are_400()
    {
        var (slug, _, _) = await InstitutionWithLawAsync();
        var url = $"/api/v1/institutions/{slug}/compliance";

        var before = await GetJsonAsync($"{url}?at=2000-01-01T00:00:00-03:00");
        using var future = await Client.GetAsync($"{url}?at={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(1).ToString("O"))}");
        using var malformed = await Client.GetAsync($"{url}?at=31/12/2025");
        using var csv = await Client.GetAsync($"{url}?at=2000-01-01T00:00:00Z&format=csv");

        Assert.That(before["organs"]!.AsArray(), Is.Empty);
        Assert.That(before["institutionChecks"]![0]!["status"]!.GetValue<string>(), Is.EqualTo("missing"), "no law was published in 2000");
        await AssertProblemAsync(future, 400, "is in the future; point-in-time reports look at the past");
        await AssertProblemAsync(malformed, 400, "at");
        Assert.That((await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(2), "header and the institution's rule");
    }

    [Test]
    public async Task Bad_format_is_400_and_an_unknown_institution_is_404()
    {
        using var format = await Client.GetAsync("/api/v1/institutions/amostra/compliance?format=xml");
        using var unknown = await Client.GetAsync("/api/v1/institutions/nao-existe/compliance");

        Assert.That(format.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await format.Content.ReadAsStringAsync(), Does.Contain("'format' must be one of: json, csv, html."));
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}

/// <summary>The national ranking, over institutions this fixture creates in a state the seeds do not use.</summary>
public sealed class ComplianceRankingTests : ApiFixture
{
    private static OrganDocument Organ(string slug, Guid law, bool named) => TestContent.Organ(slug, $"Secretaria {slug}", legalBases: [new LegalBasisLink(law, "creates")]) with
    {
        Head = new Head("Secretário(a)", named ? "Ana" : null, null),
    };

    private async Task<(Guid Institution, Guid Organ)> PublishAsync(string slug, bool named)
    {
        var institution = await Content.InstitutionAsync(slug, "AC", "Rio Branco");
        var law = await Content.ResourceAsync(institution, LegalBasisModule.TypeName, "lei-1-2000", [TestContent.Law("lei-1-2000", "1", 2000, "Lei nº 1/2000")], publish: 1);
        var organ = await Content.ResourceAsync(institution, OrganModule.TypeName, "gabinete", [Organ("gabinete", law, named)], publish: 1);
        return (institution, organ);
    }

    [Test]
    public async Task Institutions_are_ranked_by_the_score_of_their_report_and_move_when_they_publish()
    {
        var (_, _) = await PublishAsync("acre-melhor", named: true);
        var (worse, organ) = await PublishAsync("acre-pior", named: false);
        await Content.InstitutionAsync("acre-sem-nada", "AC", "Xapuri");

        var before = await GetJsonAsync("/api/v1/compliance?uf=AC");
        var report = await GetJsonAsync("/api/v1/institutions/acre-pior/compliance");
        var law = (await GetJsonAsync("/api/v1/institutions/acre-pior/legal-bases"))["items"]![0]!["id"]!.GetValue<Guid>();
        await Content.AppendAsync(organ, Organ("gabinete", law, named: true) with { Values = ["Ética"] }, publish: true);
        var after = await GetJsonAsync("/api/v1/compliance?uf=AC");

        Assert.That(before["items"]!.AsArray().Select(e => $"{e!["rank"]}:{e["institution"]!["slug"]}"), Is.EqualTo(new[] { "1:acre-melhor", "2:acre-pior" }),
            "an institution that never published is not ranked");
        Assert.That(before["total"]!.GetValue<int>(), Is.EqualTo(2));
        Assert.That(before["items"]![1]!["score"]!.GetValue<double>(), Is.EqualTo(report["score"]!.GetValue<double>()));
        Assert.That(before["items"]![1]!["criteria"]!.AsArray().Single(c => c!["criterion"]!.GetValue<string>() == "2.3")!["score"]!.GetValue<double>(), Is.EqualTo(0));
        Assert.That(after["items"]!.AsArray().Select(e => e!["institution"]!["slug"]!.GetValue<string>()), Is.EqualTo(new[] { "acre-melhor", "acre-pior" }),
            "equal scores: by slug");
        Assert.That(after["items"]![1]!["score"]!.GetValue<double>(), Is.EqualTo(after["items"]![0]!["score"]!.GetValue<double>()));
        Assert.That(worse, Is.Not.EqualTo(Guid.Empty));
    }

    [Test]
    public async Task The_ranking_is_paged_and_a_bad_state_is_400()
    {
        var page = await Client.GetAsync("/api/v1/compliance?pageSize=1&page=1");
        using var bad = await Client.GetAsync("/api/v1/compliance?uf=Acre");

        Assert.That(page.Headers.GetValues("X-Total-Count").Single(), Is.Not.EqualTo("0"));
        Assert.That((await ReadJsonAsync(page))["items"]!.AsArray(), Has.Count.EqualTo(1));
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }
}
