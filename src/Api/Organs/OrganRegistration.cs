using FluentValidation;
using Paco.Api.Revisions;

namespace Paco.Api.Organs;

public static class OrganRegistration
{
    public static IServiceCollection AddOrgans(this IServiceCollection services)
    {
        services.AddSingleton<IValidator<OrganDocument>, OrganDocumentValidator>();
        services.AddSingleton<IValidator<OrganListQuery>, OrganListQueryValidator>();
        services.AddSingleton<IValidator<CompetenceQuery>, CompetenceQueryValidator>();
        services.AddResourceModule<OrganModule>();
        return services;
    }
}
