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
    /// On the embedded default's first start (no key yet). In Development it creates an all-institutions admin key,
    /// prints it and writes it to <c>dev-admin-key</c> inside the data folder, readable by its owner only (0600), so a
    /// developer can try the editorial API at once. In any other environment it creates nothing and says how the first
    /// admin key is made (<c>keys create</c>): a server must never hand out an admin key by itself.
    /// </summary>
    public static async Task EnsureFirstAdminKeyAsync(IServiceProvider services, IHostEnvironment environment, string dataDirectory)
    {
        var file = Path.Combine(dataDirectory, DevelopmentKeyFile);
        await MoveOrReportEarlierKeyFileAsync(Path.Combine(Path.GetDirectoryName(dataDirectory)!, DevelopmentKeyFile), file, environment);
        await using (var exists = services.GetRequiredService<Npgsql.NpgsqlDataSource>().CreateCommand("select exists (select 1 from api_keys)"))
        {
            if (await exists.ExecuteScalarAsync() is true)
            {
                return;
            }
        }
        if (!environment.IsDevelopment())
        {
            Console.WriteLine($"No API key exists yet ({environment.EnvironmentName}: no development key is created). Create the first admin key with:");
            Console.WriteLine("  dotnet Api.dll keys create --institution '*' --role admin --name \"<who holds it>\"");
            return;
        }
        await using var scope = services.CreateAsyncScope();
        var created = await scope.ServiceProvider.GetRequiredService<ApiKeyService>()
            .CreateAsync("development admin", Roles.Admin, null, null, "embedded default", CancellationToken.None);
        await WriteOwnerOnlyAsync(file, created.Secret + "\n");
        Console.WriteLine($"Development admin key (all institutions), also saved in {file}:");
        Console.WriteLine(created.Secret);
    }

    /// <summary>Earlier versions saved the key beside the data folder, readable by anyone: moved in (Development) or reported.</summary>
    private static async Task MoveOrReportEarlierKeyFileAsync(string earlier, string file, IHostEnvironment environment)
    {
        if (!File.Exists(earlier))
        {
            return;
        }
        if (environment.IsDevelopment() && !File.Exists(file))
        {
            await WriteOwnerOnlyAsync(file, await File.ReadAllTextAsync(earlier));
            File.Delete(earlier);
            Console.WriteLine($"Moved the development admin key from {earlier} to {file} (readable by its owner only).");
            return;
        }
        Console.WriteLine($"Warning: {earlier} holds an admin key saved by an earlier version. Delete it, and revoke the key ('keys list', 'keys revoke <prefix>') unless you need it.");
    }

    /// <summary>Writes a new file created with mode 0600, so the secret is never readable by others, not even for a moment.</summary>
    private static async Task WriteOwnerOnlyAsync(string file, string text)
    {
        File.Delete(file); // a mode is only given to a file when it is created
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        await using var stream = new FileStream(file, options);
        await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(text));
    }
}
