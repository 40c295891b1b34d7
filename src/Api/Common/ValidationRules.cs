using FluentValidation;

namespace Paco.Api.Common;

/// <summary>Rules several validators share.</summary>
public static class ValidationRules
{
    public static IRuleBuilderOptions<T, string> Slug<T>(this IRuleBuilder<T, string> rule) => rule
        .NotEmpty()
        .MaximumLength(Limits.SlugLength)
        .Matches(Limits.SlugPattern).WithMessage("'{PropertyName}' must be lowercase letters, digits and single hyphens, like 'secretaria-de-saude'.",
            "'{PropertyName}' deve ter só letras minúsculas, algarismos e hífens simples, como 'secretaria-de-saude'.")
        .Must(s => !Limits.ReservedSlugs.Contains(s)).WithMessage($"'{{PropertyName}}' cannot be one of {string.Join(", ", Limits.ReservedSlugs)}: they are routes.",
            $"'{{PropertyName}}' não pode ser {string.Join(", ", Limits.ReservedSlugs)}: esses são endereços do próprio sistema.");

    public static IRuleBuilderOptions<T, string?> OneOf<T>(this IRuleBuilder<T, string?> rule, IReadOnlyList<string> allowed) =>
        rule.SetValidator(new AllowedValuesValidator<T>(allowed));

    public static IRuleBuilderOptions<T, string?> HttpUrl<T>(this IRuleBuilder<T, string?> rule) => rule
        .MaximumLength(Limits.UrlLength)
        .Must(u => u is null || (Uri.TryCreate(u, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
        .WithMessage("'{PropertyName}' must be an absolute http or https URL.", "'{PropertyName}' deve ser um endereço completo, começando com http:// ou https://.");

    public static IRuleBuilderOptions<T, string?> Uf<T>(this IRuleBuilder<T, string?> rule) => rule
        .Must(uf => uf is null || (uf.Length == 2 && uf == uf.ToUpperInvariant() && BrazilianStates.IsCode(uf)))
        .WithMessage("'{PropertyName}' must be a Brazilian state code such as MG or SP.", "'{PropertyName}' deve ser a sigla de um estado brasileiro, como MG ou SP.");
}

/// <summary>
/// A closed set of strings (null passes: whether a value is required is another rule). The OpenAPI document reads
/// <see cref="Allowed"/> to show the set as an enum, so what is documented is what is enforced.
/// </summary>
public sealed class AllowedValuesValidator<T>(IReadOnlyList<string> allowed) : FluentValidation.Validators.PropertyValidator<T, string?>, IAllowedValues
{
    public IReadOnlyList<string> Allowed { get; } = allowed;

    public override string Name => "AllowedValuesValidator";

    public override bool IsValid(ValidationContext<T> context, string? value) => value is null || Allowed.Contains(value);

    protected override string GetDefaultMessageTemplate(string errorCode) =>
        Languages.Text($"'{{PropertyName}}' must be one of: {string.Join(", ", Allowed)}.", $"'{{PropertyName}}' deve ser um destes: {string.Join(", ", Allowed)}.");
}

public interface IAllowedValues
{
    IReadOnlyList<string> Allowed { get; }
}
