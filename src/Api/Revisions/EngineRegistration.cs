using FluentValidation;
using Paco.Api.Common;

namespace Paco.Api.Revisions;

public static class EngineRegistration
{
    /// <summary>The versioning engine: content store, published cache and its listener, scheduling; the resource types come as modules.</summary>
    public static IServiceCollection AddVersioningEngine(this IServiceCollection services)
    {
        services.AddScoped<ContentStore>();
        services.AddSingleton<StoredRenderings>();
        services.AddSingleton<ResourceModules>();
        services.AddSingleton<PublishedCache>();
        services.AddHostedService<PublishedCacheListener>();
        services.AddHostedService<ScheduledPublisher>();
        services.AddSingleton<IValidator<PageQuery>, PageQueryValidator>();
        services.AddSingleton<IValidator<ArchiveRequest>, ArchiveRequestValidator>();
        services.AddSingleton<IValidator<ChangeQuery>, ChangeQueryValidator>();
        services.AddSingleton<IValidator<AuditQuery>, AuditQueryValidator>();
        return services;
    }
}
