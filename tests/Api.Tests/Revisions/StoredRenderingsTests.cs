using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Paco.Api.Revisions;

namespace Paco.Api.Tests.Revisions;

/// <summary>Renderings stored in an older format are brought to the current one at start-up, once.</summary>
public sealed class StoredRenderingsTests : ApiFixture
{
    private const string Organ = "/api/v1/institutions/amostra/organs/secretaria-de-trabalho-e-assistencia-social";

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    [Test]
    public async Task A_rendering_stored_in_an_older_format_is_rendered_again_with_the_current_shape()
    {
        // As a database written before links.self existed: the stored bytes lack it, and the format row says 1.
        await ExecuteAsync("""
            update resources set published_json = (published_json::jsonb - 'links')::text, published_etag = '"rendered-before"' where published_json is not null;
            update render_format set format = 1;
            """);
        await Factory.Services.GetRequiredService<StoredRenderings>().UpgradeAsync(CancellationToken.None);

        using var unchecked_ = Factory.CreateDefaultClient();
        var organ = JsonNode.Parse(await unchecked_.GetStringAsync(Organ))!;
        Assert.That(organ["links"]?["self"]?.GetValue<string>(), Does.EndWith("/api/v1/institutions/amostra/organs/secretaria-de-trabalho-e-assistencia-social"));
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var format = new NpgsqlCommand("select format from render_format", connection);
        Assert.That(await format.ExecuteScalarAsync(), Is.EqualTo(StoredRenderings.CurrentFormat));
    }

    [Test]
    public async Task Nothing_is_rendered_again_when_the_format_is_current()
    {
        await ExecuteAsync("update resources set rendered_at = '2000-01-01' where published_json is not null");
        await Factory.Services.GetRequiredService<StoredRenderings>().UpgradeAsync(CancellationToken.None);

        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var renderedAgain = new NpgsqlCommand("select count(*) from resources where published_json is not null and rendered_at > '2000-01-01'", connection);
        Assert.That(await renderedAgain.ExecuteScalarAsync(), Is.EqualTo(0L));
    }
}
