using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Paco.Api.Common;
using Paco.Api.Data;
using Paco.Api.Institutions;
using Paco.Api.LegalBases;
using Paco.Api.Organs;
using Paco.Api.Revisions;

namespace Paco.Api.Seeding;

/// <summary>
/// Loads the structured seed files (seeds/*.json) as revision 1 of each resource, published.
/// Idempotent: a file already applied with the same content is skipped, and a resource that already
/// exists is never touched, so an editor's later work survives any number of restarts.
/// Ids are derived from slugs, so the same seed gives the same ids on every machine.
/// </summary>
public sealed class SeedImporter(PacoDb db, ContentStore store, ResourceModules modules, Npgsql.NpgsqlDataSource dataSource, ILogger<SeedImporter> logger)
{
    public const string Author = "seed";
    private const long AdvisoryLockKey = 0x7061636F + 1;

    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "seeds");

    public async Task<int> ImportDirectoryAsync(string directory, CancellationToken cancellationToken = default)
    {
        if (await AllAppliedAsync(directory, cancellationToken))
        {
            return 0; // the usual start: nothing to do, and no need to wake EF up for it
        }
        var imported = 0;
        foreach (var file in Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            imported += await ImportFileAsync(file, cancellationToken) ? 1 : 0;
        }
        return imported;
    }

    private async Task<bool> AllAppliedAsync(string directory, CancellationToken cancellationToken)
    {
        var files = new Dictionary<string, string>();
        foreach (var file in Directory.GetFiles(directory, "*.json"))
        {
            files[Path.GetFileName(file)] = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(file, cancellationToken)));
        }
        await using var command = dataSource.CreateCommand("select file, sha256 from seed_runs");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var applied = new Dictionary<string, string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            applied[reader.GetString(0)] = reader.GetString(1);
        }
        return files.All(f => applied.TryGetValue(f.Key, out var sha) && sha == f.Value);
    }

    /// <returns>Whether the file was applied (false when it was already applied with the same content).</returns>
    public async Task<bool> ImportFileAsync(string path, CancellationToken cancellationToken = default)
    {
        var json = await File.ReadAllTextAsync(path, cancellationToken);
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
        var name = Path.GetFileName(path);

        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Database.ExecuteSqlAsync($"select pg_advisory_xact_lock({AdvisoryLockKey})", cancellationToken);
            var applied = await db.Database.SqlQuery<string>($"select sha256 as \"Value\" from seed_runs where file = {name}").ToListAsync(cancellationToken);
            if (applied.Count == 1 && applied[0] == sha)
            {
                return false;
            }

            var seed = PacoJson.Deserialize<SeedFile>(json);
            await ImportAsync(seed, cancellationToken);
            await db.Database.ExecuteSqlAsync(
                $"insert into seed_runs (file, sha256) values ({name}, {sha}) on conflict (file) do update set sha256 = excluded.sha256, applied_at = now()",
                cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            logger.LogInformation("Seed {File} applied", name);
            return true;
        });
    }

    private async Task ImportAsync(SeedFile seed, CancellationToken cancellationToken)
    {
        var s = seed.Institution;
        var institution = await db.Institutions.SingleOrDefaultAsync(i => i.Slug == s.Slug, cancellationToken);
        if (institution is null)
        {
            var now = DateTimeOffset.UtcNow;
            institution = new Institution
            {
                Id = SeedId(s.Slug, "institution", s.Slug),
                Slug = s.Slug,
                Name = s.Name,
                Kind = s.Kind,
                IbgeCode = s.IbgeCode,
                Uf = s.Uf,
                Municipality = s.Municipality,
                Website = s.Website,
                Document = Encoding.UTF8.GetString(PacoJson.SerializeToUtf8(
                    new InstitutionDocument(s.Statements ?? Statements.None, s.Values ?? [], s.Source?.ToProvenance()), typeof(InstitutionDocument))),
                CreatedAt = now,
                UpdatedAt = now,
            };
            db.Institutions.Add(institution);
            await db.SaveChangesAsync(cancellationToken);
        }

        var locked = await store.LockInstitutionAsync(institution.Id, cancellationToken);
        var organModule = modules.Get<OrganModule>();
        var legalBasisModule = modules.Get<LegalBasisModule>();
        var legalBasisIds = seed.LegalBases.ToDictionary(l => l.Slug, l => SeedId(s.Slug, LegalBasisModule.TypeName, l.Slug));
        var organIds = seed.Organs.ToDictionary(o => o.Slug, o => SeedId(s.Slug, OrganModule.TypeName, o.Slug));
        Guid LegalBasis(string slug) => legalBasisIds.TryGetValue(slug, out var id)
            ? id : throw new InvalidDataException($"Seed {s.Slug}: unknown legal basis '{slug}'.");
        Guid Organ(string slug) => organIds.TryGetValue(slug, out var id)
            ? id : throw new InvalidDataException($"Seed {s.Slug}: unknown organ '{slug}'.");

        var existing = await db.Resources.Where(r => r.InstitutionId == institution.Id).Select(r => r.Id).ToListAsync(cancellationToken);
        var created = new List<(Resource Resource, Revision Revision)>();

        foreach (var l in seed.LegalBases.Where(l => !existing.Contains(legalBasisIds[l.Slug])))
        {
            var document = new LegalBasisDocument(l.Slug, l.Kind, l.Number, l.Year, l.Date, l.Title, l.Summary, l.Url, l.Status, l.Source?.ToProvenance());
            created.Add(await store.CreateAsync(institution.Id, legalBasisModule, legalBasisIds[l.Slug], document, Author, "Imported from the seed content", cancellationToken));
        }

        // Parents before children, so the hierarchy constraint holds at every step.
        foreach (var o in Hierarchy.ParentsFirst(seed.Organs, o => o.Slug, o => o.Parent).Where(o => !existing.Contains(organIds[o.Slug])))
        {
            var organId = organIds[o.Slug];
            var document = new OrganDocument(
                o.Slug,
                o.Name,
                o.Acronym,
                o.Kind,
                o.Parent is null ? null : Organ(o.Parent),
                o.DisplayOrder,
                o.Statements ?? Statements.None,
                o.Values ?? [],
                o.Competences.Select(c => new Competence(
                    SeedId(s.Slug, "competence", $"{o.Slug}/{c.Key}"),
                    c.Label,
                    c.Text,
                    c.Group,
                    c.PerformedBy is null ? null : Organ(c.PerformedBy),
                    (c.Citations ?? []).Select(x => new Citation(LegalBasis(x.LegalBasis), x.Article, x.Paragraph, x.Item)).ToList())).ToList(),
                o.Head,
                o.Contact,
                (o.LegalBases ?? []).Select(l => new LegalBasisLink(LegalBasis(l.LegalBasis), l.Role)).ToList(),
                o.Effective,
                o.Source?.ToProvenance());
            created.Add(await store.CreateAsync(institution.Id, organModule, organId, document, Author, "Imported from the seed content", cancellationToken));
        }

        foreach (var (resource, revision) in created)
        {
            await store.PublishAsync(locked, resource, 1, Author, render: false, cancellationToken, revision);
        }
        if (created.Count > 0)
        {
            await store.RenderInstitutionAsync(locked, cancellationToken);
        }
        else
        {
            logger.LogInformation("Seed {Institution}: every resource already exists, nothing imported", s.Slug);
        }
    }

    /// <summary>A name-based UUID (RFC 9562 version 8 layout over SHA-256), the same for the same seed everywhere.</summary>
    public static Guid SeedId(string institution, string type, string slug)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"paco:{institution}:{type}:{slug}"));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}

// The seed file format (seeds/README.md). References are slugs; the importer turns them into ids.

public sealed record SeedFile(SeedInstitution Institution, IReadOnlyList<SeedLegalBasis> LegalBases, IReadOnlyList<SeedOrgan> Organs);

public sealed record SeedInstitution(
    string Slug, string Name, string Kind, string? IbgeCode, string? Uf, string? Municipality, string? Website,
    Statements? Statements, IReadOnlyList<string>? Values, SeedSource? Source);

public sealed record SeedLegalBasis(
    string Slug, string Kind, string? Number, int? Year, DateOnly? Date, string Title, string? Summary, string? Url, string Status, SeedSource? Source);

public sealed record SeedOrgan(
    string Slug, string Name, string? Acronym, string Kind, string? Parent, int DisplayOrder, Statements? Statements,
    IReadOnlyList<string>? Values, IReadOnlyList<SeedCompetence> Competences, Head? Head, Contact? Contact,
    IReadOnlyList<SeedLegalBasisLink>? LegalBases, EffectivePeriod? Effective, SeedSource? Source);

public sealed record SeedCompetence(string Key, string? Label, string Text, string Group, string? PerformedBy, IReadOnlyList<SeedCitation>? Citations);

public sealed record SeedCitation(string LegalBasis, string? Article, string? Paragraph, string? Item);

public sealed record SeedLegalBasisLink(string LegalBasis, string Role);

public sealed record SeedSource(string? File, IReadOnlyList<string>? Files, IReadOnlyList<string>? Notes, IReadOnlyList<Correction>? Corrections)
{
    public SourceProvenance ToProvenance() => new(
        (Files ?? []).Concat(File is null ? [] : [File]).Select(f => "seeds/" + f).ToList(),
        Notes ?? [],
        Corrections ?? []);
}
