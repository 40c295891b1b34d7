using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Paco.Api.Data;

namespace Paco.Api.Auth;

/// <summary>The key a caller sends, and what it grants.</summary>
public sealed record KeyGrant(Guid KeyId, string Name, string Role, Guid? InstitutionId, string? InstitutionSlug);

/// <summary>A key just created: the only moment its secret exists outside the caller.</summary>
public sealed record CreatedKey(ApiKey Key, string Secret);

public sealed class ApiKeyService(PacoDb db, TimeProvider clock)
{
    private const string Scheme = "paco";

    /// <summary>Creates a key: "paco_&lt;prefix&gt;_&lt;secret&gt;", 10 public characters and 256 random bits.</summary>
    public async Task<CreatedKey> CreateAsync(string name, string role, Guid? institutionId, DateTimeOffset? expiresAt, string createdBy, CancellationToken cancellationToken)
    {
        var prefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));
        var secret = $"{Scheme}_{prefix}_{Base64Url(RandomNumberGenerator.GetBytes(32))}";
        var key = new ApiKey
        {
            Id = Guid.CreateVersion7(),
            Prefix = prefix,
            SecretHash = Hash(secret),
            Name = name,
            Role = role,
            InstitutionId = institutionId,
            CreatedAt = clock.GetUtcNow(),
            CreatedBy = createdBy,
            ExpiresAt = expiresAt,
        };
        db.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedKey(key, secret);
    }

    /// <summary>The grant of a presented key, or null when it is unknown, revoked, expired or malformed.</summary>
    public async Task<KeyGrant?> AuthenticateAsync(string presented, CancellationToken cancellationToken)
    {
        // "paco_" + 10 prefix characters + "_" + secret; the secret is base64url and may itself contain '_'.
        const int prefixStart = 5, prefixLength = 10;
        if (presented.Length <= prefixStart + prefixLength + 1 || !presented.StartsWith(Scheme + "_", StringComparison.Ordinal)
            || presented[prefixStart + prefixLength] != '_')
        {
            return null;
        }
        var prefix = presented.Substring(prefixStart, prefixLength);
        var now = clock.GetUtcNow();
        var found = await db.Set<ApiKey>().AsNoTracking()
            .Where(k => k.Prefix == prefix && k.RevokedAt == null && (k.ExpiresAt == null || k.ExpiresAt > now))
            .Select(k => new
            {
                k.Id, k.SecretHash, k.Name, k.Role, k.InstitutionId, k.LastUsedAt,
                Slug = db.Institutions.Where(i => i.Id == k.InstitutionId).Select(i => i.Slug).FirstOrDefault(),
            })
            .SingleOrDefaultAsync(cancellationToken);
        if (found is null || !CryptographicOperations.FixedTimeEquals(found.SecretHash, Hash(presented)))
        {
            return null;
        }
        if (found.LastUsedAt is null || found.LastUsedAt < now.AddMinutes(-1))
        {
            // At most one write a minute per key: enough to see which keys are in use.
            await db.Database.ExecuteSqlAsync($"update api_keys set last_used_at = {now} where id = {found.Id}", cancellationToken);
        }
        return new KeyGrant(found.Id, found.Name, found.Role, found.InstitutionId, found.Slug);
    }

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
