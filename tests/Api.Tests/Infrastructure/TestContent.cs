using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Paco.Api.Common;
using Paco.Api.Data;
using Paco.Api.Institutions;
using Paco.Api.LegalBases;
using Paco.Api.Organs;
using Paco.Api.Revisions;

namespace Paco.Api.Tests;

/// <summary>Creates test content through the same content store the product writes with.</summary>
public sealed class TestContent(IServiceProvider services)
{
    public async Task<Guid> InstitutionAsync(string slug, string? uf = null, string? municipality = null, string kind = "prefeitura")
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PacoDb>();
        var institution = new Institution
        {
            Id = Guid.NewGuid(),
            Slug = slug,
            Name = $"Prefeitura de {slug}",
            Kind = kind,
            Uf = uf,
            Municipality = municipality,
            Document = Encoding.UTF8.GetString(PacoJson.SerializeToUtf8(new InstitutionDocument(Statements.None, ["Transparência"], null), typeof(InstitutionDocument))),
            CreatedAt = DateTimeOffset.UtcNow,
            UpdatedAt = DateTimeOffset.UtcNow,
        };
        db.Institutions.Add(institution);
        await db.SaveChangesAsync();
        return institution.Id;
    }

    /// <summary>Creates an API key and returns its secret.</summary>
    public async Task<string> KeyAsync(string role, string? institutionSlug, string? name = null, DateTimeOffset? expiresAt = null)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PacoDb>();
        Guid? institutionId = institutionSlug is null ? null : await db.Institutions.Where(i => i.Slug == institutionSlug).Select(i => (Guid?)i.Id).SingleAsync();
        var created = await scope.ServiceProvider.GetRequiredService<Auth.ApiKeyService>()
            .CreateAsync(name ?? $"{role} of {institutionSlug ?? "all"}", role, institutionId, expiresAt, "test", CancellationToken.None);
        return created.Secret;
    }

    public static OrganDocument Organ(string slug, string name, string kind = "secretaria", Guid? parentId = null, int displayOrder = 1,
        IReadOnlyList<Competence>? competences = null, IReadOnlyList<LegalBasisLink>? legalBases = null, IReadOnlyList<string>? values = null) =>
        new(slug, name, null, kind, parentId, displayOrder, new Statements(null, $"Missão de {name}", null, null), values ?? [],
            competences ?? [new Competence(Guid.NewGuid(), "I", $"Competência de {name};", CompetenceGroups.Competences, null, [])],
            null, null, legalBases ?? [], null, null);

    public static LegalBasisDocument Law(string slug, string number, int year, string title) =>
        new(slug, "lei", number, year, null, title, null, null, LegalBasisStatuses.InForce, null);

    /// <summary>Creates the resource with <paramref name="revisions"/> as revisions 1..n, and publishes <paramref name="publish"/> (if any).</summary>
    public async Task<Guid> ResourceAsync(Guid institutionId, string type, string slug, IReadOnlyList<object> revisions, int? publish = null)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PacoDb>();
        var store = scope.ServiceProvider.GetRequiredService<ContentStore>();
        var module = scope.ServiceProvider.GetRequiredService<ResourceModules>().For(type);
        await using var transaction = await db.Database.BeginTransactionAsync();
        var institution = await store.LockInstitutionAsync(institutionId, CancellationToken.None);
        var (resource, _) = await store.CreateAsync(institutionId, module, Guid.NewGuid(), revisions[0], "test", "first", CancellationToken.None);
        foreach (var document in revisions.Skip(1))
        {
            store.AppendRevision(resource, document, "test", "edit");
        }
        await db.SaveChangesAsync();
        if (publish is int number)
        {
            await store.PublishAsync(institution, resource, number, "test", render: true, CancellationToken.None);
        }
        await transaction.CommitAsync();
        return resource.Id;
    }

    public async Task AppendAsync(Guid resourceId, object document, bool publish)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PacoDb>();
        var store = scope.ServiceProvider.GetRequiredService<ContentStore>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var institutionId = await db.Resources.Where(r => r.Id == resourceId).Select(r => r.InstitutionId).SingleAsync();
        var institution = await store.LockInstitutionAsync(institutionId, CancellationToken.None);
        var resource = await db.Resources.AsTracking().SingleAsync(r => r.Id == resourceId);
        var revision = store.AppendRevision(resource, document, "test", "edit");
        await db.SaveChangesAsync();
        if (publish)
        {
            await store.PublishAsync(institution, resource, revision.Number, "test", render: true, CancellationToken.None, revision);
        }
        await transaction.CommitAsync();
    }
}
