using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FluentValidation;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Paco.Api.Common;
using Paco.Api.Data;
using Paco.Api.Revisions;

namespace Paco.Api.OpenData;

/// <summary>
/// Open data: every table as CSV and NDJSON (organs also as JSON-LD), all of them in a zip, per institution and for the country (optionally one
/// state), now or as published at an instant; the data dictionary; a DCAT dataset description per institution.
/// </summary>
public static class OpenDataEndpoints
{
    public const string NdJson = "application/x-ndjson";
    public const string Zip = "application/zip";
    public static readonly string JsonLd = MediaRepresentation.JsonLd.MediaType;

    public static IEndpointRouteBuilder MapOpenData(this IEndpointRouteBuilder app)
    {
        var institution = app.MapGroup("/api/v1/institutions/{institution}").WithTags("Open data").WithValidation()
            .ProducesProblem(StatusCodes.Status404NotFound);
        institution.MapGet("/open-data/{table}.csv", InstitutionCsv).WithName("ExportInstitutionTableCsv").Streamed(MediaRepresentation.Csv.MediaType)
            .WithSummary("One table of the institution's published content as CSV (RFC 4180, UTF-8)")
            .WithDescription(TableDescription);
        institution.MapGet("/open-data/{table}.ndjson", InstitutionNdJson).WithName("ExportInstitutionTableNdjson").Streamed(NdJson)
            .WithSummary("One table of the institution's published content as NDJSON (one JSON object a line, the CSV's columns as keys)")
            .WithDescription(TableDescription);
        institution.MapGet("/open-data/organs.jsonld", InstitutionOrgansJsonLd).WithName("ExportInstitutionOrgansJsonLd").Streamed(JsonLd, typeof(JsonObject))
            .WithSummary("The institution's published organs as one JSON-LD document: a schema.org GovernmentOrganization per organ in an @graph")
            .WithDescription(JsonLdDescription);
        institution.MapGet("/open-data.zip", InstitutionZip).WithName("ExportInstitutionZip").Streamed(Zip)
            .WithSummary("All the institution's tables as CSV in one zip, with the data dictionary (dictionary.json) and the dataset description (dataset.jsonld)")
            .WithDescription(ZipDescription);
        institution.MapGet("/open-data/dataset.jsonld", GetDataset).WithName("GetInstitutionDataset")
            .Produces<JsonObject>(StatusCodes.Status200OK, JsonLd).Produces(StatusCodes.Status304NotModified)
            .WithSummary("The institution's open data as a DCAT dataset (JSON-LD), for portals such as CKAN (ckanext-dcat) to harvest")
            .WithDescription("A dcat:Dataset with title, description, publisher, license (CC BY 4.0), update frequency (continuous), modification date, "
                + "keywords, and one dcat:Distribution per file (each table as CSV and NDJSON, and the zip), each conforming to the data dictionary.");

        var national = app.MapGroup("/api/v1/open-data").WithTags("Open data").WithValidation();
        national.MapGet("/dictionary", GetDictionary).WithName("GetDataDictionary")
            .WithSummary("The data dictionary: every open-data table and column, with its type and meaning")
            .WithDescription("The column names are stable: a column is added, never renamed or removed, within /api/v1.");
        national.MapGet("/dataset.jsonld", GetNationalDataset).WithName("GetNationalDataset")
            .Produces<JsonObject>(StatusCodes.Status200OK, JsonLd).Produces(StatusCodes.Status304NotModified)
            .WithSummary("The country's open data as a DCAT dataset (JSON-LD): the national tables as CSV and NDJSON, and the zip")
            .WithDescription("A dcat:Dataset like each institution's, whose distributions are the national exports (GET /api/v1/open-data/{table}.csv …); "
                + "published by the service itself. The catalog (GET /api/v1/open-data/catalog.jsonld) lists it first.");
        national.MapGet("/catalog.jsonld", GetCatalog).WithName("GetOpenDataCatalog")
            .Produces<JsonObject>(StatusCodes.Status200OK, JsonLd).Produces(StatusCodes.Status304NotModified)
            .WithSummary("The DCAT catalog (JSON-LD) of every dataset: the national one, then one per institution, paged for harvesters")
            .WithDescription("A dcat:Catalog whose dcat:dataset are the page's datasets, each exactly as its own dataset.jsonld describes it "
                + "(distributions, publisher, license, modified, accrualPeriodicity), in an @graph beside a hydra:PagedCollection node "
                + "(hydra:totalItems, hydra:itemsPerPage, hydra:first, hydra:last, hydra:next, hydra:previous, and the older hydra:nextPage … "
                + "that ckanext-dcat also reads): a CKAN RDF harvester (ckanext-dcat, dcat_rdf_harvester) given page 1 follows hydra:next to the last page. "
                + "Datasets are ordered by institution slug, one per institution (one that has published nothing yet has files with only their header rows). "
                + "Each page has its own ETag (If-None-Match answers 304).");
        national.MapGet("/{table}.csv", NationalCsv).WithName("ExportNationalTableCsv").Streamed(MediaRepresentation.Csv.MediaType)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One table of every institution's published content (or one state's, with uf) as CSV")
            .WithDescription(TableDescription + " Streamed in constant memory: the national organs table is some 156 000 rows, competences some 3 million.");
        national.MapGet("/{table}.ndjson", NationalNdJson).WithName("ExportNationalTableNdjson").Streamed(NdJson)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One table of every institution's published content (or one state's, with uf) as NDJSON")
            .WithDescription(TableDescription + " One JSON object per line, streamed in constant memory.");
        national.MapGet("/organs.jsonld", NationalOrgansJsonLd).WithName("ExportNationalOrgansJsonLd").Streamed(JsonLd, typeof(JsonObject))
            .WithSummary("Every institution's published organs (or one state's, with uf) as one JSON-LD document of schema.org GovernmentOrganizations")
            .WithDescription(JsonLdDescription + " Streamed in constant memory: some 156 000 nodes nationally.");
        app.MapGet("/api/v1/open-data.zip", NationalZip).WithTags("Open data").WithValidation().WithName("ExportNationalZip").Streamed(Zip)
            .WithSummary("Every table of every institution (or one state's, with uf) as CSV in one zip, with the data dictionary")
            .WithDescription(ZipDescription);
        return app;
    }

    private const string TableDescription =
        "Tables: organs, competences, citations, legal-bases, contacts; their columns are in GET /api/v1/open-data/dictionary. "
        + "'?at=' (ISO 8601) gives what was published at that instant. The ETag changes with every publication the export can show; "
        + "send it as If-None-Match to get 304 without a body.";

    private const string JsonLdDescription =
        "{\"@context\": \"https://schema.org\", \"@graph\": [...]}: one GovernmentOrganization per published organ, exactly as the organ's own "
        + "application/ld+json answer describes it (@id = its URL, parentOrganization as an @id reference to the parent organ or the institution, "
        + "employee, address, location with opening hours, subjectOf with the legal bases). Only the organs table has a JSON-LD form: the other tables "
        + "(competences, citations, legal bases, contacts) are parts of these nodes or have no schema.org property. "
        + "'?at=' (ISO 8601) gives the organs published at that instant, with today's names of what they refer to, as point-in-time reads do; "
        + "the ETag is the one rule of every export (it changes with every publication the export can show); If-None-Match answers 304.";

    private const string ZipDescription =
        "The zip holds organs.csv, competences.csv, citations.csv, legal-bases.csv, contacts.csv, dictionary.json and dataset.jsonld "
        + "(national: no dataset.jsonld), streamed as it is written. '?at=' (ISO 8601) gives what was published at that instant; If-None-Match answers 304.";

    private static TBuilder Streamed<TBuilder>(this TBuilder builder, string mediaType, Type? body = null) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, body ?? typeof(string), [mediaType]),
                new ProducesResponseTypeMetadata(StatusCodes.Status304NotModified, typeof(void)))
            .StreamsWithValidators();

    public static async Task<Results<ExportAnswer, ProblemHttpResult>> InstitutionCsv(string institution, string table, [AsParameters] ExportQuery query,
        [AsParameters] OpenDataServices services) =>
        await InstitutionExportAsync(institution, table, ExportFormat.Csv, query, services);

    public static async Task<Results<ExportAnswer, ProblemHttpResult>> InstitutionNdJson(string institution, string table, [AsParameters] ExportQuery query,
        [AsParameters] OpenDataServices services) =>
        await InstitutionExportAsync(institution, table, ExportFormat.NdJson, query, services);

    public static async Task<Results<ExportAnswer, ProblemHttpResult>> InstitutionOrgansJsonLd(string institution, [AsParameters] ExportQuery query,
        [AsParameters] OpenDataServices services) =>
        await InstitutionExportAsync(institution, LinkedTable, ExportFormat.JsonLd, query, services);

    public static async Task<Results<ExportAnswer, ProblemHttpResult>> NationalOrgansJsonLd([AsParameters] NationalExportQuery query,
        [AsParameters] OpenDataServices services) =>
        await NationalExportAsync(LinkedTable, ExportFormat.JsonLd, query, services);

    /// <summary>The one table with a JSON-LD form: organs are schema.org GovernmentOrganizations, the other tables parts of them.</summary>
    public const string LinkedTable = "organs";

    public static async Task<Results<ExportAnswer, ProblemHttpResult>> InstitutionZip(string institution, [AsParameters] ExportQuery query,
        [AsParameters] OpenDataServices services) =>
        await InstitutionExportAsync(institution, null, ExportFormat.Zip, query, services);

    public static async Task<Results<ExportAnswer, ProblemHttpResult>> NationalCsv(string table, [AsParameters] NationalExportQuery query,
        [AsParameters] OpenDataServices services) =>
        await NationalExportAsync(table, ExportFormat.Csv, query, services);

    public static async Task<Results<ExportAnswer, ProblemHttpResult>> NationalNdJson(string table, [AsParameters] NationalExportQuery query,
        [AsParameters] OpenDataServices services) =>
        await NationalExportAsync(table, ExportFormat.NdJson, query, services);

    public static async Task<Results<ExportAnswer, ProblemHttpResult>> NationalZip([AsParameters] NationalExportQuery query, [AsParameters] OpenDataServices services) =>
        await NationalExportAsync(null, ExportFormat.Zip, query, services);

    private static async Task<Results<ExportAnswer, ProblemHttpResult>> InstitutionExportAsync(string institution, string? table, ExportFormat format,
        ExportQuery query, OpenDataServices services)
    {
        if (await PublisherAsync(institution, services) is not { } found)
        {
            return Problems.NotFound(InstitutionLookups.UnknownInstitution(institution));
        }
        var (id, publisher) = found;
        return await ExportAsync(table, format, new ExportScope(id, null, query.At), publisher.Slug, publisher, services);
    }

    private static async Task<Results<ExportAnswer, ProblemHttpResult>> NationalExportAsync(string? table, ExportFormat format, NationalExportQuery query, OpenDataServices services) =>
        await ExportAsync(table, format, new ExportScope(null, query.Uf, query.At), query.Uf is null ? "brasil" : $"brasil-{query.Uf.ToLowerInvariant()}", null, services);

    private static async Task<Results<ExportAnswer, ProblemHttpResult>> ExportAsync(string? tableName, ExportFormat format, ExportScope scope, string fileStem,
        DatasetPublisher? publisher, OpenDataServices services)
    {
        DataTable? table = null;
        if (tableName is not null && (table = DataDictionary.Find(tableName)) is null)
        {
            return Problems.NotFound($"There is no open-data table '{tableName}'. The tables are: {string.Join(", ", DataDictionary.TableNames)} (GET /api/v1/open-data/dictionary).");
        }
        if (PointInTime.RefuseFuture(scope.At, services.Clock, "exports") is { } future)
        {
            return future;
        }
        var state = await ExportSource.StateAsync(services.DataSource, scope, services.CancellationToken);
        var representation = $"{format}|{table?.Name}";
        var fileName = table is null ? $"{fileStem}.zip" : $"{fileStem}-{table.Name}.{ExtensionOf(format)}";
        var baseUrl = PublicUrls.BaseOf(services.Http);
        // The dataset in the zip and the JSON-LD @ids are absolute URLs: their bytes depend on the base they are served at.
        var showsBaseUrl = publisher is not null || format == ExportFormat.JsonLd;
        return new ExportAnswer(state.ETag(representation + "|" + (showsBaseUrl ? baseUrl : ""), scope), state.LastModified, fileName,
            format switch { ExportFormat.Csv => MediaRepresentation.Csv.ContentType, ExportFormat.NdJson => NdJson, ExportFormat.JsonLd => JsonLd, _ => Zip },
            (body, cancellationToken) => format switch
            {
                ExportFormat.Csv => ExportWriter.CsvAsync(body, table!, ExportSource.ReadAsync(services.DataSource, table!.Source, scope, cancellationToken), cancellationToken),
                ExportFormat.NdJson => ExportWriter.NdJsonAsync(body, table!, ExportSource.ReadAsync(services.DataSource, table!.Source, scope, cancellationToken), cancellationToken),
                ExportFormat.JsonLd => ExportWriter.JsonLdAsync(body, LinkedData.SchemaOrg.Context,
                    LinkedOrgans.NodesAsync(ExportSource.ReadAsync(services.DataSource, table!.Source, scope, cancellationToken), services, baseUrl, cancellationToken), cancellationToken),
                _ => ExportWriter.ZipAsync(body, state.LastModified, t => ExportSource.ReadAsync(services.DataSource, t.Source, scope, cancellationToken),
                    publisher is null ? null : Dataset.Describe(publisher, baseUrl, state.LastModified), cancellationToken),
            });
    }

    private static string ExtensionOf(ExportFormat format) => format switch
    {
        ExportFormat.Csv => "csv",
        ExportFormat.NdJson => "ndjson",
        _ => "jsonld",
    };

    private static async Task<(Guid Id, DatasetPublisher Publisher)?> PublisherAsync(string institution, OpenDataServices services) =>
        await services.Db.Institutions.AsNoTracking().Where(i => i.Slug == institution)
            .Select(i => new { i.Id, i.Slug, i.Name, i.Uf, i.Municipality, i.Website }).SingleOrDefaultAsync(services.CancellationToken) is { } found
            ? (found.Id, new DatasetPublisher(found.Slug, found.Name, found.Uf == null ? null : found.Uf.Trim(), found.Municipality, found.Website))
            : null;

    public static CachedJson<IReadOnlyList<DataTable>> GetDictionary() =>
        CachedJson<IReadOnlyList<DataTable>>.From(DataDictionary.Tables, DateTimeOffset.UnixEpoch);

    public static async Task<CachedMedia> GetNationalDataset([AsParameters] OpenDataServices services)
    {
        var modified = await ExportSource.NationalModifiedAsync(services.DataSource, services.CancellationToken);
        var dataset = Dataset.DescribeNational(PublicUrls.BaseOf(services.Http), modified);
        return CachedMedia.From(Dataset.ToUtf8(dataset), JsonLd, modified);
    }

    private sealed record CatalogRow(string Slug, string Name, string? Uf, string? Municipality, string? Website, DateTimeOffset Modified, int Total);

    /// <summary>
    /// One page of the catalog, read in one query of a page of institutions (each with the same "modified" its dataset.jsonld
    /// says, looked up for that page alone), so a harvest of the whole country never holds more than a page in memory and
    /// no page costs more than the first.
    /// </summary>
    public static async Task<CachedMedia> GetCatalog([AsParameters] PageQuery paging, [AsParameters] OpenDataServices services)
    {
        var (page, pageSize) = paging.PageAndSize();
        // The national dataset is the catalog's first item; the institutions follow it.
        var skip = Math.Max(0, (page - 1) * pageSize - 1);
        var take = page == 1 ? pageSize - 1 : pageSize;
        var rows = await services.Db.Database.SqlQuery<CatalogRow>($"""
            select i.slug as "Slug", i.name as "Name", trim(i.uf) as "Uf", i.municipality as "Municipality", i.website as "Website",
                   greatest(i.updated_at, (select max(p.at) from publications p join resources r on r.id = p.resource_id where r.institution_id = i.id)) as "Modified",
                   i.total as "Total"
            from (select *, (count(*) over ())::int as total from institutions order by slug offset {skip} limit {take}) i
            order by i.slug
            """).ToListAsync(services.CancellationToken);
        var institutions = rows.Count > 0 ? rows[0].Total : await services.Db.Institutions.CountAsync(services.CancellationToken);
        var modified = await ExportSource.NationalModifiedAsync(services.DataSource, services.CancellationToken);
        var baseUrl = PublicUrls.BaseOf(services.Http);
        var datasets = rows.Select(r => Dataset.Of(new DatasetPublisher(r.Slug, r.Name, r.Uf, r.Municipality, r.Website), baseUrl, r.Modified));
        if (page == 1)
        {
            datasets = datasets.Prepend(Dataset.National(baseUrl, modified));
        }
        var catalog = Dataset.Catalog(baseUrl, modified, datasets,
            new CatalogPage(page, pageSize, institutions + 1, Paging.PageUrl(services.Http, page, pageSize), target => Paging.PageUrl(services.Http, target, pageSize)));
        // Not kept in process: a national harvest is some 90 MiB of pages read once a day, which would push the hot organs out of the cache.
        return CachedMedia.From(Dataset.ToUtf8(catalog), JsonLd, modified);
    }

    public static async Task<Results<CachedMedia, ProblemHttpResult>> GetDataset(string institution, [AsParameters] OpenDataServices services)
    {
        if (await PublisherAsync(institution, services) is not { } found)
        {
            return Problems.NotFound(InstitutionLookups.UnknownInstitution(institution));
        }
        var (id, publisher) = found;
        var state = await ExportSource.StateAsync(services.DataSource, new ExportScope(id, null, null), services.CancellationToken);
        var dataset = Dataset.Describe(publisher, PublicUrls.BaseOf(services.Http), state.LastModified);
        return CachedMedia.From(Dataset.ToUtf8(dataset), JsonLd, state.LastModified);
    }
}

public enum ExportFormat
{
    Csv,
    NdJson,
    Zip,
    JsonLd,
}

/// <summary>What the export handlers take: the database (for the institution) and the data source the exports stream from.</summary>
public sealed record OpenDataServices(NpgsqlDataSource DataSource, TimeProvider Clock, HttpContext Http, CancellationToken CancellationToken)
{
    public PacoDb Db => field ??= Http.RequestServices.GetRequiredService<PacoDb>();
}

public sealed record ExportQuery
{
    /// <summary>An instant (ISO 8601 with offset): the export as published then.</summary>
    [FromQuery(Name = "at")]
    public DateTimeOffset? At { get; init; }
}

public sealed record NationalExportQuery
{
    /// <summary>Only the institutions of this state (MG, SP…).</summary>
    [FromQuery(Name = "uf")]
    public string? Uf { get; init; }

    /// <summary>An instant (ISO 8601 with offset): the export as published then.</summary>
    [FromQuery(Name = "at")]
    public DateTimeOffset? At { get; init; }
}

public sealed class NationalExportQueryValidator : AbstractValidator<NationalExportQuery>
{
    public NationalExportQueryValidator() => this.OneOf(q => q.Uf, "uf", BrazilianStates.Codes);
}

/// <summary>
/// A streamed export: validators first (ETag, Last-Modified, 304), then the body as it is produced, never whole in memory.
/// Not kept in the in-process cache (it is large); shared caches may keep it a minute and revalidate with the ETag.
/// </summary>
public sealed class ExportAnswer(string etag, DateTimeOffset lastModified, string fileName, string contentType, Func<Stream, CancellationToken, Task> write) : IResult
{
    public string ETag => etag;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.Headers.ETag = etag;
        response.GetTypedHeaders().LastModified = DateTimeOffset.FromUnixTimeSeconds(lastModified.ToUnixTimeSeconds());
        response.Headers.CacheControl = "public, max-age=60, stale-while-revalidate=300";
        response.Headers.Vary = "Accept-Encoding";
        if (HttpConditions.IsNotModified(httpContext.Request, etag, lastModified))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        if (HttpMethods.IsHead(httpContext.Request.Method))
        {
            return;
        }
        httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        if (contentType == OpenDataEndpoints.Zip && httpContext.Features.Get<IHttpBodyControlFeature>() is { } bodyControl)
        {
            bodyControl.AllowSynchronousIO = true; // ZipArchive still writes some headers synchronously, even through its async API
        }
        await write(response.Body, httpContext.RequestAborted);
    }
}

public static class OpenDataRegistration
{
    public static IServiceCollection AddOpenData(this IServiceCollection services)
    {
        services.AddSingleton<IValidator<NationalExportQuery>, NationalExportQueryValidator>();
        return services;
    }
}
