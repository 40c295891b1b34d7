using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Paco.Api.LegalBases;

/// <summary>
/// A legal basis cited by a published organ (competence null: the organ itself) or by one of its competences. Written
/// when the organ is published, with its slug and name, so a legal basis shows who cites it without reading organs.
/// </summary>
public sealed class CitationRow
{
    public long Id { get; set; }
    public Guid OrganId { get; set; }
    public required string OrganSlug { get; set; }
    public required string OrganName { get; set; }
    public Guid LegalBasisId { get; set; }
    public Guid? CompetenceId { get; set; }
    public string? CompetenceLabel { get; set; }
    public string? CompetenceGroup { get; set; }
    public string? Article { get; set; }
    public string? Paragraph { get; set; }
    public string? Item { get; set; }
    public string? Role { get; set; }
}

internal sealed class CitationRowConfiguration : IEntityTypeConfiguration<CitationRow>
{
    public void Configure(EntityTypeBuilder<CitationRow> builder)
    {
        builder.ToTable("citations");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).UseIdentityAlwaysColumn();
    }
}
