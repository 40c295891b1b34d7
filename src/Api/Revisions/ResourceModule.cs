using System.Text.Json;
using System.Text.Json.Nodes;
using FluentValidation;
using Paco.Api.Common;
using Paco.Api.Data;

namespace Paco.Api.Revisions;

/// <summary>How a resource type is stored, addressed and named: in resources.type, in URLs, in operation ids and in messages.</summary>
/// <param name="Type">Stored in resources.type ("organ").</param>
/// <param name="Name">In messages ("organ", "legal basis").</param>
/// <param name="Article">The indefinite article of <paramref name="Name"/> ("an", "a").</param>
/// <param name="Path">The collection's URL segment under an institution ("organs").</param>
/// <param name="RouteParameter">The route parameter naming one ("organ").</param>
/// <param name="OperationName">Its part of operation ids ("Organ" in GetOrgan, PublishOrgan).</param>
/// <param name="Tag">The OpenAPI tag of its public reads.</param>
public sealed record ResourceKind(string Type, string Name, string Article, string Path, string RouteParameter, string OperationName, string Tag)
{
    public string Collection(string institution) => $"/api/v1/institutions/{institution}/{Path}";
}

/// <summary>The institution a resource belongs to, as rendering and publishing see it.</summary>
public sealed record InstitutionInfo(Guid Id, string Slug, string Name, string? Uf, string? Municipality)
{
    public InstitutionRef Ref => new(Id, Slug, Name);
}

/// <summary>
/// Everything the versioning engine needs of one resource type. The engine (this folder) stores, versions, publishes,
/// caches and serves documents; a module says what a document is and what publishing it means for the rest of the
/// institution. Implementations live in their feature folders; adding a type is a new module, registered with
/// <see cref="ResourceModuleRegistration.AddResourceModule{TModule}"/>, and touches no file here.
/// Documents are JSON objects with a top-level "slug": the resource's address.
/// </summary>
public interface IResourceModule
{
    ResourceKind Kind { get; }
    Type DocumentType { get; }
    Type ResponseType { get; }

    /// <summary>Reads a document (a write's body or a stored revision). Throws <see cref="JsonException"/> when it is not one.</summary>
    object Read(JsonNode node);

    object Read(string json);

    string SlugOf(object document);

    /// <summary>Fills what the server owns (new ids) and keeps what the client sent back.</summary>
    object Prepare(object document);

    /// <summary>The document's shape and its references inside the institution, as JSON path → messages (empty: valid).</summary>
    Task<Dictionary<string, string[]>> ValidateAsync(PacoDb db, Guid institutionId, Guid? resourceId, object document, CancellationToken cancellationToken);

    /// <summary>
    /// Publishing <paramref name="document"/>: refreshes the projections lists and filters read (same transaction),
    /// and returns the resources whose representation shows this one, to be rendered again. Throws
    /// <see cref="ConflictException"/> when publishing it would leave the published content inconsistent.
    /// </summary>
    Task<IReadOnlyCollection<Guid>> ProjectAsync(PacoDb db, InstitutionInfo institution, Resource resource, object document, CancellationToken cancellationToken);

    /// <summary>Taken off the public site: its projections go.</summary>
    Task RemoveProjectionAsync(PacoDb db, Guid resourceId, CancellationToken cancellationToken);

    /// <summary>What rendering this type needs from the institution's published content (the names of what documents refer to).</summary>
    Task<object> LoadRenderDataAsync(PacoDb db, InstitutionInfo institution, CancellationToken cancellationToken);

    /// <summary>The public representation of a published revision.</summary>
    object Render(object renderData, InstitutionInfo institution, Guid id, object document, RevisionInfo revision);

    /// <summary>
    /// Whether its representation shows content of other types beyond what it refers to (a count of published organs, say):
    /// then every publication in the institution renders it again. Types that only show what they refer to say so through
    /// <see cref="ProjectAsync"/> of the type referred to.
    /// </summary>
    bool ShowsOtherTypes { get; }

    /// <summary>
    /// The media types its published representation has besides JSON (HTML, JSON-LD), chosen by Accept on GET (see
    /// <see cref="Representations"/>); none by default.
    /// </summary>
    IReadOnlyList<AlternativeRepresentation> Alternatives { get; }

    /// <summary>Maps the engine's routes for this type (published reads, revisions, editing) with its document and response types.</summary>
    void MapRoutes(IEndpointRouteBuilder app);
}

/// <summary>The typed base of every module: shape validation through the document's FluentValidation validator.</summary>
public abstract class ResourceModule<TDocument, TResponse, TRenderData>(IValidator<TDocument> validator) : IResourceModule
    where TDocument : class
    where TResponse : class
    where TRenderData : class
{
    public abstract ResourceKind Kind { get; }
    public Type DocumentType => typeof(TDocument);
    public Type ResponseType => typeof(TResponse);

    public object Read(JsonNode node) => PacoJson.Deserialize<TDocument>(node) ?? throw new JsonException("The document is null.");

    public object Read(string json) => PacoJson.Deserialize<TDocument>(json);

    public string SlugOf(object document) => SlugOf((TDocument)document);

    protected abstract string SlugOf(TDocument document);

    public object Prepare(object document) => Prepare((TDocument)document);

    protected virtual TDocument Prepare(TDocument document) => document;

    public async Task<Dictionary<string, string[]>> ValidateAsync(PacoDb db, Guid institutionId, Guid? resourceId, object document, CancellationToken cancellationToken)
    {
        var errors = Validation.Merge(null, await validator.ValidateAsync((TDocument)document, cancellationToken));
        // References are checked only in a well-formed document: the rules look inside it.
        return errors ?? await CheckReferencesAsync(db, institutionId, resourceId, (TDocument)document, cancellationToken);
    }

    /// <summary>Checks that need the database (references stay inside the institution), as JSON path → messages.</summary>
    protected virtual Task<Dictionary<string, string[]>> CheckReferencesAsync(PacoDb db, Guid institutionId, Guid? resourceId, TDocument document, CancellationToken cancellationToken) =>
        Task.FromResult(new Dictionary<string, string[]>());

    public Task<IReadOnlyCollection<Guid>> ProjectAsync(PacoDb db, InstitutionInfo institution, Resource resource, object document, CancellationToken cancellationToken) =>
        ProjectAsync(db, institution, resource, (TDocument)document, cancellationToken);

    protected virtual Task<IReadOnlyCollection<Guid>> ProjectAsync(PacoDb db, InstitutionInfo institution, Resource resource, TDocument document, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyCollection<Guid>>([]);

    public virtual Task RemoveProjectionAsync(PacoDb db, Guid resourceId, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<object> LoadRenderDataAsync(PacoDb db, InstitutionInfo institution, CancellationToken cancellationToken) =>
        await LoadRenderDataTypedAsync(db, institution, cancellationToken);

    protected abstract Task<TRenderData> LoadRenderDataTypedAsync(PacoDb db, InstitutionInfo institution, CancellationToken cancellationToken);

    public object Render(object renderData, InstitutionInfo institution, Guid id, object document, RevisionInfo revision) =>
        Render((TRenderData)renderData, institution, id, (TDocument)document, revision);

    public abstract TResponse Render(TRenderData renderData, InstitutionInfo institution, Guid id, TDocument document, RevisionInfo revision);

    public virtual bool ShowsOtherTypes => false;

    public virtual IReadOnlyList<AlternativeRepresentation> Alternatives => [];

    public virtual void MapRoutes(IEndpointRouteBuilder app) => VersionedRoutes.Map<TDocument, TResponse>(app, this);
}

/// <summary>
/// Something derived from an institution's published content as a whole (a score, a summary), kept in step by the
/// engine: called in the transaction of every publish, unpublish, archive and re-render of the institution, after its
/// projections and representations are written, so it reads exactly what will be committed.
/// </summary>
public interface IPublishedContentObserver
{
    Task PublishedContentChangedAsync(PacoDb db, InstitutionInfo institution, CancellationToken cancellationToken);
}

/// <summary>The registered modules, by stored type.</summary>
public sealed class ResourceModules(IEnumerable<IResourceModule> modules)
{
    private readonly Dictionary<string, IResourceModule> _byType = modules.ToDictionary(m => m.Kind.Type);

    public IEnumerable<IResourceModule> All => _byType.Values;

    public IResourceModule For(string type) =>
        _byType.TryGetValue(type, out var module) ? module : throw new InvalidOperationException($"No resource module handles the type '{type}'.");

    /// <summary>The module of a stored type, if this instance has one (rows of a type whose module was removed are left alone).</summary>
    public IResourceModule? Find(string type) => _byType.GetValueOrDefault(type);

    public TModule Get<TModule>() where TModule : IResourceModule => _byType.Values.OfType<TModule>().Single();
}

public static class ResourceModuleRegistration
{
    public static IServiceCollection AddResourceModule<TModule>(this IServiceCollection services) where TModule : class, IResourceModule
    {
        services.AddSingleton<TModule>();
        services.AddSingleton<IResourceModule>(provider => provider.GetRequiredService<TModule>());
        return services;
    }
}
