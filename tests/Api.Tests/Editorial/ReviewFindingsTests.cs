using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Npgsql;

namespace Paco.Api.Tests.Editorial;

/// <summary>Found in review of the engine redesign: what a write waiting for the institution lock sees, links, and point-in-time validators.</summary>
public sealed class ReviewFindingsTests : ApiFixture
{
    private const string Institution = "revisao";
    private const string Organs = $"/api/v1/institutions/{Institution}/organs";
    private string _admin = "";

    [OneTimeSetUp]
    public async Task CreateInstitutionAsync()
    {
        await Content.InstitutionAsync(Institution);
        _admin = await Content.KeyAsync("admin", Institution);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, string? body = null, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _admin);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        return await Client.SendAsync(request);
    }

    private async Task<string> CreateAsync(string slug, string kind = "secretaria")
    {
        var body = EditorialTests.OrganBody(slug, $"Órgão {slug}", ("I", "x;"));
        body["kind"] = kind;
        using var created = await SendAsync(HttpMethod.Post, Organs, body.ToJsonString());
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        return created.Headers.ETag!.Tag;
    }

    [Test]
    public async Task A_publish_that_waited_for_an_institution_rename_renders_the_new_name()
    {
        var etag = await CreateAsync("espera");
        await using var renamer = new NpgsqlConnection(ConnectionString);
        await renamer.OpenAsync();
        await using var transaction = await renamer.BeginTransactionAsync();
        await using (var rename = new NpgsqlCommand(
            $"select pg_advisory_xact_lock(hashtextextended(id::text, 0)) from institutions where slug = '{Institution}'; " +
            $"update institutions set name = 'Prefeitura Renomeada' where slug = '{Institution}'", renamer, transaction))
        {
            await rename.ExecuteNonQueryAsync();
        }

        var publishing = SendAsync(HttpMethod.Post, $"{Organs}/espera/publish", "{}", etag);
        // Commit the rename only once the publish is waiting for the lock the rename holds.
        var waiting = false;
        for (var i = 0; i < 500 && !waiting; i++)
        {
            waiting = await QueryScalarAsync<long>("select count(*) from pg_locks where locktype = 'advisory' and not granted") > 0;
            if (!waiting)
            {
                await Task.Delay(10);
            }
        }
        Assert.That(waiting, Is.True, "the publish waits for the institution lock");
        await transaction.CommitAsync();
        using var published = await publishing;

        Assert.That(published.StatusCode, Is.EqualTo(HttpStatusCode.OK), await published.Content.ReadAsStringAsync());
        var organ = await GetJsonAsync($"{Organs}/espera");
        Assert.That(organ["institution"]!["name"]!.GetValue<string>(), Is.EqualTo("Prefeitura Renomeada"));
    }

    [Test]
    public async Task Paging_links_keep_a_filter_whatever_case_the_client_wrote_it_in()
    {
        foreach (var slug in new[] { "caixa-a", "caixa-b" })
        {
            using (await SendAsync(HttpMethod.Post, $"{Organs}/{slug}/publish", "{}", await CreateAsync(slug, "nucleo")))
            {
            }
        }

        using var response = await Client.GetAsync($"{Organs}?Kind=nucleo&pageSize=1");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Headers.GetValues("Link").Single(), Does.Contain("kind=nucleo"));
    }

    [Test]
    public async Task A_point_in_time_read_is_modified_when_the_names_it_shows_change()
    {
        using (await SendAsync(HttpMethod.Post, $"{Organs}/instante/publish", "{}", await CreateAsync("instante")))
        {
        }
        // Everything it shows happened yesterday (HTTP dates have one-second precision: today's rename is clearly later).
        await QueryScalarAsync<int>($"""
            with i as (update institutions set updated_at = now() - interval '1 day' where slug = '{Institution}' returning id),
                 r as (update resources set rendered_at = rendered_at - interval '1 day' where institution_id = (select id from i) returning id)
            update publications set at = at - interval '1 day' where resource_id in (select id from r) returning 1
            """);
        var at = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O"));
        using var first = await Client.GetAsync($"{Organs}/instante?at={at}");
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK), await first.Content.ReadAsStringAsync());
        var lastModified = first.Content.Headers.LastModified!.Value;

        using var institution = await Client.GetAsync($"/api/v1/institutions/{Institution}");
        var current = await ReadJsonAsync(institution);
        current["name"] = "Prefeitura Revista";
        foreach (var field in new[] { "id", "counts", "updatedAt", "source", "links" })
        {
            current.AsObject().Remove(field);
        }
        using (var renamed = await SendAsync(HttpMethod.Put, $"/api/v1/institutions/{Institution}", current.ToJsonString(), institution.Headers.ETag!.Tag))
        {
            Assert.That(renamed.StatusCode, Is.EqualTo(HttpStatusCode.OK), await renamed.Content.ReadAsStringAsync());
        }
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Organs}/instante?at={at}");
        request.Headers.IfModifiedSince = lastModified;
        using var revalidated = await Client.SendAsync(request);

        Assert.That(revalidated.StatusCode, Is.EqualTo(HttpStatusCode.OK), "it shows the institution's new name, so it was modified since");
        Assert.That((await ReadJsonAsync(revalidated))["institution"]!["name"]!.GetValue<string>(), Is.EqualTo("Prefeitura Revista"));
    }
}
