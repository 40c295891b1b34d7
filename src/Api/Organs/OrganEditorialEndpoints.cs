using Microsoft.AspNetCore.Mvc;
using Paco.Api.Auth;
using Paco.Api.Revisions;

namespace Paco.Api.Organs;

/// <summary>Editors' routes for organs, beside the public ones. The work is done by <see cref="Editorial{TDocument}"/>.</summary>
public static class OrganEditorialEndpoints
{
    public static IEndpointRouteBuilder MapOrganEditing(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/institutions/{institution}/organs");

        group.MapPost("/", (string institution, OrganDocument document, Editorial<OrganDocument> editorial, HttpContext http, CancellationToken ct) =>
                editorial.CreateAsync(institution, document, http, ct))
            .Editorial(Authorization.EditorPolicy, "CreateOrgan", "Create an organ: its first revision, a draft").LimitedBody()
            .WithDescription("Competences without an id get one; send it back on later writes so the competence keeps its identity. Optional change note: X-Change-Note header (percent-encoded).");
        group.MapGet("/{organ}/draft", (string institution, string organ, Editorial<OrganDocument> editorial, HttpContext http, CancellationToken ct) =>
                editorial.GetDraftAsync(institution, organ, http, ct))
            .Editorial(Authorization.EditorPolicy, "GetOrganDraft", "The newest revision of an organ (its draft) and its publication state; the ETag to send as If-Match");
        group.MapPut("/{organ}", (string institution, string organ, OrganDocument document, Editorial<OrganDocument> editorial, HttpContext http, CancellationToken ct) =>
                editorial.ReplaceAsync(institution, organ, document, http, ct))
            .Editorial(Authorization.EditorPolicy, "ReplaceOrgan", "Replace the whole organ document: a new draft revision").Conditional().LimitedBody();
        group.MapPatch("/{organ}", (string institution, string organ, Editorial<OrganDocument> editorial, HttpContext http, CancellationToken ct) =>
                editorial.PatchAsync(institution, organ, http, ct))
            .Editorial(Authorization.EditorPolicy, "PatchOrgan", "Change part of the organ (RFC 7396 merge patch): a new draft revision").Conditional().LimitedBody()
            .Accepts<OrganDocument>("application/merge-patch+json");
        group.MapPost("/{organ}/publish", (string institution, string organ, [FromBody] PublishRequest? request, Editorial<OrganDocument> editorial, HttpContext http, CancellationToken ct) =>
                editorial.PublishAsync(institution, organ, request, http, ct))
            .Editorial(Authorization.PublisherPolicy, "PublishOrgan", "Publish the newest (or a given) revision, now or at a future time").Conditional();
        group.MapPost("/{organ}/unpublish", (string institution, string organ, Editorial<OrganDocument> editorial, HttpContext http, CancellationToken ct) =>
                editorial.UnpublishAsync(institution, organ, http, ct))
            .Editorial(Authorization.PublisherPolicy, "UnpublishOrgan", "Take the organ off the public site; its history stays").Conditional();
        group.MapPost("/{organ}/archive", (string institution, string organ, ArchiveRequest request, Editorial<OrganDocument> editorial, HttpContext http, CancellationToken ct) =>
                editorial.ArchiveAsync(institution, organ, request, http, ct))
            .Editorial(Authorization.PublisherPolicy, "ArchiveOrgan", "Archive the organ: it leaves lists and its URL answers 410 Gone with when and why").Conditional();
        group.MapPost("/{organ}/restore", (string institution, string organ, RestoreRequest request, Editorial<OrganDocument> editorial, HttpContext http, CancellationToken ct) =>
                editorial.RestoreAsync(institution, organ, request, http, ct))
            .Editorial(Authorization.PublisherPolicy, "RestoreOrgan", "A new draft revision equal to an older revision").Conditional();
        group.MapGet("/{organ}/history", (string institution, string organ, Editorial<OrganDocument> editorial, CancellationToken ct) =>
                editorial.HistoryAsync(institution, organ, ct))
            .Editorial(Authorization.EditorPolicy, "GetOrganHistory", "Every revision, draft or published, with who, when, note and when each was published");
        group.MapGet("/{organ}/diff", (string institution, string organ, int from, int to, Editorial<OrganDocument> editorial, CancellationToken ct) =>
                editorial.DiffAsync(institution, organ, from, to, ct))
            .Editorial(Authorization.EditorPolicy, "DiffOrganRevisions", "What changed between two revisions: RFC 6902 JSON Patch and a short summary; competences are matched by id");
        return app;
    }
}
