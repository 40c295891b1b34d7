using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Paco.Api.Audit;
using Paco.Api.Common;
using Paco.Api.Data;
using Paco.Api.LegalBases;
using Paco.Api.Organs;
using Paco.Api.Revisions;

namespace Paco.Api.Import;

/// <summary>Who applies a proposal: a key (its name and id) or the command line (a name, no key).</summary>
public sealed record ImportActor(string Name, Guid? KeyId);

/// <summary>What applying a proposal came to: the drafts written, or why nothing was.</summary>
public sealed record ApplyOutcome(ImportResult? Result, string? NotFound, IReadOnlyList<string>? Conflicts, Dictionary<string, string[]>? Invalid);

/// <summary>
/// Proposals are made against what the institution has, and applied through the versioning engine's own paths: the
/// content store creates resources and appends revisions, every document is validated by its module (shape,
/// references, slug) as any write is, each draft gets its audit line, and everything happens in one transaction under
/// the institution's lock: all drafts or none.
/// </summary>
public sealed class ImportService(PacoDb db, ContentStore store, ResourceModules modules, TimeProvider clock)
{
    public const string AuditAction = "import";

    private sealed record ContentRow(Guid Id, string Type, string Slug, int Revision, string ContentHash, string Document, string Author, DateTimeOffset CreatedAt);

    private sealed record InstitutionRow(Guid Id, string Slug, string Name, string Kind, string? Uf, string? Municipality);

    /// <summary>The institution's organs and legal bases (their drafts), to match a text against; null when there is no such institution.</summary>
    public async Task<ExistingContent?> LoadExistingAsync(string institution, CancellationToken cancellationToken)
    {
        var found = (await db.Database.SqlQuery<InstitutionRow>($"""
            select id as "Id", slug as "Slug", name as "Name", kind as "Kind", trim(uf) as "Uf", municipality as "Municipality" from institutions where slug = {institution}
            """).ToListAsync(cancellationToken)).SingleOrDefault();
        return found is null ? null : await LoadExistingAsync(found, cancellationToken);
    }

    private async Task<ExistingContent> LoadExistingAsync(InstitutionRow institution, CancellationToken cancellationToken)
    {
        var rows = await LoadRowsAsync(institution.Id, cancellationToken);
        var organModule = modules.Get<OrganModule>();
        var legalBasisModule = modules.Get<LegalBasisModule>();
        var organs = rows.Where(r => r.Type == OrganModule.TypeName).Select(r =>
        {
            var document = (OrganDocument)organModule.Read(r.Document);
            return new ExistingOrgan(r.Id, r.Slug, document.Name, r.Revision, r.ContentHash, document.Competences);
        }).ToList();
        var legalBases = rows.Where(r => r.Type == LegalBasisModule.TypeName).Select(r =>
        {
            var document = (LegalBasisDocument)legalBasisModule.Read(r.Document);
            return new ExistingLegalBasis(r.Id, r.Slug, document.Kind, document.Number, document.Year, r.Revision, r.ContentHash);
        }).ToList();
        return new ExistingContent(institution.Slug, institution.Name, institution.Kind, institution.Uf, institution.Municipality, organs, legalBases);
    }

    private Task<List<ContentRow>> LoadRowsAsync(Guid institutionId, CancellationToken cancellationToken) =>
        db.Database.SqlQuery<ContentRow>($"""
            select r.id as "Id", r.type as "Type", v.document ->> 'slug' as "Slug", r.latest_revision as "Revision", v.content_hash as "ContentHash",
                   v.document::text as "Document", v.author as "Author", v.created_at as "CreatedAt"
            from resources r join revisions v on v.resource_id = r.id and v.number = r.latest_revision
            where r.institution_id = {institutionId} and r.type in ({OrganModule.TypeName}, {LegalBasisModule.TypeName})
            """).ToListAsync(cancellationToken);

    /// <summary>Creates every draft of <paramref name="proposal"/>, or none: 404, 409 (what changed since the proposal) and 400 (what is invalid) write nothing.</summary>
    public async Task<ApplyOutcome> ApplyAsync(string institution, ImportProposal proposal, ImportActor actor, string? note, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await store.LockInstitutionAsync(institution, cancellationToken) is not { } locked)
        {
            return new ApplyOutcome(null, InstitutionLookups.UnknownInstitution(institution), null, null);
        }
        // Read under the institution's lock, which every draft write takes first: nothing changes until this commits.
        var rows = await LoadRowsAsync(locked.Id, cancellationToken);
        var organRows = rows.Where(r => r.Type == OrganModule.TypeName).ToList();
        var legalBasisRows = rows.Where(r => r.Type == LegalBasisModule.TypeName).ToList();
        var organModule = modules.Get<OrganModule>();
        var legalBasisModule = modules.Get<LegalBasisModule>();

        var conflicts = Conflicts(proposal, organRows, legalBasisRows, organModule);
        if (conflicts.Count > 0)
        {
            return new ApplyOutcome(null, null, conflicts, null);
        }

        var legalBasisIds = legalBasisRows.ToDictionary(r => r.Slug, r => r.Id);
        var organIds = organRows.ToDictionary(r => r.Slug, r => r.Id);
        var newLegalBases = AllLegalBases(proposal).Where(l => l.Existing is null).ToList();
        foreach (var legalBasis in newLegalBases)
        {
            legalBasisIds[legalBasis.Slug] = Guid.CreateVersion7();
        }
        foreach (var organ in proposal.Organs)
        {
            organIds[organ.Slug] = organ.Existing?.Id ?? Guid.CreateVersion7();
        }
        var errors = new Dictionary<string, string[]>();
        var provenance = (string slug) => Provenance(proposal, actor, slug);
        var written = new List<(string Path, IResourceModule Module, Guid Id, object Document)>();
        var appliedLegalBases = new List<AppliedDraft>();
        var appliedOrgans = new List<AppliedDraft>();
        var now = clock.GetUtcNow();
        var detail = new { note, source = "sha256:" + proposal.Source.Sha256 };

        foreach (var (legalBasis, index) in newLegalBases.Select((l, i) => (l, i)))
        {
            var document = legalBasisModule.Prepare(new LegalBasisDocument(legalBasis.Slug, legalBasis.Kind, legalBasis.Number, legalBasis.Year, legalBasis.Date,
                legalBasis.Title, legalBasis.Summary, null, legalBasis.Status, new SourceProvenance([SourceFile(proposal)], provenance(legalBasis.Slug).Notes, [])));
            var id = legalBasisIds[legalBasis.Slug];
            db.Record(now, locked.Id, actor.Name, actor.KeyId, AuditAction, legalBasisModule.Kind.Type, id, 1, detail);
            var (resource, revision) = await store.CreateAsync(locked.Id, legalBasisModule, id, document, actor.Name, note, cancellationToken);
            written.Add((legalBasis == proposal.LegalBasis ? "legalBasis" : $"citedLegalBases[{proposal.CitedLegalBases.ToList().IndexOf(legalBasis)}]", legalBasisModule, id, document));
            appliedLegalBases.Add(new AppliedDraft(id, resource.Slug, revision.Number, true, $"{legalBasisModule.Kind.Collection(institution)}/{resource.Slug}/draft"));
        }

        foreach (var (organ, index) in Hierarchy.ParentsFirst(proposal.Organs.Select((o, i) => (o, i)).ToList(), x => x.o.Slug, x => x.o.Parent))
        {
            var path = $"organs[{index}]";
            Guid? Organ(string? slug, string field)
            {
                if (slug is null)
                {
                    return null;
                }
                if (organIds.TryGetValue(slug, out var id))
                {
                    return id;
                }
                errors[$"{path}.{field}"] = [$"'{slug}' is neither an organ of this proposal nor one of the institution's."];
                return null;
            }
            Guid LegalBasis(string slug, string field)
            {
                if (legalBasisIds.TryGetValue(slug, out var id))
                {
                    return id;
                }
                errors[$"{path}.{field}"] = [$"'{slug}' is neither a legal basis of this proposal nor one of the institution's."];
                return Guid.Empty;
            }
            var competences = organ.Competences.Select((c, i) => new Competence(c.Id ?? Guid.Empty, c.Label, c.Text, c.Group, Organ(c.PerformedBy, $"competences[{i}].performedBy"),
                c.Citations.Select((x, j) => new Citation(LegalBasis(x.LegalBasis, $"competences[{i}].citations[{j}].legalBasis"), x.Article, x.Paragraph, x.Item)).ToList())).ToList();
            var links = organ.LegalBases.Select((l, k) => new LegalBasisLink(LegalBasis(l.LegalBasis, $"legalBases[{k}].legalBasis"), l.Role)).ToList();
            var parent = Organ(organ.Parent, "parent");
            var source = provenance(organ.Slug);
            var id = organIds[organ.Slug];
            if (organ.Existing is null)
            {
                var document = (OrganDocument)organModule.Prepare(new OrganDocument(organ.Slug, organ.Name, organ.Acronym, organ.Kind, parent, organ.DisplayOrder,
                    organ.Statements, organ.Values, competences, null, null, links, null, source with { Corrections = organ.Corrections }));
                db.Record(now, locked.Id, actor.Name, actor.KeyId, AuditAction, organModule.Kind.Type, id, 1, detail);
                var (resource, revision) = await store.CreateAsync(locked.Id, organModule, id, document, actor.Name, note, cancellationToken);
                written.Add((path, organModule, id, document));
                appliedOrgans.Add(new AppliedDraft(id, resource.Slug, revision.Number, true, $"{organModule.Kind.Collection(institution)}/{resource.Slug}/draft"));
            }
            else
            {
                var draft = (await LockedDrafts.LoadAsync(db, locked.Id, organModule.Kind, id.ToString(), cancellationToken))!;
                var current = (OrganDocument)organModule.Read(draft.Latest.Document);
                var document = (OrganDocument)organModule.Prepare(Merge(current, organ, parent, competences, links, source with { Corrections = organ.Corrections }));
                var revision = store.AppendRevision(draft.Resource, document, actor.Name, note);
                db.Record(now, locked.Id, actor.Name, actor.KeyId, AuditAction, organModule.Kind.Type, id, revision.Number, detail);
                written.Add((path, organModule, id, document));
                appliedOrgans.Add(new AppliedDraft(id, draft.Resource.Slug, revision.Number, false, $"{organModule.Kind.Collection(institution)}/{draft.Resource.Slug}/draft"));
            }
        }
        await db.SaveChangesAsync(cancellationToken);

        // Validated once everything is written, so organs may refer to each other in any order (a competence performed by a child).
        foreach (var (path, module, id, document) in written)
        {
            foreach (var (field, messages) in await DocumentInput.ValidateAsync(db, module, locked.Id, id, document, cancellationToken))
            {
                errors[$"{path}.{ProposalPath(field)}"] = messages;
            }
        }
        if (errors.Count > 0)
        {
            return new ApplyOutcome(null, null, null, errors); // disposing the transaction rolls every draft back
        }
        await transaction.CommitAsync(cancellationToken);
        return new ApplyOutcome(new ImportResult(appliedLegalBases, appliedOrgans), null, null, null);
    }

    /// <summary>What changed since the proposal was made: organs edited or gone, organs and legal bases created with the same slug or name.</summary>
    private static List<string> Conflicts(ImportProposal proposal, List<ContentRow> organRows, List<ContentRow> legalBasisRows, OrganModule organModule)
    {
        var conflicts = new List<string>();
        foreach (var organ in proposal.Organs)
        {
            if (organ.Existing is { } then)
            {
                var now = organRows.FirstOrDefault(r => r.Id == then.Id);
                if (now is null)
                {
                    conflicts.Add($"Organ '{then.Slug}' ({then.Id}) no longer exists in this institution.");
                }
                else if (now.Revision != then.Revision || now.ContentHash != then.ContentHash)
                {
                    conflicts.Add($"Organ '{now.Slug}' changed since the proposal was made: it was at revision {then.Revision}, it is now at revision {now.Revision} " +
                        $"(by {now.Author}, {now.CreatedAt.ToString("u", CultureInfo.InvariantCulture)}).");
                }
                continue;
            }
            var key = OrganNames.Key(organ.Name);
            var same = organRows.FirstOrDefault(r => r.Slug == organ.Slug)
                ?? organRows.FirstOrDefault(r => OrganNames.Key(((OrganDocument)organModule.Read(r.Document)).Name) == key);
            if (same is not null)
            {
                conflicts.Add($"Organ '{organ.Slug}' is new in the proposal, but the institution now has the organ '{same.Slug}' with its slug or name (revision {same.Revision}, by {same.Author}).");
            }
        }
        foreach (var legalBasis in AllLegalBases(proposal))
        {
            if (legalBasis.Existing is { } then && legalBasisRows.All(r => r.Id != then.Id))
            {
                conflicts.Add($"Legal basis '{then.Slug}' ({then.Id}) no longer exists in this institution.");
            }
            else if (legalBasis.Existing is null && legalBasisRows.FirstOrDefault(r => r.Slug == legalBasis.Slug) is { } same)
            {
                conflicts.Add($"Legal basis '{legalBasis.Slug}' is new in the proposal, but the institution now has one with that slug (revision {same.Revision}, by {same.Author}).");
            }
        }
        return conflicts;
    }

    /// <summary>
    /// An existing organ's next draft: what the text says replaces what it is about (name, kind, the statements and values
    /// it gives, the competence groups it lists); what the text does not speak of (head, contact, other groups) stays.
    /// Competences keep their ids when their text matches.
    /// </summary>
    private static OrganDocument Merge(OrganDocument current, ProposedOrgan organ, Guid? parent, List<Competence> competences, List<LegalBasisLink> links, SourceProvenance source)
    {
        var groups = competences.Select(c => c.Group).ToHashSet();
        var kept = current.Competences.Where(c => !groups.Contains(c.Group)).ToList();
        var ids = current.Competences.Select(c => c.Id).ToHashSet();
        var matched = competences.Select(c =>
        {
            if (c.Id != Guid.Empty && ids.Contains(c.Id))
            {
                return c;
            }
            var same = current.Competences.FirstOrDefault(x => x.Group == c.Group && SameText(x.Text, c.Text));
            return c with { Id = same?.Id ?? Guid.Empty };
        }).ToList();
        var statements = new Statements(
            organ.Statements.About ?? current.Statements.About,
            organ.Statements.Mission ?? current.Statements.Mission,
            organ.Statements.Vision ?? current.Statements.Vision,
            organ.Statements.Purpose ?? current.Statements.Purpose);
        return current with
        {
            Name = organ.Name,
            Acronym = organ.Acronym ?? current.Acronym,
            Kind = organ.Kind,
            ParentId = parent ?? current.ParentId,
            Statements = statements,
            Values = organ.Values.Count > 0 ? organ.Values : current.Values,
            Competences = [.. kept, .. matched],
            LegalBases = [.. current.LegalBases, .. links.Where(l => !current.LegalBases.Any(x => x.LegalBasisId == l.LegalBasisId && x.Role == l.Role))],
            Source = source,
        };
    }

    public static bool SameText(string a, string b) =>
        OrganNames.Key(a.TrimEnd(';', '.', ',', ':')) == OrganNames.Key(b.TrimEnd(';', '.', ',', ':'));

    private static IEnumerable<ProposedLegalBasis> AllLegalBases(ImportProposal proposal) =>
        proposal.LegalBasis is null ? proposal.CitedLegalBases : [proposal.LegalBasis, .. proposal.CitedLegalBases];

    /// <summary>"parentId" → "parent", "competences[0].performedById" → "competences[0].performedBy": errors point at the proposal's fields.</summary>
    private static string ProposalPath(string documentPath) => documentPath
        .Replace("parentId", "parent", StringComparison.Ordinal)
        .Replace("performedById", "performedBy", StringComparison.Ordinal)
        .Replace("legalBasisId", "legalBasis", StringComparison.Ordinal);

    private static string SourceFile(ImportProposal proposal) => $"import:sha256:{proposal.Source.Sha256}";

    /// <summary>The provenance every imported draft records, as the seeds do: the source (by hash), when and by whom, and the spans its items came from.</summary>
    private static SourceProvenance Provenance(ImportProposal proposal, ImportActor actor, string slug)
    {
        var notes = new List<string>
        {
            $"Imported from a {proposal.Source.MediaType} text of {proposal.Source.Characters} characters (sha256 {proposal.Source.Sha256}) by {actor.Name}.",
        };
        if (proposal.Organs.FirstOrDefault(o => o.Slug == slug) is { } organ)
        {
            var spans = new List<string>();
            if (organ.Span is { } span)
            {
                spans.Add($"organ {span.Start}+{span.Length}");
            }
            spans.AddRange(organ.Competences.Where(c => c.Span is not null).Select((c, i) => $"{c.Group} {c.Label ?? (i + 1).ToString(CultureInfo.InvariantCulture)} {c.Span!.Start}+{c.Span.Length}"));
            if (spans.Count > 0)
            {
                notes.Add("Source spans (start+length, in characters): " + string.Join("; ", spans) + ".");
            }
            notes.AddRange(organ.Competences.Where(c => c.AmendedBy is not null).Select(c => $"Competence {c.Label ?? c.Text}: wording given by {c.AmendedBy}."));
        }
        else if (AllLegalBases(proposal).FirstOrDefault(l => l.Slug == slug)?.Span is { } span)
        {
            notes.Add($"Source span (start+length, in characters): {span.Start}+{span.Length}.");
        }
        return new SourceProvenance([SourceFile(proposal)], notes, []);
    }
}
