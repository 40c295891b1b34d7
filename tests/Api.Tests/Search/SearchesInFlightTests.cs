using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Paco.Api.Search;

namespace Paco.Api.Tests.Search;

/// <summary>Searches take turns at the database (<see cref="SearchesInFlight"/>); answers already kept never wait.</summary>
public sealed class SearchesInFlightTests : ApiFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        [SearchesInFlight.ConcurrencySetting] = "1",
        [SearchesInFlight.QueueLimitSetting] = "1",
    };

    [Test]
    public async Task A_search_waits_its_turn_is_refused_503_when_the_queue_is_full_and_a_kept_answer_never_waits()
    {
        await WaitUntilAnswersAreCachedAsync(); // an answer read before the cache is trusted is not kept
        using var kept = await Client.GetAsync("/api/v1/institutions/amostra/search?q=saude");
        Assert.That(kept.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var searches = Factory.Services.GetRequiredService<SearchesInFlight>();
        var turn = await searches.EnterAsync(CancellationToken.None); // the one search the database works on now
        Assert.That(turn.IsAcquired);
        var waiting = Client.GetAsync("/api/v1/institutions/amostra/search?q=educacao");
        await Task.Delay(300);
        Assert.That(waiting.IsCompleted, Is.False, "it waits for the turn");

        using var refused = await Client.GetAsync("/api/v1/institutions/amostra/search?q=cultura");
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(refused.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(refused.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(1)));
        var problem = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("Retry in a moment"));

        using var again = await Client.GetAsync("/api/v1/institutions/amostra/search?q=saude");
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the kept answer is served while every turn is taken");

        turn.Dispose();
        using var served = await waiting;
        Assert.That(served.StatusCode, Is.EqualTo(HttpStatusCode.OK), "served once its turn came");
        using var after = await Client.GetAsync("/api/v1/institutions/amostra/search?q=cultura");
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
