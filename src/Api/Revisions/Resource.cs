using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Paco.Api.Revisions;

/// <summary>A versioned resource: its pointers to the newest and the published revision, and the published representation.</summary>
public sealed class Resource
{
    public Guid Id { get; set; }
    public Guid InstitutionId { get; set; }
    public required string Type { get; set; }
    /// <summary>Its address for editors: the draft's slug until it is first published, then the published one.</summary>
    public required string Slug { get; set; }

    /// <summary>
    /// Its address for the public: the slug it had when last published (null: never published). Drafts never move it,
    /// so a slug an editor is trying out never reaches an anonymous reader, and an archived resource keeps answering
    /// 410 at the address the public knew.
    /// </summary>
    public string? PublicSlug { get; set; }
    public int LatestRevision { get; set; }
    public int? PublishedRevision { get; set; }
    public DateTimeOffset? PublishedAt { get; set; }

    /// <summary>The exact bytes served for the published revision (UTF-8 JSON).</summary>
    public string? PublishedJson { get; set; }

    public string? PublishedEtag { get; set; }

    /// <summary>When <see cref="PublishedJson"/> last changed: the representation's Last-Modified.</summary>
    public DateTimeOffset? RenderedAt { get; set; }

    public DateTimeOffset? ArchivedAt { get; set; }
    public string? ArchivedReason { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class ResourceConfiguration : IEntityTypeConfiguration<Resource>
{
    public void Configure(EntityTypeBuilder<Resource> builder)
    {
        builder.ToTable("resources");
        builder.HasKey(r => r.Id);
        builder.HasIndex(r => new { r.InstitutionId, r.Type, r.Slug }).IsUnique();
    }
}

/// <summary>One immutable revision: never updated or deleted (the database refuses both).</summary>
public sealed class Revision
{
    public Guid ResourceId { get; set; }
    public int Number { get; set; }

    /// <summary>JSON of the resource's document type (its module's DocumentType).</summary>
    public required string Document { get; set; }

    public required string ContentHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string Author { get; set; }
    public string? Note { get; set; }
}

internal sealed class RevisionConfiguration : IEntityTypeConfiguration<Revision>
{
    public void Configure(EntityTypeBuilder<Revision> builder)
    {
        builder.ToTable("revisions");
        builder.HasKey(r => new { r.ResourceId, r.Number });
        builder.HasOne<Resource>().WithMany().HasForeignKey(r => r.ResourceId); // so a new resource is inserted before its first revision
        builder.Property(r => r.Document).HasColumnType("jsonb");
    }
}

public static class PublicationActions
{
    public const string Publish = "publish";
    public const string Unpublish = "unpublish";
    public const string Archive = "archive";
}

/// <summary>A change of what the public sees: publish, unpublish or archive.</summary>
public sealed class Publication
{
    public long Id { get; set; }
    public Guid ResourceId { get; set; }
    public int? RevisionNumber { get; set; }
    public required string Action { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Author { get; set; }
}

internal sealed class PublicationConfiguration : IEntityTypeConfiguration<Publication>
{
    public void Configure(EntityTypeBuilder<Publication> builder)
    {
        builder.ToTable("publications");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).UseIdentityAlwaysColumn();
        builder.HasOne<Resource>().WithMany().HasForeignKey(p => p.ResourceId);
    }
}
