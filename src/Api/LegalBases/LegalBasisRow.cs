using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Paco.Api.LegalBases;

/// <summary>Columns of the published legal basis kept in step with its document.</summary>
public sealed class LegalBasisRow
{
    public Guid ResourceId { get; set; }
    public Guid InstitutionId { get; set; }
    public required string Slug { get; set; }
    public required string Kind { get; set; }
    public string? Number { get; set; }
    public int? Year { get; set; }
    public required string Title { get; set; }
    public required string Status { get; set; }
}

internal sealed class LegalBasisRowConfiguration : IEntityTypeConfiguration<LegalBasisRow>
{
    public void Configure(EntityTypeBuilder<LegalBasisRow> builder)
    {
        builder.ToTable("legal_bases");
        builder.HasKey(l => l.ResourceId);
        builder.HasIndex(l => new { l.InstitutionId, l.Slug }).IsUnique();
    }
}
