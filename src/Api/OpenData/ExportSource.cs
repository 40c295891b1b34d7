using System.Runtime.CompilerServices;
using Npgsql;
using NpgsqlTypes;

namespace Paco.Api.OpenData;

/// <summary>Which published content an export shows: one institution or the country (optionally one state), now or at an instant.</summary>
public sealed record ExportScope(Guid? InstitutionId, string? Uf, DateTimeOffset? At);

/// <summary>What an export's validators come from: the last publication it can show, and the institutions' own last change.</summary>
public sealed record ExportState(long LastPublication, DateTimeOffset LastModified)
{
    /// <summary>
    /// A strong ETag: the export's bytes are a function of what was published up to <see cref="LastPublication"/> (every
    /// publish, unpublish and archive is a new publication), of the institutions' rows and of the request; computed without
    /// producing them, so a revalidation costs one aggregate query.
    /// </summary>
    public string ETag(string representation, ExportScope scope) =>
        Common.ETags.Of(System.Text.Encoding.UTF8.GetBytes(
            $"{DataDictionary.Version}|{representation}|{scope.InstitutionId}|{scope.Uf}|{scope.At?.ToUniversalTime():O}|{LastPublication}|{LastModified.ToUniversalTime():O}"));
}

/// <summary>
/// Reads published documents for the exports, streamed from one query (a server-side cursor would change nothing: Npgsql
/// reads rows as they arrive, so memory holds one row at a time). Now: the published pointers. At an instant: the last
/// publication of each resource up to it, as point-in-time reads do.
/// </summary>
public static class ExportSource
{
    private const string Now = """
        select i.slug, r.id, r.published_revision, r.published_at, v.document::text, v.content_hash
        from institutions i
        join resources r on r.institution_id = i.id and r.type = $1 and r.published_revision is not null and r.archived_at is null
        join revisions v on v.resource_id = r.id and v.number = r.published_revision
        where ($2::uuid is null or i.id = $2) and ($3::text is null or i.uf = $3)
        order by i.slug, r.slug
        """;

    private const string AtInstant = """
        select i.slug, r.id, p.revision_number, p.at, v.document::text, v.content_hash
        from institutions i
        join resources r on r.institution_id = i.id and r.type = $1
        join lateral (select action, revision_number, at from publications where resource_id = r.id and at <= $4 order by id desc limit 1) p on p.action = 'publish'
        join revisions v on v.resource_id = r.id and v.number = p.revision_number
        where ($2::uuid is null or i.id = $2) and ($3::text is null or i.uf = $3)
        order by i.slug, r.slug
        """;

    public static async IAsyncEnumerable<ExportedDocument> ReadAsync(NpgsqlDataSource dataSource, string type, ExportScope scope,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(scope.At is null ? Now : AtInstant);
        command.CommandTimeout = 0; // a national export takes as long as the client reads
        command.Parameters.Add(new NpgsqlParameter { Value = type, NpgsqlDbType = NpgsqlDbType.Text });
        Bind(command, scope, withAt: scope.At is not null);
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new ExportedDocument(reader.GetString(0), reader.GetGuid(1), reader.GetInt32(2), reader.GetFieldValue<DateTimeOffset>(3), reader.GetString(4), reader.GetString(5));
        }
    }

    public static async Task<ExportState> StateAsync(NpgsqlDataSource dataSource, ExportScope scope, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            select coalesce((select max(p.id) from publications p join resources r on r.id = p.resource_id join institutions i on i.id = r.institution_id
                             where ($1::uuid is null or i.id = $1) and ($2::text is null or i.uf = $2) and ($3::timestamptz is null or p.at <= $3)), 0),
                   greatest((select max(p.at) from publications p join resources r on r.id = p.resource_id join institutions i on i.id = r.institution_id
                             where ($1::uuid is null or i.id = $1) and ($2::text is null or i.uf = $2) and ($3::timestamptz is null or p.at <= $3)),
                            (select max(i.updated_at) from institutions i where ($1::uuid is null or i.id = $1) and ($2::text is null or i.uf = $2)),
                            'epoch'::timestamptz)
            """);
        Bind(command, scope, withAt: true);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new ExportState(reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1));
    }

    /// <summary>
    /// When anything national last changed: the last publication (publications are numbered as they happen) or the last change of an
    /// institution's row. Two index look-ups, where <see cref="StateAsync"/> over the whole country aggregates every publication.
    /// </summary>
    public static async Task<DateTimeOffset> NationalModifiedAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            select greatest((select at from publications order by id desc limit 1), (select max(updated_at) from institutions), 'epoch'::timestamptz)
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return reader.GetFieldValue<DateTimeOffset>(0);
    }

    private static void Bind(NpgsqlCommand command, ExportScope scope, bool withAt)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)scope.InstitutionId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)scope.Uf ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        if (withAt)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)scope.At?.ToUniversalTime() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        }
    }
}
