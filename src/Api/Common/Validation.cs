using System.Reflection;
using FluentValidation;
using Microsoft.AspNetCore.Http.Metadata;

namespace Paco.Api.Common;

/// <summary>
/// The one validation mechanism: a FluentValidation validator beside each record (registered explicitly by its
/// feature), run by a filter that is decided at build time. Only endpoints with a parameter that has a validator
/// get the filter and the documented 400; the others pay nothing.
/// </summary>
public static class Validation
{
    /// <summary>Validates the arguments of every endpoint of this group that has a validator, answering 400 ValidationProblem before the handler runs.</summary>
    public static TBuilder WithValidation<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint =>
        {
            if (endpoint.Metadata.OfType<MethodInfo>().FirstOrDefault() is not { } method)
            {
                return;
            }
            var validated = method.GetParameters()
                .Select((parameter, index) => (Index: index, Validator: endpoint.ApplicationServices.GetService(typeof(IValidator<>).MakeGenericType(parameter.ParameterType)) as IValidator))
                .Where(p => p.Validator is not null)
                .Select(p => (p.Index, Validator: p.Validator!))
                .ToArray();
            if (validated.Length == 0)
            {
                return;
            }
            endpoint.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status400BadRequest, typeof(HttpValidationProblemDetails), ["application/problem+json"]));
            endpoint.FilterFactories.Add((_, next) => async context =>
            {
                Dictionary<string, string[]>? errors = null;
                foreach (var (index, validator) in validated)
                {
                    if (context.Arguments[index] is { } argument)
                    {
                        var result = await validator.ValidateAsync(new ValidationContext<object>(argument), context.HttpContext.RequestAborted);
                        errors = Merge(errors, result);
                    }
                }
                return errors is null ? await next(context) : Invalid(errors, Languages.Text("One or more fields are invalid; see errors.", "Um ou mais campos são inválidos; veja 'errors'."));
            });
        });
        return builder;
    }

    /// <summary>The failures of <paramref name="result"/>, keyed by JSON path, added to <paramref name="errors"/> (created when needed).</summary>
    public static Dictionary<string, string[]>? Merge(Dictionary<string, string[]>? errors, FluentValidation.Results.ValidationResult result)
    {
        foreach (var group in result.Errors.GroupBy(e => JsonPath(e.PropertyName)))
        {
            errors ??= [];
            errors[group.Key] = [.. errors.GetValueOrDefault(group.Key) ?? [], .. group.Select(e => e.ErrorMessage)];
        }
        return errors;
    }

    public static Microsoft.AspNetCore.Http.HttpResults.ValidationProblem Invalid(IDictionary<string, string[]> errors, string detail) =>
        TypedResults.ValidationProblem(errors, detail: detail, title: Languages.Text("Validation failed", "Falha na validação"));

    /// <summary>"Competences[3].Text" → "competences[3].text": errors point at the JSON the client sent.</summary>
    public static string JsonPath(string propertyName) =>
        string.Join('.', propertyName.Split('.').Select(p => p.Length == 0 ? p : char.ToLowerInvariant(p[0]) + p[1..]));
}
