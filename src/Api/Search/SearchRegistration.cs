using FluentValidation;

namespace Paco.Api.Search;

public static class SearchRegistration
{
    public static IServiceCollection AddSearch(this IServiceCollection services)
    {
        services.AddSingleton<IValidator<SearchQuery>, SearchQueryValidator>();
        services.AddSingleton<IValidator<InstitutionSearchQuery>, InstitutionSearchQueryValidator>();
        services.AddSingleton<SearchesInFlight>();
        return services;
    }
}
