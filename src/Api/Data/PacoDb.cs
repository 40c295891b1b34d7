using Microsoft.EntityFrameworkCore;
using Paco.Api.Institutions;
using Paco.Api.LegalBases;
using Paco.Api.Organs;
using Paco.Api.Revisions;

namespace Paco.Api.Data;

public sealed class PacoDb(DbContextOptions<PacoDb> options) : DbContext(options)
{
    public DbSet<Institution> Institutions => Set<Institution>();
    public DbSet<Resource> Resources => Set<Resource>();
    public DbSet<Revision> Revisions => Set<Revision>();
    public DbSet<Publication> Publications => Set<Publication>();
    public DbSet<OrganRow> Organs => Set<OrganRow>();
    public DbSet<LegalBasisRow> LegalBases => Set<LegalBasisRow>();
    public DbSet<CitationRow> Citations => Set<CitationRow>();
    public DbSet<Auth.ApiKey> ApiKeys => Set<Auth.ApiKey>();
    public DbSet<Audit.AuditEntry> AuditLog => Set<Audit.AuditEntry>();
    public DbSet<ScheduledPublication> ScheduledPublications => Set<ScheduledPublication>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // The schema lives in Data/Migrations/*.sql; this only maps it (snake_case columns).
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(PacoDb).Assembly);
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(ToSnakeCase(property.Name));
            }
        }
    }

    private static string ToSnakeCase(string name) =>
        string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
