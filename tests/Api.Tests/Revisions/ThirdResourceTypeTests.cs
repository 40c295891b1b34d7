using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Paco.Api.Common;
using Paco.Api.Data;
using Paco.Api.Revisions;

namespace Paco.Api.Tests.Revisions;

// A third resource type that exists only in this file: a notice an institution publishes. Registering its module is
// all it takes; no file of the engine (src/Api/Revisions) knows it.

public sealed record NoticeDocument(string Slug, string Title, string Text);

public sealed record NoticeResponse(Guid Id, string Slug, InstitutionRef Institution, string Title, string Text, int PublishedOrgans, RevisionInfo Revision);

public sealed class NoticeDocumentValidator : AbstractValidator<NoticeDocument>
{
    public NoticeDocumentValidator()
    {
        RuleFor(n => n.Slug).Slug();
        RuleFor(n => n.Title).NotEmpty().MaximumLength(200);
        RuleFor(n => n.Text).NotEmpty();
    }
}

/// <summary>What a notice shows of the rest of the institution: how many organs it publishes (so rendering has data to load).</summary>
public sealed record NoticeRenderData(int PublishedOrgans);

public sealed class NoticeModule(IValidator<NoticeDocument> validator) : ResourceModule<NoticeDocument, NoticeResponse, NoticeRenderData>(validator)
{
    public override ResourceKind Kind { get; } = new("notice", "notice", "a", "notices", "notice", "Notice", "Notices");

    protected override string SlugOf(NoticeDocument document) => document.Slug;

    public override bool ShowsOtherTypes => true; // it shows how many organs are published

    protected override async Task<NoticeRenderData> LoadRenderDataTypedAsync(PacoDb db, InstitutionInfo institution, CancellationToken cancellationToken) =>
        new(await db.Organs.CountAsync(o => o.InstitutionId == institution.Id, cancellationToken));

    public override NoticeResponse Render(NoticeRenderData data, InstitutionInfo institution, Guid id, NoticeDocument document, RevisionInfo revision) =>
        new(id, document.Slug, institution.Ref, document.Title, document.Text, data.PublishedOrgans, revision);
}

public sealed class ThirdResourceTypeTests : ApiFixture
{
    private const string Notices = "/api/v1/institutions/avisos/notices";
    private string _publisher = "";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Changes:SettleDelay"] = "00:00:00" };

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<IValidator<NoticeDocument>, NoticeDocumentValidator>();
        services.AddResourceModule<NoticeModule>();
    }

    [OneTimeSetUp]
    public async Task CreateInstitutionAsync()
    {
        await Content.InstitutionAsync("avisos");
        _publisher = await Content.KeyAsync("publisher", "avisos");
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, string? json = null, string? ifMatch = null, string mediaType = "application/json")
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _publisher);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, mediaType);
        }
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        return await Client.SendAsync(request);
    }

    [Test]
    public async Task A_type_registered_outside_the_engine_is_created_edited_published_versioned_and_served()
    {
        using var created = await SendAsync(HttpMethod.Post, Notices, """{"slug":"audiencia-publica","title":"Audiência pública","text":"Dia 10, às 19h."}""");
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        Assert.That(created.Headers.Location!.ToString(), Is.EqualTo($"{Notices}/audiencia-publica/draft"));
        using var patched = await SendAsync(HttpMethod.Patch, $"{Notices}/audiencia-publica", """{"text":"Dia 12, às 19h."}""", created.Headers.ETag!.Tag, "application/merge-patch+json");
        Assert.That(patched.StatusCode, Is.EqualTo(HttpStatusCode.OK), await patched.Content.ReadAsStringAsync());
        Assert.That((await ReadJsonAsync(patched))["revision"]!.GetValue<int>(), Is.EqualTo(2));
        using var published = await SendAsync(HttpMethod.Post, $"{Notices}/audiencia-publica/publish", "{}", patched.Headers.ETag!.Tag);
        Assert.That(published.StatusCode, Is.EqualTo(HttpStatusCode.OK), await published.Content.ReadAsStringAsync());

        using var read = await Client.GetAsync($"{Notices}/audiencia-publica");
        var notice = await ReadJsonAsync(read);
        using var revalidation = new HttpRequestMessage(HttpMethod.Get, $"{Notices}/audiencia-publica");
        revalidation.Headers.IfNoneMatch.Add(read.Headers.ETag!);
        using var notModified = await Client.SendAsync(revalidation);
        var revisions = await GetJsonAsync($"{Notices}/audiencia-publica/revisions");
        using var diff = await SendAsync(HttpMethod.Get, $"{Notices}/audiencia-publica/diff?from=1&to=2");
        var changes = await GetJsonAsync("/api/v1/institutions/avisos/changes?after=0");

        Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(notice["text"]!.GetValue<string>(), Is.EqualTo("Dia 12, às 19h."));
        Assert.That(notice["institution"]!["slug"]!.GetValue<string>(), Is.EqualTo("avisos"));
        Assert.That(notice["revision"]!["number"]!.GetValue<int>(), Is.EqualTo(2));
        Assert.That(notModified.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        Assert.That(revisions["items"]!.AsArray().Select(r => r!["number"]!.GetValue<int>()), Is.EqualTo(new[] { 2 }));
        Assert.That((await ReadJsonAsync(diff))["patch"]![0]!["path"]!.GetValue<string>(), Is.EqualTo("/text"));
        Assert.That(changes["items"]!.AsArray().Select(c => c!["url"]!.GetValue<string>()), Does.Contain($"{Notices}/audiencia-publica"));
    }

    [Test]
    public async Task A_type_that_shows_other_types_is_rendered_again_when_they_are_published()
    {
        using var created = await SendAsync(HttpMethod.Post, Notices, """{"slug":"contagem","title":"Órgãos publicados","text":"—"}""");
        using (await SendAsync(HttpMethod.Post, $"{Notices}/contagem/publish", "{}", created.Headers.ETag!.Tag))
        {
        }
        var before = await GetJsonAsync($"{Notices}/contagem");

        await Content.ResourceAsync(await QueryScalarAsync<Guid>("select id from institutions where slug = 'avisos'"), "organ", "secretaria-nova",
            [TestContent.Organ("secretaria-nova", "Secretaria Nova")], publish: 1);

        var after = await GetJsonAsync($"{Notices}/contagem");
        Assert.That(after["publishedOrgans"]!.GetValue<int>(), Is.EqualTo(before["publishedOrgans"]!.GetValue<int>() + 1));
    }

    [Test]
    public async Task A_type_registered_outside_the_engine_gets_the_same_document_rules_and_preconditions()
    {
        using var invalid = await SendAsync(HttpMethod.Post, Notices, """{"slug":"sem-titulo","title":"","text":"x"}""");
        using var duplicateField = await SendAsync(HttpMethod.Post, Notices, """{"slug":"duplicado","title":"a","title":"b","text":"x"}""");
        using var first = await SendAsync(HttpMethod.Post, Notices, """{"slug":"unico","title":"Único","text":"x"}""");
        using var sameSlug = await SendAsync(HttpMethod.Post, Notices, """{"slug":"unico","title":"Outro","text":"y"}""");
        using var withoutIfMatch = await SendAsync(HttpMethod.Put, $"{Notices}/unico", """{"slug":"unico","title":"Único","text":"z"}""");

        var problem = await AssertProblemAsync(invalid, 400);
        Assert.That(problem["errors"]!["title"], Is.Not.Null);
        await AssertProblemAsync(duplicateField, 400, "twice");
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((await AssertProblemAsync(sameSlug, 400))["errors"]!["slug"], Is.Not.Null);
        await AssertProblemAsync(withoutIfMatch, 428);
    }

    [Test]
    public async Task A_type_registered_outside_the_engine_is_documented_in_openapi()
    {
        var document = await GetJsonAsync(Paco.Api.Common.OpenApi.DocumentPath);
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();

        Assert.That(paths, Does.Contain("/api/v1/institutions/{institution}/notices/{notice}"));
        Assert.That(document["paths"]!["/api/v1/institutions/{institution}/notices/{notice}"]!["get"]!["operationId"]!.GetValue<string>(), Is.EqualTo("GetNotice"));
        Assert.That(document["components"]!["schemas"]!["NoticeResponse"], Is.Not.Null);
    }
}
