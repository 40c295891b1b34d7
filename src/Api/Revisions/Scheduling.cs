using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Paco.Api.Revisions;

/// <summary>A publication that takes effect at a future time, kept in the database so restarts do not lose it.</summary>
public sealed class ScheduledPublication
{
    public long Id { get; set; }
    public Guid ResourceId { get; set; }
    public int RevisionNumber { get; set; }
    public DateTimeOffset DueAt { get; set; }
    public required string Author { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? DoneAt { get; set; }
    public DateTimeOffset? CancelledAt { get; set; }

    /// <summary>Why it could not be applied, when it was set aside.</summary>
    public string? LastError { get; set; }
}

internal sealed class ScheduledPublicationConfiguration : IEntityTypeConfiguration<ScheduledPublication>
{
    public void Configure(EntityTypeBuilder<ScheduledPublication> builder)
    {
        builder.ToTable("scheduled_publications");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).UseIdentityAlwaysColumn();
    }
}
