using Microsoft.AspNetCore.Mvc;
using Paco.Api.Auth;
using Paco.Api.Revisions;

namespace Paco.Api.LegalBases;

/// <summary>Editors' routes for legal bases, beside the public ones. The work is done by <see cref="Editorial{TDocument}"/>.</summary>
public static class LegalBasisEditorialEndpoints
{
    public static IEndpointRouteBuilder MapLegalBasisEditing(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/institutions/{institution}/legal-bases");

        group.MapPost("/", (string institution, LegalBasisDocument document, Editorial<LegalBasisDocument> editorial, HttpContext http, CancellationToken ct) =>
                editorial.CreateAsync(institution, document, http, ct))
            .Editorial(Authorization.EditorPolicy, "CreateLegalBasis", "Create a legal basis: its first revision, a draft").LimitedBody();
        group.MapGet("/{legalBasis}/draft", (string institution, string legalBasis, Editorial<LegalBasisDocument> editorial, HttpContext http, CancellationToken ct) =>
                editorial.GetDraftAsync(institution, legalBasis, http, ct))
            .Editorial(Authorization.EditorPolicy, "GetLegalBasisDraft", "The newest revision of a legal basis (its draft) and its publication state; the ETag to send as If-Match");
        group.MapPut("/{legalBasis}", (string institution, string legalBasis, LegalBasisDocument document, Editorial<LegalBasisDocument> editorial, HttpContext http, CancellationToken ct) =>
                editorial.ReplaceAsync(institution, legalBasis, document, http, ct))
            .Editorial(Authorization.EditorPolicy, "ReplaceLegalBasis", "Replace the whole legal-basis document: a new draft revision").Conditional().LimitedBody();
        group.MapPatch("/{legalBasis}", (string institution, string legalBasis, Editorial<LegalBasisDocument> editorial, HttpContext http, CancellationToken ct) =>
                editorial.PatchAsync(institution, legalBasis, http, ct))
            .Editorial(Authorization.EditorPolicy, "PatchLegalBasis", "Change part of the legal basis (RFC 7396 merge patch): a new draft revision").Conditional().LimitedBody()
            .Accepts<LegalBasisDocument>("application/merge-patch+json");
        group.MapPost("/{legalBasis}/publish", (string institution, string legalBasis, [FromBody] PublishRequest? request, Editorial<LegalBasisDocument> editorial, HttpContext http, CancellationToken ct) =>
                editorial.PublishAsync(institution, legalBasis, request, http, ct))
            .Editorial(Authorization.PublisherPolicy, "PublishLegalBasis", "Publish the newest (or a given) revision, now or at a future time").Conditional();
        group.MapPost("/{legalBasis}/unpublish", (string institution, string legalBasis, Editorial<LegalBasisDocument> editorial, HttpContext http, CancellationToken ct) =>
                editorial.UnpublishAsync(institution, legalBasis, http, ct))
            .Editorial(Authorization.PublisherPolicy, "UnpublishLegalBasis", "Take the legal basis off the public site; its history stays").Conditional();
        group.MapPost("/{legalBasis}/archive", (string institution, string legalBasis, ArchiveRequest request, Editorial<LegalBasisDocument> editorial, HttpContext http, CancellationToken ct) =>
                editorial.ArchiveAsync(institution, legalBasis, request, http, ct))
            .Editorial(Authorization.PublisherPolicy, "ArchiveLegalBasis", "Archive the legal basis: it leaves lists and its URL answers 410 Gone with when and why").Conditional();
        group.MapPost("/{legalBasis}/restore", (string institution, string legalBasis, RestoreRequest request, Editorial<LegalBasisDocument> editorial, HttpContext http, CancellationToken ct) =>
                editorial.RestoreAsync(institution, legalBasis, request, http, ct))
            .Editorial(Authorization.PublisherPolicy, "RestoreLegalBasis", "A new draft revision equal to an older revision").Conditional();
        group.MapGet("/{legalBasis}/history", (string institution, string legalBasis, Editorial<LegalBasisDocument> editorial, CancellationToken ct) =>
                editorial.HistoryAsync(institution, legalBasis, ct))
            .Editorial(Authorization.EditorPolicy, "GetLegalBasisHistory", "Every revision, draft or published, with who, when, note and when each was published");
        group.MapGet("/{legalBasis}/diff", (string institution, string legalBasis, int from, int to, Editorial<LegalBasisDocument> editorial, CancellationToken ct) =>
                editorial.DiffAsync(institution, legalBasis, from, to, ct))
            .Editorial(Authorization.EditorPolicy, "DiffLegalBasisRevisions", "What changed between two revisions: RFC 6902 JSON Patch and a short summary");
        return app;
    }
}
