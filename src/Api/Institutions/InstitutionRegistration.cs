using FluentValidation;

namespace Paco.Api.Institutions;

public static class InstitutionRegistration
{
    public static IServiceCollection AddInstitutions(this IServiceCollection services)
    {
        services.AddSingleton<IValidator<InstitutionInput>, InstitutionInputValidator>();
        services.AddSingleton<IValidator<InstitutionListQuery>, InstitutionListQueryValidator>();
        return services;
    }
}
