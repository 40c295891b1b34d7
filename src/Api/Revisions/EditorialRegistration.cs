using FluentValidation;
using Paco.Api.LegalBases;
using Paco.Api.Organs;

namespace Paco.Api.Revisions;

public static class EditorialRegistration
{
    public static IServiceCollection AddPacoEditorial(this IServiceCollection services)
    {
        services.AddSingleton<IValidator<OrganDocument>, OrganDocumentValidator>();
        services.AddSingleton<IValidator<LegalBasisDocument>, LegalBasisDocumentValidator>();
        services.AddSingleton<IEditorialRules<OrganDocument>, OrganEditorialRules>();
        services.AddSingleton<IEditorialRules<LegalBasisDocument>, LegalBasisEditorialRules>();
        services.AddScoped<Editorial<OrganDocument>>();
        services.AddScoped<Editorial<LegalBasisDocument>>();
        services.AddHostedService<ScheduledPublisher>();
        services.AddSingleton<PublishedCache>();
        services.AddHostedService<PublishedCacheListener>();
        return services;
    }
}
