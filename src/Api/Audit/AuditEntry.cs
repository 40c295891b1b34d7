using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Paco.Api.Audit;

/// <summary>One line of the audit log: who did what to which resource, when, with which key. Never changed (the database refuses).</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public Guid? InstitutionId { get; set; }
    public DateTimeOffset At { get; set; }
    public Guid? KeyId { get; set; }
    public required string Actor { get; set; }
    public required string Action { get; set; }
    public string? ResourceType { get; set; }
    public Guid? ResourceId { get; set; }
    public int? Revision { get; set; }

    /// <summary>JSON with what else matters for the action (a note, a reason, a scheduled time).</summary>
    public string? Detail { get; set; }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("audit_log");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).UseIdentityAlwaysColumn();
        builder.Property(a => a.Detail).HasColumnType("jsonb");
    }
}
