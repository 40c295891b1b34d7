using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Paco.Api.Tests.Editorial;

/// <summary>
/// The first start of the app on the embedded default (no connection string), each test on a PostgreSQL cluster of its
/// own in a temporary folder: only a development start hands out an admin key, and only to the data folder's owner.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // file modes
public sealed class FirstAdminKeyTests
{
    private string _root = "";
    private string DataDirectory => Path.Combine(_root, "postgres");

    [SetUp]
    public void CreateFolder() => // not CreateTempSubdirectory: its mode 0700 would keep the postgres user out
        _root = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "paco-first-key-" + Guid.NewGuid().ToString("N")[..8])).FullName;

    [TearDown]
    public void DeleteFolder()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
    }

    private PacoFactory EmbeddedApp(string environment) => new("", new Dictionary<string, string?>
    {
        ["environment"] = environment,
        ["Postgres:DataDirectory"] = DataDirectory,
    });

    [Test]
    public async Task A_production_start_on_the_embedded_database_creates_no_admin_key()
    {
        await using var factory = EmbeddedApp("Production");
        using var client = factory.CreateClient();
        using var ready = await client.GetAsync("/health/ready");
        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the app started on its embedded database");

        Assert.That(File.Exists(Path.Combine(DataDirectory, "dev-admin-key")), Is.False, "no key file in the data folder");
        Assert.That(File.Exists(Path.Combine(_root, "dev-admin-key")), Is.False, "no key file beside it");
        await using var keys = factory.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("select count(*) from api_keys");
        Assert.That(await keys.ExecuteScalarAsync(), Is.EqualTo(0L), "the first admin key comes from 'keys create'");
    }

    [Test]
    public async Task A_development_start_saves_a_working_admin_key_in_the_data_folder_readable_by_its_owner_only()
    {
        await using var factory = EmbeddedApp("Development");
        using var client = factory.CreateClient();
        var file = Path.Combine(DataDirectory, "dev-admin-key");

        Assert.That(File.Exists(file), Is.True, "saved inside the data folder");
        Assert.That(File.Exists(Path.Combine(_root, "dev-admin-key")), Is.False, "not beside it");
        Assert.That(File.GetUnixFileMode(file), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite), "mode 0600");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/keys");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", (await File.ReadAllTextAsync(file)).Trim());
        using var keys = await client.SendAsync(request);
        Assert.That(keys.StatusCode, Is.EqualTo(HttpStatusCode.OK), "an admin key of every institution");
        Assert.That(await keys.Content.ReadAsStringAsync(), Does.Contain("development admin"));
    }
}
