using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Paco.Api.Common;
using Paco.Api.Data;

namespace Paco.Api.Tests;

/// <summary>
/// Base of the API tests: each fixture has its own database, copied from the seeded template, and its own
/// app and client. Tests that need content of their own create it with <see cref="Content"/>.
/// </summary>
public abstract class ApiFixture
{
    private string _database = "";

    protected PacoFactory Factory { get; private set; } = null!;
    protected HttpClient Client { get; private set; } = null!;
    protected TestContent Content { get; private set; } = null!;
    protected string ConnectionString { get; private set; } = "";

    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>Replaces the app's services for this fixture (a fake clock, say); by default nothing.</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    /// <summary>The name of this fixture's database, e.g. to tell its SQL from other fixtures' (<see cref="SqlCommandCounter"/>).</summary>
    protected string DatabaseName => _database;

    [OneTimeSetUp]
    public async Task CreateFixtureDatabaseAsync()
    {
        _database = await TestPostgres.CreateDatabaseFromTemplateAsync();
        ConnectionString = TestPostgres.ConnectionStringFor(_database);
        Factory = new PacoFactory(ConnectionString, Settings, ConfigureServices);
        Client = Factory.CreateClient();
        Content = new TestContent(Factory.Services);
    }

    [OneTimeTearDown]
    public async Task DropFixtureDatabaseAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await TestPostgres.DropDatabaseAsync(_database);
    }

    protected static async Task<JsonNode> ReadJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text) ?? throw new AssertionException($"Expected JSON, got: {text}");
    }

    protected async Task<JsonNode> GetJsonAsync(string url)
    {
        using var response = await Client.GetAsync(url);
        Assert.That(response.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await ReadJsonAsync(response);
    }

    /// <summary>Asserts an RFC 9457 answer with the status and a detail that mentions <paramref name="detailContains"/>.</summary>
    protected static async Task<JsonNode> AssertProblemAsync(HttpResponseMessage response, int status, string? detailContains = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(status), body);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), body);
        var problem = JsonNode.Parse(body)!;
        Assert.That(problem["status"]!.GetValue<int>(), Is.EqualTo(status));
        Assert.That(problem["title"]?.GetValue<string>(), Is.Not.Null.And.Not.Empty);
        if (detailContains is not null)
        {
            var text = problem["detail"]?.GetValue<string>() + " " + problem["errors"]?.ToJsonString(PacoJson.Options);
            Assert.That(text, Does.Contain(detailContains));
        }
        return problem;
    }

    protected async Task<T> QueryScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// Waits until the app's cache of published answers is trusted (its LISTEN connection is up, which happens in the
    /// background after start-up), so that what a test reads next is kept and served from it.
    /// </summary>
    protected async Task WaitUntilAnswersAreCachedAsync()
    {
        var cache = Factory.Services.GetRequiredService<Paco.Api.Revisions.PublishedCache>();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!cache.IsTrusted)
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(10))
            {
                Assert.Fail("The cache of published answers was not trusted within 10 s (its LISTEN connection did not come up).");
            }
            await Task.Delay(20);
        }
    }
}
