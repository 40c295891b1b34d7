using Microsoft.AspNetCore.Mvc;
using Paco.Api.Auth;
using Paco.Api.Common;

namespace Paco.Api.Revisions;

/// <summary>
/// The routes every versioned type has, mapped once per registered module under its own path and route parameter:
/// the published representation (now or ?at= an instant) and its published revisions, anonymous; and the editorial
/// operations, with API keys. Handlers: <see cref="PublishedEndpoints"/> and <see cref="EditorialEndpoints"/>.
/// </summary>
public static class VersionedRoutes
{
    public static IEndpointRouteBuilder MapVersionedResources(this IEndpointRouteBuilder app)
    {
        foreach (var module in app.ServiceProvider.GetRequiredService<ResourceModules>().All)
        {
            module.MapRoutes(app);
        }
        return app;
    }

    public static void Map<TDocument, TResponse>(IEndpointRouteBuilder app, IResourceModule module) where TDocument : notnull
    {
        var kind = module.Kind;
        var one = $"/{{{kind.RouteParameter}}}";
        var an = $"{kind.Article} {kind.Name}";
        var collection = $"/api/v1/institutions/{{institution}}/{kind.Path}";

        var reads = app.MapGroup(collection)
            .WithTags(kind.Tag)
            .WithMetadata(module)
            .WithValidation()
            .CachedInProcess()
            .ProducesProblem(StatusCodes.Status404NotFound);
        var published = reads.MapGet(one, PublishedEndpoints.GetPublished<TResponse>)
            .WithName($"Get{kind.OperationName}")
            .WithSummary($"The published revision of {an}, addressed by slug or id")
            .WithDescription($"Answers 304 when If-None-Match carries the current ETag, and 410 Gone (with when and why) once archived. With ?at=2026-01-31T12:00:00Z, the {kind.Name} as it was published at that instant: what the site showed on the date of an audit."
                + (module.Alternatives.Count == 0 ? "" : $" Accept chooses JSON (the default), or {string.Join(" or ", module.Alternatives.Select(a => a.Media.MediaType))}; each with its own ETag, and ?at= works for each."))
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status410Gone);
        if (module.Alternatives.Count > 0)
        {
            published.Negotiated([.. module.Alternatives]);
        }
        reads.MapGet(one + "/revisions", PublishedEndpoints.ListRevisions)
            .WithName($"List{kind.OperationName}Revisions")
            .WithSummary($"The published revisions of {an}, newest first")
            .WithDescription($"Each with its number, when it was published and its content hash; paged (Link, X-Total-Count). Anonymous: drafts never appear. Read one with …/revisions/{{number}}.");
        reads.MapGet(one + "/revisions/{number}", PublishedEndpoints.GetRevision<TDocument>)
            .WithName($"Get{kind.OperationName}Revision")
            .WithSummary($"One published revision of {an}, by number, exactly as it was stored; never changes")
            .WithDescription("The document as it was published in that revision (not re-rendered), cached for a year (Cache-Control: immutable). 404 for a number that was never published.")
            .ProducesProblem(StatusCodes.Status400BadRequest);

        var editing = app.MapGroup(collection)
            .WithTags("Editorial")
            .WithMetadata(module)
            .WithValidation()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        editing.MapPost("/", EditorialEndpoints.Create<TDocument>)
            .Editorial(Authorization.EditorPolicy, $"Create{kind.OperationName}", $"Create {an}: its first revision, a draft")
            .WithDescription("Ids the server owns (competence ids) are filled in; send them back on later writes so they keep their identity. Optional change note: X-Change-Note header (percent-encoded).")
            .Accepts<TDocument>(DocumentInput.Json)
            .AcceptsChangeNote()
            .AnswersWithETag()
            .WithBody();
        editing.MapGet("/drafts", EditorialEndpoints.ListDrafts<TDocument>)
            .Editorial(Authorization.EditorPolicy, $"List{kind.OperationName}Drafts", $"Every {kind.Name} of the institution as editors see it: its newest revision and its publication state, never-published and archived ones included")
            .WithDescription("What an editorial console lists: each item is what GET …/draft answers for it (without its ETag; fetch the draft before writing).");
        editing.MapGet(one + "/draft", EditorialEndpoints.GetDraft<TDocument>)
            .Editorial(Authorization.EditorPolicy, $"Get{kind.OperationName}Draft", $"The newest revision of {an} (its draft) and its publication state; the ETag to send as If-Match")
            .WithDescription("Editors and above. The document, who wrote it and when, and its state: which revision is published and since when, whether it is archived, and the publications scheduled. Its ETag is what every write to it must send as If-Match.")
            .AnswersWithETag();
        editing.MapPut(one, EditorialEndpoints.Replace<TDocument>)
            .Editorial(Authorization.EditorPolicy, $"Replace{kind.OperationName}", $"Replace the whole {kind.Name} document: a new draft revision")
            .WithDescription("Editors and above. The body is the whole document (the same shape POST takes); the published revision is untouched until it is published. Needs If-Match with the draft's ETag (428 without it, 412 with the current one when someone changed it since); answers the new draft and its ETag. Optional X-Change-Note.")
            .Accepts<TDocument>(DocumentInput.Json)
            .AcceptsChangeNote()
            .Conditional().WithBody();
        editing.MapPatch(one, EditorialEndpoints.Patch<TDocument>)
            .Editorial(Authorization.EditorPolicy, $"Patch{kind.OperationName}", $"Change part of the {kind.Name} (RFC 7396 merge patch): a new draft revision")
            .WithDescription("Editors and above. Content-Type application/merge-patch+json: only the fields to change; objects merge field by field, arrays are replaced whole (send the whole list, with the ids of the items kept), null removes an optional field. The result is validated as a whole document. Needs If-Match with the draft's ETag; answers the new draft and its ETag.")
            .Accepts<TDocument>(DocumentInput.MergePatch)
            .AcceptsChangeNote()
            .Conditional().WithBody();
        editing.MapPost(one + "/publish", EditorialEndpoints.Publish<TDocument>)
            .Editorial(Authorization.PublisherPolicy, $"Publish{kind.OperationName}", "Publish the newest (or a given) revision, now or at a future time")
            .WithDescription("Publishers and admins. Body optional: {\"revision\": n} to publish an older revision, {\"at\": \"2026-12-24T08:00:00-03:00\"} to schedule it (202 Accepted; dates in any offset). Publishing re-renders what shows it (the organs that cite a legal basis, say) in the same transaction. Needs If-Match with the draft's ETag.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .Conditional();
        editing.MapPost(one + "/unpublish", EditorialEndpoints.Unpublish<TDocument>)
            .Editorial(Authorization.PublisherPolicy, $"Unpublish{kind.OperationName}", $"Take the {kind.Name} off the public site; its history stays")
            .WithDescription("Publishers and admins. Its public URL answers 404 until it is published again; its published revisions stay readable by number. 409 when it is not published. Needs If-Match.")
            .Conditional();
        editing.MapPost(one + "/archive", EditorialEndpoints.Archive<TDocument>)
            .Editorial(Authorization.PublisherPolicy, $"Archive{kind.OperationName}", $"Archive the {kind.Name}: it leaves lists and its URL answers 410 Gone with when and why")
            .WithDescription("Publishers and admins. Body {\"reason\": \"…\"} (shown to the public in the 410). Scheduled publications are cancelled. 409 when already archived. Needs If-Match.")
            .Conditional();
        editing.MapPost(one + "/restore", EditorialEndpoints.Restore<TDocument>)
            .Editorial(Authorization.PublisherPolicy, $"Restore{kind.OperationName}", "A new draft revision equal to an older revision")
            .WithDescription("Publishers and admins. Body {\"revision\": n}. History is never rewritten: the older content comes back as a new draft, to publish like any other. Needs If-Match.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .Conditional();
        editing.MapGet(one + "/history", EditorialEndpoints.GetHistory)
            .Editorial(Authorization.EditorPolicy, $"Get{kind.OperationName}History", "Every revision, draft or published, with who, when, note and when each was published")
            .WithDescription("Editors and above. Newest first; each revision with its author, note and content hash, whether it is the published one, and its publication events; plus the times it was unpublished.");
        editing.MapGet(one + "/diff", EditorialEndpoints.Diff)
            .Editorial(Authorization.EditorPolicy, $"Diff{kind.OperationName}Revisions", "What changed between two revisions: RFC 6902 JSON Patch and a short summary; list items with ids are matched by id")
            .WithDescription("Editors and above. ?from=1&to=3 (either order). List items with ids are matched by id, so a moved or edited item is one change, not a removal and an addition; the summary says it in words.");
    }

    private static RouteHandlerBuilder Editorial(this RouteHandlerBuilder builder, string policy, string name, string summary) => builder
        .RequireRoleInInstitution(policy)
        .WithName(name)
        .WithSummary(summary);

    /// <summary>Writes to an existing resource need If-Match, and answer 412/428 otherwise.</summary>
    private static RouteHandlerBuilder Conditional(this RouteHandlerBuilder builder) => builder
        .RequiresIfMatch()
        .AnswersWithETag()
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status412PreconditionFailed)
        .ProducesProblem(StatusCodes.Status428PreconditionRequired);

    /// <summary>A write whose body is a document: 400 when it is not one, 413 above <see cref="Limits.RequestBodyBytes"/>, 415 for another media type; within <see cref="BodiesInFlight"/>.</summary>
    public static RouteHandlerBuilder WithBody(this RouteHandlerBuilder builder) => builder
        .ProducesValidationProblem()
        .LimitedBody(Limits.RequestBodyBytes)
        .WithinBodiesInFlight();
}
