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
        reads.MapGet(one, PublishedEndpoints.GetPublished<TResponse>)
            .WithName($"Get{kind.OperationName}")
            .WithSummary($"The published revision of {an}, addressed by slug or id")
            .WithDescription($"Answers 304 when If-None-Match carries the current ETag, and 410 Gone (with when and why) once archived. With ?at=2026-01-31T12:00:00Z, the {kind.Name} as it was published at that instant: what the site showed on the date of an audit.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status410Gone);
        reads.MapGet(one + "/revisions", PublishedEndpoints.ListRevisions)
            .WithName($"List{kind.OperationName}Revisions")
            .WithSummary($"The published revisions of {an}, newest first");
        reads.MapGet(one + "/revisions/{number}", PublishedEndpoints.GetRevision<TDocument>)
            .WithName($"Get{kind.OperationName}Revision")
            .WithSummary($"One published revision of {an}, by number, exactly as it was stored; never changes")
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
        editing.MapGet(one + "/draft", EditorialEndpoints.GetDraft<TDocument>)
            .Editorial(Authorization.EditorPolicy, $"Get{kind.OperationName}Draft", $"The newest revision of {an} (its draft) and its publication state; the ETag to send as If-Match")
            .AnswersWithETag();
        editing.MapPut(one, EditorialEndpoints.Replace<TDocument>)
            .Editorial(Authorization.EditorPolicy, $"Replace{kind.OperationName}", $"Replace the whole {kind.Name} document: a new draft revision")
            .Accepts<TDocument>(DocumentInput.Json)
            .AcceptsChangeNote()
            .Conditional().WithBody();
        editing.MapPatch(one, EditorialEndpoints.Patch<TDocument>)
            .Editorial(Authorization.EditorPolicy, $"Patch{kind.OperationName}", $"Change part of the {kind.Name} (RFC 7396 merge patch): a new draft revision")
            .Accepts<TDocument>(DocumentInput.MergePatch)
            .AcceptsChangeNote()
            .Conditional().WithBody();
        editing.MapPost(one + "/publish", EditorialEndpoints.Publish<TDocument>)
            .Editorial(Authorization.PublisherPolicy, $"Publish{kind.OperationName}", "Publish the newest (or a given) revision, now or at a future time")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .Conditional();
        editing.MapPost(one + "/unpublish", EditorialEndpoints.Unpublish<TDocument>)
            .Editorial(Authorization.PublisherPolicy, $"Unpublish{kind.OperationName}", $"Take the {kind.Name} off the public site; its history stays")
            .Conditional();
        editing.MapPost(one + "/archive", EditorialEndpoints.Archive<TDocument>)
            .Editorial(Authorization.PublisherPolicy, $"Archive{kind.OperationName}", $"Archive the {kind.Name}: it leaves lists and its URL answers 410 Gone with when and why")
            .Conditional();
        editing.MapPost(one + "/restore", EditorialEndpoints.Restore<TDocument>)
            .Editorial(Authorization.PublisherPolicy, $"Restore{kind.OperationName}", "A new draft revision equal to an older revision")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .Conditional();
        editing.MapGet(one + "/history", EditorialEndpoints.GetHistory)
            .Editorial(Authorization.EditorPolicy, $"Get{kind.OperationName}History", "Every revision, draft or published, with who, when, note and when each was published");
        editing.MapGet(one + "/diff", EditorialEndpoints.Diff)
            .Editorial(Authorization.EditorPolicy, $"Diff{kind.OperationName}Revisions", "What changed between two revisions: RFC 6902 JSON Patch and a short summary; list items with ids are matched by id");
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
