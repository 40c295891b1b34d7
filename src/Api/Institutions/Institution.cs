using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Paco.Api.Institutions;

public sealed class Institution
{
    public Guid Id { get; set; }
    public required string Slug { get; set; }
    public required string Name { get; set; }
    public required string Kind { get; set; }
    public string? IbgeCode { get; set; }
    public string? Uf { get; set; }
    public string? Municipality { get; set; }
    public string? Website { get; set; }

    /// <summary>JSON of <see cref="InstitutionDocument"/>.</summary>
    public required string Document { get; set; }

    public int Version { get; set; } = 1;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class InstitutionConfiguration : IEntityTypeConfiguration<Institution>
{
    public void Configure(EntityTypeBuilder<Institution> builder)
    {
        builder.ToTable("institutions");
        builder.HasKey(i => i.Id);
        builder.HasIndex(i => i.Slug).IsUnique();
        builder.Property(i => i.IbgeCode).HasColumnType("char(7)");
        builder.Property(i => i.Uf).HasColumnType("char(2)");
        builder.Property(i => i.Document).HasColumnType("jsonb");
    }
}
