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
        builder.HasOne<Institutions.Institution>().WithMany().HasForeignKey(a => a.InstitutionId); // inserted after a new institution
    }
}

/// <summary>The one way an audit line is written: added to the caller's unit of work, so it commits with the change it records.</summary>
public static class AuditLog
{
    public static void Record(this Data.PacoDb db, DateTimeOffset at, Guid? institutionId, string actor, Guid? keyId, string action,
        string? resourceType = null, Guid? resourceId = null, int? revision = null, object? detail = null) =>
        db.AuditLog.Add(new AuditEntry
        {
            InstitutionId = institutionId,
            At = at,
            KeyId = keyId,
            Actor = actor,
            Action = action,
            ResourceType = resourceType,
            ResourceId = resourceId,
            Revision = revision,
            Detail = detail is null ? null : System.Text.Json.JsonSerializer.Serialize(detail, Common.PacoJson.Options),
        });

    public static void Record(this Data.PacoDb db, DateTimeOffset at, Auth.KeyGrant grant, Guid? institutionId, string action,
        string? resourceType = null, Guid? resourceId = null, int? revision = null, object? detail = null) =>
        db.Record(at, institutionId, grant.Name, grant.KeyId, action, resourceType, resourceId, revision, detail);
}
