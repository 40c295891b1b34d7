using System.ComponentModel;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Paco.Api.Common;
using Paco.Api.Data;
using Paco.Api.Institutions;
using Paco.Api.LegalBases;
using Paco.Api.Organs;
using Paco.Api.Revisions;

namespace Paco.Api.Search;

/// <summary>
/// "Quem faz o quê": Portuguese full-text search over the published organs' names, acronyms, competences, statements
/// and values (the search_entries projection, migration 0010, kept in step by <see cref="OrganModule"/>).
/// </summary>
public static class SearchEndpoints
{
    /// <summary>
    /// At most this many matching entries of one institution are ranked and counted: more than any institution has
    /// (the largest have a few thousand entries in all).
    /// </summary>
    public const int MaxRanked = 5000;

    /// <summary>
    /// At most this many matching entries of a state, a kind or the country are ranked and counted, the first found (a
    /// state at a time): a word found everywhere ("secretaria", "saúde") would otherwise rank tens of thousands, and
    /// ranking them is most of what such a search costs (14 ms for "saude" in SP with 5000, bench/SEARCH.md). 250 rather
    /// than 1000 made an uncached state search ~40% cheaper; the best of them still come first (the first found are a
    /// few whole institutions, each with its own organs whose names match). More words, a filter or one institution narrow it.
    /// </summary>
    public const int MaxRankedWide = 250;

    // ts_rank_cd's weights for D, C, B, A: the organ's name and acronym (A) over competences (B) over statements and values (C).
    private const string Weights = "array[0.05, 0.2, 0.5, 1.0]::float4[]";

    private static readonly string Description =
        "Words are matched whatever their accents, plural or verb form (\"iluminacao publica\" finds \"iluminação pública\", \"vacinar\" "
        + "finds \"vacinação\"), with the syntax of a search box: \"quoted phrases\", `or`, `-word` to exclude. The last word, while it is "
        + "being typed (no space after it), matches as a prefix: \"alvar\" finds \"alvará\". Ranked: the organ's name and acronym weigh "
        + "most, then the competence's text, then statements and values. Each hit has the organ, the institution, the competence "
        + "(label, group, text, citations) when one matched, and `snippet`: the matching passage, HTML-escaped, each matching word "
        + "in `<mark>…</mark>`, safe to insert as HTML. Only published content is searched. Paged (`Link`, `X-Total-Count`); at most "
        + $"{MaxRanked} matches of one institution, and {MaxRankedWide} of a state or of the country (the first found), are ranked and counted.";

    public static IEndpointRouteBuilder MapSearch(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1")
            .WithTags("Search")
            .WithValidation()
            .CachedInProcess()
            .WithinSearchesInFlight();

        group.MapGet("/search", Search)
            .WithName("Search")
            .WithSummary("Which organ handles this? Search the published competences, organs, statements and values of every institution")
            .WithDescription(Description + " Filter by institution, state (UF) or kind of institution.");
        group.MapGet("/institutions/{institution}/search", SearchInstitution)
            .WithName("SearchInstitution")
            .WithSummary("Which organ handles this? Search one institution's published competences, organs, statements and values")
            .WithDescription(Description)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Results<CachedJson<Page<SearchHit>>, ProblemHttpResult>> Search([AsParameters] SearchQuery query, [AsParameters] ReadServices services)
    {
        InstitutionAndState? institution = null;
        if (query.Institution is not null)
        {
            institution = await ScopeAsync(services, query.Institution);
            if (institution is null)
            {
                return Problems.BadRequest($"'institution' must name an institution; there is no institution '{query.Institution}'.");
            }
        }
        var page = await FindAsync(services, query.Q!, institution, query.Uf?.ToUpperInvariant(), query.Kind, query.PageAndSize());
        // Anything published anywhere may change a national answer: it is kept until any institution changes.
        return Answer(page, services.Http).CachedFor(institution?.Id ?? Guid.Empty);
    }

    public static async Task<Results<CachedJson<Page<SearchHit>>, ProblemHttpResult>> SearchInstitution(
        string institution, [AsParameters] InstitutionSearchQuery query, [AsParameters] ReadServices services)
    {
        if (await ScopeAsync(services, institution) is not { } scope)
        {
            return Problems.NotFound(InstitutionLookups.UnknownInstitution(institution));
        }
        var page = await FindAsync(services, query.Q!, scope, null, null, query.PageAndSize());
        return Answer(page, services.Http).CachedFor(scope.Id);
    }

    /// <summary>
    /// The institution searched, kept between changes (<see cref="PublishedCache.LookupAsync{T}"/>): most searches of
    /// one institution are asked once (each word as it is typed), so the answer cache does not save this round trip.
    /// </summary>
    private static Task<InstitutionAndState?> ScopeAsync(ReadServices services, string slug) =>
        services.Cache.LookupAsync("search-institution", slug, () => services.Db.InstitutionAndStateAsync(slug, services.CancellationToken));

    /// <summary>Kept compressed: searches are many, each asked a few times (a 32 KB answer is kept in 3 KB, bench/SEARCH.md).</summary>
    private static CachedJson<Page<SearchHit>> Answer((Page<SearchHit> Page, DateTimeOffset LastModified) found, HttpContext http) =>
        CachedJson<Page<SearchHit>>.From(found.Page, found.LastModified,
            headers: Paging.Links(http, found.Page.PageNumber, found.Page.PageSize, found.Page.Total)).Compressed();

    private sealed record Row(
        int Total, DateTimeOffset? LastModified, long? Id, Guid? OrganId, string? OrganSlug, string? OrganName, string? Acronym, string? OrganKind,
        Guid? InstitutionId, string? InstitutionSlug, string? InstitutionName, string? InstitutionKind, string? Uf,
        int? Position, Guid? CompetenceId, string? Label, string? CompetenceGroup, string? Text, double? Rank, string? Headline, string? Citations);

    /// <summary>One statement: the matches (at most <see cref="MaxRanked"/> or <see cref="MaxRankedWide"/>), ranked; their count; the page, with snippets and citations.</summary>
    private static async Task<(Page<SearchHit>, DateTimeOffset)> FindAsync(ReadServices services, string q, InstitutionAndState? institution, string? uf, string? kind,
        (int Page, int PageSize) paging)
    {
        var (words, prefix) = SearchText.Parse(q);
        var parameters = new List<NpgsqlParameter>
        {
            new("query", await QueryAsync(services, words, prefix)), new("take", paging.PageSize), new("skip", (paging.Page - 1) * paging.PageSize),
            new("options", $"StartSel={SearchText.StartMark}, StopSel={SearchText.StopMark}, MaxWords=30, MinWords=12, ShortWord=2, MaxFragments=2, FragmentDelimiter=\" … \""),
            new("marks", $"{SearchText.StartMark}{SearchText.StopMark}"),
        };
        // A constant of the statement where it is planned for its values (wide searches): the planner sees the words
        // and their frequency (a common word is read by scanning, a rare one through the index). Read once per use where
        // the plan is kept (one institution's, prepared).
        const string tsquery = "@query::tsquery";
        string filter = "", lastModified;
        if (institution is not null)
        {
            parameters.Add(new("institution", institution.Id));
            // Its state's partition only, and there the GIN index's institution key beside the words (migration 0015).
            filter += " and e.institution_id = @institution";
            lastModified = "(select max(rendered_at) from resources where institution_id = @institution and type = 'organ')";
        }
        else
        {
            lastModified = "greatest((select at from publications order by id desc limit 1), (select max(updated_at) from institutions))";
        }
        if (uf is not null)
        {
            parameters.Add(new("uf", uf));
            filter += " and e.uf = @uf::char(2)";
        }
        if (kind is not null)
        {
            parameters.Add(new("kind", kind));
            filter += " and e.institution_kind = @kind";
        }
        var sql = $"""
            with matches as materialized (
              select e.id, e.organ_id, e.institution_id, e.position, e.competence_id, e.label, e.competence_group, e.text,
                     ts_rank_cd({Weights}, e.search, {tsquery}, 1) as rank
              from {(institution is null ? "search_entries" : SearchPartitions.Of(institution.Uf))} e
              where e.search @@ {tsquery} {filter}
              limit {(institution is null ? MaxRankedWide : MaxRanked)}),
            page as materialized (select * from matches order by rank desc, id limit @take offset @skip)
            select t.total as "Total", {lastModified} as "LastModified", p.*
            from (select count(*)::int as total from matches) t
            left join lateral (
              select m.id as "Id", m.organ_id as "OrganId", o.slug as "OrganSlug", o.name as "OrganName", o.acronym as "Acronym", o.kind as "OrganKind",
                     i.id as "InstitutionId", i.slug as "InstitutionSlug", i.name as "InstitutionName", i.kind as "InstitutionKind", trim(i.uf) as "Uf",
                     m.position as "Position", m.competence_id as "CompetenceId", m.label as "Label", m.competence_group as "CompetenceGroup",
                     m.text as "Text", m.rank::float8 as "Rank",
                     ts_headline('paco_portuguese'::regconfig,
                       translate(case when m.position = 0 then concat_ws('. ', o.name || coalesce(' (' || o.acronym || ')', ''), nullif(m.text, '')) else m.text end, @marks, ''),
                       {tsquery}, @options) as "Headline",
                     case when m.competence_id is not null then {CompetenceCitations.JsonOf("m.organ_id", "m.competence_id")} end::text as "Citations"
              from page m
              join organs o on o.resource_id = m.organ_id
              join institutions i on i.id = m.institution_id
            ) p on true
            order by p."Rank" desc nulls last, p."Id"
            """;
        // One institution's statement is prepared, once per connection and partition: PostgreSQL then neither parses nor
        // plans it again (its plan is the same for any words: the institution's matches, from the GIN index). Wide ones
        // are planned each time, for their words.
        var rows = await ReadRowsAsync(services.Http.RequestServices.GetRequiredService<NpgsqlDataSource>(), sql, parameters,
            prepare: institution is not null, services.CancellationToken);
        // The competences' citations as their organs show them, from the citation rows: no organ document is read.
        var laws = new Dictionary<Guid, LegalBasisSummary>();
        var hits = rows.Where(r => r.Id is not null).Select(r => Hit(r, CompetenceCitations.Read(r.Citations, laws))).ToList();
        var total = rows.Count == 0 ? 0 : rows[0].Total;
        return (new Page<SearchHit>(hits, paging.Page, paging.PageSize, total), rows.FirstOrDefault()?.LastModified ?? DateTimeOffset.UnixEpoch);
    }

    /// <summary>
    /// The statement through Npgsql itself: EF cannot keep the command of a raw query with DbParameters, so it would
    /// build it again (under a lock) and compile its materializer at every search (bench/SEARCH.md, "Fewer costs per
    /// search"). The columns are read by position: the statement's select list, in <see cref="Row"/>'s order.
    /// </summary>
    private static async Task<List<Row>> ReadRowsAsync(NpgsqlDataSource dataSource, string sql, List<NpgsqlParameter> parameters, bool prepare,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(parameters.ToArray());
        if (prepare)
        {
            await command.PrepareAsync(cancellationToken); // no round trip once this connection has it
        }
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<Row>();
        while (await reader.ReadAsync(cancellationToken))
        {
            T? Get<T>(int ordinal) where T : class => reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<T>(ordinal);
            T? Value<T>(int ordinal) where T : struct => reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<T>(ordinal);
            rows.Add(new Row(reader.GetInt32(0), Value<DateTimeOffset>(1), Value<long>(2), Value<Guid>(3), Get<string>(4), Get<string>(5),
                Get<string>(6), Get<string>(7), Value<Guid>(8), Get<string>(9), Get<string>(10), Get<string>(11), Get<string>(12),
                Value<int>(13), Value<Guid>(14), Get<string>(15), Get<string>(16), Get<string>(17), Value<double>(18), Get<string>(19), Get<string>(20)));
        }
        return rows;
    }

    /// <summary>
    /// The whole tsquery: the words as websearch_to_tsquery reads them (stemmed by the search's dictionary), and the
    /// word being typed (<see cref="PrefixQueryAsync"/>). Kept between changes: the same words are searched in every
    /// institution, and a kept plan (see FindAsync) needs the value rather than the expression.
    /// </summary>
    private static async Task<string> QueryAsync(ReadServices services, string words, string prefix)
    {
        var wordsQuery = words.Trim().Length == 0 ? "" : (await services.Cache.LookupAsync("search-words", words, async () =>
            await services.Db.Database.SqlQuery<string>(
                $"select websearch_to_tsquery('paco_portuguese'::regconfig, paco_search_normalize({words}))::text as \"Value\"")
            .SingleAsync(services.CancellationToken)))!;
        var prefixQuery = prefix.Length == 0 ? "" : await PrefixQueryAsync(services, prefix);
        return SearchText.And(wordsQuery, prefixQuery);
    }

    private sealed record PrefixWords(string? Stem, string[] Words, string[] Shorter);

    /// <summary>
    /// The last word's stem, through the search's own dictionary, and the indexed words that begin with it (the
    /// search_lexemes vocabulary, migration 0013), made into a tsquery; empty when the word is a stop word ("de").
    /// Also the indexed words the stem itself begins with (of <see cref="SearchText.MinimumShorterStem"/> letters or
    /// more): a word half typed stems longer than the whole word does ("iniciat" stays 'iniciat', "iniciativa" is
    /// 'inic'; "iluminaç" is 'iluminac', "iluminação" 'ilumin'), so without them the hits would vanish as one types on.
    /// </summary>
    private static async Task<string> PrefixQueryAsync(ReadServices services, string prefix)
    {
        var (cache, cancellationToken) = (services.Cache, services.CancellationToken);
        // Kept between changes: the same beginnings are typed again and again ("secr", "secret…"), in every institution.
        return (await cache.LookupAsync("search-prefix", prefix, async () =>
        {
            var found = await services.Db.Database.SqlQuery<PrefixWords>($"""
            with typed as (select (tsvector_to_array(to_tsvector('paco_portuguese'::regconfig, paco_search_normalize({prefix}))))[1] as stem)
            select typed.stem as "Stem",
                   coalesce((select array_agg(l.lexeme order by l.lexeme) from (
                     select lexeme from search_lexemes where lexeme ^@ typed.stem order by lexeme limit {SearchText.MaxPrefixExpansion + 1}) l), array[]::text[]) as "Words",
                   coalesce((select array_agg(lexeme order by lexeme) from search_lexemes
                     where lexeme = any(array(select left(typed.stem, n) from generate_series({SearchText.MinimumShorterStem}, length(typed.stem) - 1) n))),
                     array[]::text[]) as "Shorter"
            from typed
            """).SingleAsync(cancellationToken);
            return found.Stem is null ? "" : SearchText.PrefixQuery(found.Stem, found.Words, found.Shorter);
        }))!;
    }

    private static SearchHit Hit(Row row, List<CitationResponse> citations) => new(
        row.CompetenceId is null ? SearchMatches.Organ : SearchMatches.Competence,
        new SearchOrgan(row.OrganId!.Value, row.OrganSlug!, row.OrganName!, row.Acronym, row.OrganKind!),
        new SearchInstitution(row.InstitutionId!.Value, row.InstitutionSlug!, row.InstitutionName!, row.InstitutionKind!, row.Uf),
        row.CompetenceId is Guid competence
            ? new SearchCompetence(competence, row.Position!.Value, row.Label, row.CompetenceGroup!, row.Text!, citations)
            : null,
        SearchText.SnippetHtml(row.Headline ?? ""),
        Math.Round(row.Rank!.Value, 6),
        $"/api/v1/institutions/{row.InstitutionSlug}/organs/{row.OrganSlug}");
}

/// <summary>What both searches take.</summary>
public interface ISearchQuery : IPagedQuery
{
    string? Q { get; }
}

public sealed record SearchQuery : PagedQuery, ISearchQuery
{
    /// <summary>The words to find, as typed in a search box ("iluminação pública", "alvará de constru").</summary>
    [FromQuery(Name = "q")]
    public string? Q { get; init; }

    /// <summary>Only this institution (slug).</summary>
    [FromQuery(Name = "institution")]
    public string? Institution { get; init; }

    /// <summary>Only institutions of this state, by its two-letter code (MG, SP, …).</summary>
    [FromQuery(Name = "uf")]
    public string? Uf { get; init; }

    /// <summary>Only institutions of this kind (prefeitura, camara, associacao, …).</summary>
    [FromQuery(Name = "kind")]
    public string? Kind { get; init; }
}

public sealed record InstitutionSearchQuery : PagedQuery, ISearchQuery
{
    /// <summary>The words to find, as typed in a search box ("iluminação pública", "alvará de constru").</summary>
    [FromQuery(Name = "q")]
    public string? Q { get; init; }
}

public static class SearchQueryRules
{
    public const int MaxLength = 200;

    public static void SearchRules<T>(this AbstractValidator<T> validator) where T : ISearchQuery
    {
        validator.PagingRules();
        validator.RuleFor(q => q.Q).NotEmpty().OverridePropertyName("q")
            .WithMessage("'q' is required: the words to search for (e.g. q=iluminação pública).", "'q' é obrigatório: as palavras a buscar (por exemplo, q=iluminação pública).");
        validator.RuleFor(q => q.Q).MaximumLength(MaxLength).OverridePropertyName("q")
            .WithMessage($"'q' must be at most {MaxLength} characters.", $"'q' deve ter no máximo {MaxLength} caracteres.");
    }
}

public sealed class SearchQueryValidator : AbstractValidator<SearchQuery>
{
    public SearchQueryValidator()
    {
        this.SearchRules();
        this.OneOf(q => q.Kind, "kind", InstitutionKinds.All);
        RuleFor(q => q.Uf).Must(uf => uf is null || BrazilianStates.IsCode(uf))
            .OverridePropertyName("uf").WithMessage("'uf' must be a Brazilian state code such as MG or SP.", "'uf' deve ser a sigla de um estado brasileiro, como MG ou SP.");
        RuleFor(q => q.Institution).MaximumLength(Limits.SlugLength).OverridePropertyName("institution").WithName("institution");
    }
}

public sealed class InstitutionSearchQueryValidator : AbstractValidator<InstitutionSearchQuery>
{
    public InstitutionSearchQueryValidator() => this.SearchRules();
}
