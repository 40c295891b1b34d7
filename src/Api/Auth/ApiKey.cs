using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Paco.Api.Auth;

/// <summary>An API key: only its SHA-256 is stored; the prefix identifies it in lists and logs.</summary>
public sealed class ApiKey
{
    public Guid Id { get; set; }
    public required string Prefix { get; set; }
    public required byte[] SecretHash { get; set; }
    public required string Name { get; set; }
    public required string Role { get; set; }

    /// <summary>The one institution the key may act on; null for every institution.</summary>
    public Guid? InstitutionId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.ToTable("api_keys");
        builder.HasKey(k => k.Id);
        builder.HasIndex(k => k.Prefix).IsUnique();
    }
}

public static class Roles
{
    public const string Editor = "editor";
    public const string Publisher = "publisher";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Editor, Publisher, Admin];

    /// <summary>Each role can do everything the roles before it can.</summary>
    public static int Rank(string? role) => role switch
    {
        Editor => 1,
        Publisher => 2,
        Admin => 3,
        _ => 0,
    };
}
