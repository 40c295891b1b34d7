using Microsoft.EntityFrameworkCore;
using Paco.Api.Common;
using Paco.Api.Data;

namespace Paco.Api.Auth;

/// <summary>
/// dotnet run --project src/Api -- keys create --institution &lt;slug|*&gt; --role editor --name "..." [--expires 2027-01-31]
/// dotnet run --project src/Api -- keys list
/// dotnet run --project src/Api -- keys revoke &lt;prefix|id&gt;
/// </summary>
public static class KeyCommands
{
    public const string DevelopmentKeyFile = "dev-admin-key";

    public static async Task<int> RunAsync(IServiceProvider services, string[] args)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PacoDb>();
        var keys = scope.ServiceProvider.GetRequiredService<ApiKeyService>();
        string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

        switch (args.ElementAtOrDefault(1))
        {
            case "create":
                var name = Option("--name");
                var role = Option("--role") ?? Roles.Editor;
                var institution = Option("--institution");
                if (string.IsNullOrWhiteSpace(name) || institution is null || !Roles.All.Contains(role))
                {
                    Console.Error.WriteLine("usage: keys create --institution <slug|*> --role <editor|publisher|admin> --name \"...\" [--expires yyyy-mm-dd]");
                    return 2;
                }
                Guid? institutionId = null;
                if (institution != "*")
                {
                    institutionId = await db.InstitutionIdAsync(institution, CancellationToken.None);
                    if (institutionId is null)
                    {
                        Console.Error.WriteLine(InstitutionLookups.UnknownInstitution(institution));
                        return 2;
                    }
                }
                DateTimeOffset? expires = Option("--expires") is { } e ? DateTimeOffset.Parse(e, System.Globalization.CultureInfo.InvariantCulture) : null;
                var created = await keys.CreateAsync(name, role, institutionId, expires, "command line", CancellationToken.None);
                Console.WriteLine($"Created {role} key '{name}' ({created.Key.Prefix}) for {(institutionId is null ? "every institution" : institution)}.");
                Console.WriteLine("Its secret is shown once; keep it safe:");
                Console.WriteLine(created.Secret);
                return 0;
            case "list":
                var all = await db.ApiKeys.AsNoTracking().OrderBy(k => k.CreatedAt)
                    .Select(k => new { k.Prefix, k.Name, k.Role, k.RevokedAt, k.ExpiresAt, Institution = db.Institutions.Where(i => i.Id == k.InstitutionId).Select(i => i.Slug).FirstOrDefault() })
                    .ToListAsync();
                foreach (var k in all)
                {
                    var state = k.RevokedAt is not null ? "revoked" : k.ExpiresAt < DateTimeOffset.UtcNow ? "expired" : "active";
                    Console.WriteLine($"{k.Prefix}  {k.Role,-9}  {k.Institution ?? "*",-20}  {state,-7}  {k.Name}");
                }
                return 0;
            case "revoke" when args.ElementAtOrDefault(2) is { } which:
                var key = await db.ApiKeys.AsTracking().SingleOrDefaultAsync(k => k.Prefix == which || k.Id.ToString() == which);
                if (key is null)
                {
                    Console.Error.WriteLine($"No key '{which}'.");
                    return 2;
                }
                key.RevokedAt ??= DateTimeOffset.UtcNow;
                await db.SaveChangesAsync();
                Console.WriteLine($"Revoked {key.Prefix} ({key.Name}).");
                return 0;
            default:
                Console.Error.WriteLine("usage: keys create|list|revoke …");
                return 2;
        }
    }

    /// <summary>
    /// On the embedded default's first start (no key yet), creates an all-institutions admin key, prints it and
    /// writes it to .data/dev-admin-key so a developer can try the editorial API at once.
    /// </summary>
    public static async Task EnsureDevelopmentKeyAsync(IServiceProvider services, string dataDirectory)
    {
        await using (var exists = services.GetRequiredService<Npgsql.NpgsqlDataSource>().CreateCommand("select exists (select 1 from api_keys)"))
        {
            if (await exists.ExecuteScalarAsync() is true)
            {
                return;
            }
        }
        await using var scope = services.CreateAsyncScope();
        var created = await scope.ServiceProvider.GetRequiredService<ApiKeyService>()
            .CreateAsync("development admin", Roles.Admin, null, null, "embedded default", CancellationToken.None);
        var file = Path.Combine(dataDirectory, DevelopmentKeyFile);
        await File.WriteAllTextAsync(file, created.Secret + "\n");
        Console.WriteLine($"Development admin key (all institutions), also saved in {file}:");
        Console.WriteLine(created.Secret);
    }
}
