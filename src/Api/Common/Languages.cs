using System.Globalization;
using FluentValidation;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Paco.Api.Common;

/// <summary>
/// The languages of validation messages: English (the default) and Brazilian Portuguese, chosen by the request's
/// Accept-Language (RFC 9110 §12.5.4) and named by the validation problem's Content-Language. Only the messages of
/// validation problems are translated: FluentValidation's own (it has pt-BR built in, read from CurrentUICulture) and
/// the house's texts, written in both languages beside their rule. Everything else an API answers stays English.
/// Only the UI culture is set: number and date formatting (CurrentCulture) never depends on the caller.
/// </summary>
public static class Languages
{
    public const string English = "en";
    public const string BrazilianPortuguese = "pt-BR";

    public static readonly IReadOnlyList<string> All = [English, BrazilianPortuguese];

    private static readonly CultureInfo EnglishCulture = CultureInfo.GetCultureInfo(English);
    private static readonly CultureInfo PortugueseCulture = CultureInfo.GetCultureInfo(BrazilianPortuguese);

    public static IApplicationBuilder UseValidationLanguage(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        // Set on every request, so a culture never carries over from one request to the next on a connection.
        CultureInfo.CurrentUICulture = Choose(http.Request.Headers.AcceptLanguage) == BrazilianPortuguese ? PortugueseCulture : EnglishCulture;
        await next(http);
    });

    /// <summary>The language asked for: the first supported range by quality ("pt", "pt-BR", "pt-PT" → pt-BR; "en-US" → en); English otherwise.</summary>
    public static string Choose(StringValues acceptLanguage)
    {
        if (!StringWithQualityHeaderValue.TryParseList(acceptLanguage, out var ranges))
        {
            return English;
        }
        foreach (var range in ranges.Where(r => (r.Quality ?? 1) > 0).OrderByDescending(r => r.Quality ?? 1)) // a stable sort: ties keep their order
        {
            var tag = range.Value.Value ?? "";
            if (tag.Equals("pt", StringComparison.OrdinalIgnoreCase) || tag.StartsWith("pt-", StringComparison.OrdinalIgnoreCase))
            {
                return BrazilianPortuguese;
            }
            if (tag.Equals("en", StringComparison.OrdinalIgnoreCase) || tag.StartsWith("en-", StringComparison.OrdinalIgnoreCase) || tag == "*")
            {
                return English;
            }
        }
        return English;
    }

    /// <summary>The language this request's validation messages are in.</summary>
    public static string Current => CultureInfo.CurrentUICulture.Name == BrazilianPortuguese ? BrazilianPortuguese : English;

    /// <summary>The text in the request's language.</summary>
    public static string Text(string english, string portuguese) => Current == BrazilianPortuguese ? portuguese : english;

    /// <summary>A rule's message in both languages (placeholders such as {PropertyName} work in both).</summary>
    public static IRuleBuilderOptions<T, TProperty> WithMessage<T, TProperty>(this IRuleBuilderOptions<T, TProperty> rule, string english, string portuguese) =>
        rule.WithMessage(_ => Text(english, portuguese));

    /// <summary>A rule's message made from the value validated, in both languages.</summary>
    public static IRuleBuilderOptions<T, TProperty> WithMessage<T, TProperty>(this IRuleBuilderOptions<T, TProperty> rule, Func<T, TProperty, string> english, Func<T, TProperty, string> portuguese) =>
        rule.WithMessage((instance, value) => Current == BrazilianPortuguese ? portuguese(instance, value) : english(instance, value));
}
