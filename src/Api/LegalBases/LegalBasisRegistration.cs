using FluentValidation;
using Paco.Api.Revisions;

namespace Paco.Api.LegalBases;

public static class LegalBasisRegistration
{
    public static IServiceCollection AddLegalBases(this IServiceCollection services)
    {
        services.AddSingleton<IValidator<LegalBasisDocument>, LegalBasisDocumentValidator>();
        services.AddSingleton<IValidator<LegalBasisListQuery>, LegalBasisListQueryValidator>();
        services.AddResourceModule<LegalBasisModule>();
        return services;
    }
}
