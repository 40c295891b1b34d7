using FluentValidation;

namespace Paco.Api.Common;

/// <summary>
/// Runs the FluentValidation validator registered for every argument that has one, and answers
/// 400 ValidationProblem (errors keyed by field) before the handler runs. Validators are registered
/// explicitly in <see cref="ValidationRegistration"/>.
/// </summary>
public sealed class ValidationFilter(IServiceProvider services) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var errors = new Dictionary<string, List<string>>();
        foreach (var argument in context.Arguments)
        {
            if (argument is null || services.GetService(typeof(IValidator<>).MakeGenericType(argument.GetType())) is not IValidator validator)
            {
                continue;
            }
            var result = await validator.ValidateAsync(new ValidationContext<object>(argument), context.HttpContext.RequestAborted);
            foreach (var failure in result.Errors)
            {
                var key = JsonPath(failure.PropertyName);
                if (!errors.TryGetValue(key, out var list))
                {
                    errors[key] = list = [];
                }
                list.Add(failure.ErrorMessage);
            }
        }
        return errors.Count == 0
            ? await next(context)
            : TypedResults.ValidationProblem(
                errors.ToDictionary(e => e.Key, e => e.Value.ToArray()),
                detail: "One or more fields are invalid; see errors.",
                title: "Validation failed");
    }

    /// <summary>"Competences[3].Text" → "competences[3].text": errors point at the JSON the client sent.</summary>
    public static string JsonPath(string propertyName) =>
        string.Join('.', propertyName.Split('.').Select(p => p.Length == 0 ? p : char.ToLowerInvariant(p[0]) + p[1..]));
}

public static class ValidationRegistration
{
    public static IServiceCollection AddPacoValidators(this IServiceCollection services)
    {
        services.AddSingleton<IValidator<PageQuery>, PageQueryValidator>();
        services.AddSingleton<IValidator<Auth.CreateKeyRequest>, Auth.CreateKeyRequestValidator>();
        services.AddSingleton<IValidator<Institutions.InstitutionInput>, Institutions.InstitutionInputValidator>();
        services.AddSingleton<IValidator<Institutions.InstitutionListQuery>, Institutions.InstitutionListQueryValidator>();
        services.AddSingleton<IValidator<Organs.OrganListQuery>, Organs.OrganListQueryValidator>();
        services.AddSingleton<IValidator<LegalBases.LegalBasisListQuery>, LegalBases.LegalBasisListQueryValidator>();
        services.AddSingleton<IValidator<Organs.CompetenceQuery>, Organs.CompetenceQueryValidator>();
        return services;
    }
}
