using Microsoft.AspNetCore.Mvc;
using System.ComponentModel;
using FluentValidation;
using Microsoft.AspNetCore.WebUtilities;

namespace Paco.Api.Common;

/// <summary>A page of results with the total, so clients can show "1–20 of 143".</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int PageNumber, int PageSize, int Total)
{
    /// <summary>Number of pages at this page size.</summary>
    public int PageCount => Math.Max(1, (int)Math.Ceiling(Total / (double)PageSize));
}

public static class Paging
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    /// <summary>
    /// RFC 8288 Link (first, prev, next, last; absolute, under <see cref="PublicUrls.BaseOf"/>) and X-Total-Count headers
    /// of a page, keeping every other query parameter the endpoint binds (filters, sort).
    /// </summary>
    public static IReadOnlyDictionary<string, string> Links(HttpContext context, int page, int pageSize, int total)
    {
        var last = Math.Max(1, (int)Math.Ceiling(total / (double)pageSize));
        string Url(int target) => PageUrl(context, target, pageSize);
        var links = new List<string> { $"<{Url(1)}>; rel=\"first\"" };
        if (page > 1)
        {
            links.Add($"<{Url(Math.Min(page - 1, last))}>; rel=\"prev\"");
        }
        if (page < last)
        {
            links.Add($"<{Url(page + 1)}>; rel=\"next\"");
        }
        links.Add($"<{Url(last)}>; rel=\"last\"");
        return new Dictionary<string, string>
        {
            ["Link"] = string.Join(", ", links),
            ["X-Total-Count"] = total.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    /// <summary>The absolute URL of another page of this list, with every other query parameter the endpoint binds (filters, sort).</summary>
    public static string PageUrl(HttpContext context, int page, int pageSize)
    {
        var request = context.Request;
        // Only the parameters the endpoint binds are carried into the links (the answer is cached by those alone).
        // Names as the endpoint spells them, whatever case the request used (binding ignores case, and so does the cache key).
        var query = QueryParameters.Of(context.GetEndpoint())
            .Where(name => name is not "page" and not "pageSize" && request.Query.ContainsKey(name))
            .SelectMany(name => request.Query[name].Select(v => new KeyValuePair<string, string?>(name, v)))
            .Append(new("page", page.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .Append(new("pageSize", pageSize.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return QueryHelpers.AddQueryString(PublicUrls.BaseOf(context) + request.Path.ToUriComponent(), query);
    }
}

/// <summary>What every list query has.</summary>
public interface IPagedQuery
{
    int? Page { get; }
    int? PageSize { get; }
}

/// <summary>The paging parameters, declared once for every list's query record (bound with [AsParameters]).</summary>
public abstract record PagedQuery : IPagedQuery
{
    /// <summary>1-based page number.</summary>
    [DefaultValue(1)]
    [FromQuery(Name = "page")]
    public int? Page { get; init; }

    /// <summary>Items per page, 1 to 100.</summary>
    [DefaultValue(Paging.DefaultPageSize)]
    [FromQuery(Name = "pageSize")]
    public int? PageSize { get; init; }
}

/// <summary>Paging options of a list with no other filter.</summary>
public sealed record PageQuery : PagedQuery;

public sealed class PageQueryValidator : AbstractValidator<PageQuery>
{
    public PageQueryValidator() => this.PagingRules();
}

public static class PagingValidation
{
    public static (int Page, int PageSize) PageAndSize(this IPagedQuery query) => (query.Page ?? 1, query.PageSize ?? Paging.DefaultPageSize);

    public static void PagingRules<T>(this AbstractValidator<T> validator) where T : IPagedQuery
    {
        validator.RuleFor(q => q.Page).InclusiveBetween(1, 1_000_000).OverridePropertyName("page").WithName("page");
        validator.RuleFor(q => q.PageSize).InclusiveBetween(1, Paging.MaxPageSize).OverridePropertyName("pageSize").WithName("pageSize");
    }

    public static void OneOf<T>(this AbstractValidator<T> validator, System.Linq.Expressions.Expression<Func<T, string?>> property, string name, IReadOnlyList<string> allowed) =>
        validator.RuleFor(property)
            .SetValidator(new AllowedValuesValidator<T>(allowed))
            .OverridePropertyName(name)
            .WithMessage($"'{name}' must be one of: {string.Join(", ", allowed)}.", $"'{name}' deve ser um destes: {string.Join(", ", allowed)}.");
}
