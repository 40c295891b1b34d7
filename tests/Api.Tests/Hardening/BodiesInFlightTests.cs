using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Paco.Api.Tests.Hardening;

/// <summary>A body written in two parts: the second only once <see cref="Finish"/> is called.</summary>
public sealed class HeldBackContent(byte[] body, int firstPart) : HttpContent
{
    private readonly TaskCompletionSource _firstPartRead = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _finish = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the server has taken the first part (the in-memory server's pipe lets a writer run only 64 KiB ahead).</summary>
    public Task FirstPartRead => _firstPartRead.Task;

    public void Finish() => _finish.TrySetResult();

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await stream.WriteAsync(body.AsMemory(0, firstPart));
        await stream.FlushAsync();
        _firstPartRead.TrySetResult();
        await _finish.Task;
        await stream.WriteAsync(body.AsMemory(firstPart));
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}

/// <summary>RequestBodies:BytesInFlight = 1 MiB and nothing may wait: one body of unknown length takes the whole budget.</summary>
public sealed class BodiesInFlightTests : ApiFixture
{
    private const string Organs = "/api/v1/institutions/amostra/organs";
    private string _editor = "";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RequestBodies:BytesInFlight"] = "1048576",
        ["RequestBodies:BytesQueued"] = "0",
    };

    [OneTimeSetUp]
    public async Task CreateKeyAsync() => _editor = await Content.KeyAsync("editor", "amostra", "in-flight editor");

    private async Task<HttpResponseMessage> CreateAsync(HttpClient client, HttpContent content)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Organs) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _editor);
        request.Headers.TransferEncodingChunked = content is HeldBackContent ? true : null;
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return await client.SendAsync(request);
    }

    [Test]
    public async Task A_write_that_finds_the_budget_taken_and_no_room_to_wait_is_answered_503_and_goes_through_once_it_is_free()
    {
        using var client = Factory.Server.CreateClient(); // straight to the server: the factory's client would buffer the held-back body
        var large = new HeldBackContent(RequestBodyLimitTests.OrganOfSize("em-voo-grande", 600 * 1024), 512 * 1024);
        var inFlight = CreateAsync(client, large);
        await large.FirstPartRead;

        using var refused = await CreateAsync(client, new ByteArrayContent(RequestBodyLimitTests.OrganOfSize("em-voo-pequeno", 2048)));
        large.Finish();
        using var first = await inFlight;
        using var retried = await CreateAsync(client, new ByteArrayContent(RequestBodyLimitTests.OrganOfSize("em-voo-pequeno", 2048)));

        await AssertProblemAsync(refused, 503, "Retry in a moment");
        Assert.That(refused.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(1)));
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created), await first.Content.ReadAsStringAsync());
        Assert.That(retried.StatusCode, Is.EqualTo(HttpStatusCode.Created), await retried.Content.ReadAsStringAsync());
    }
}

/// <summary>After 16 MiB of bodies, the memory they took is handed back RequestBodies:ReleaseAfter (65 s) after the last.</summary>
public sealed class LargeWritesReleaseTests : ApiFixture
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
    private readonly LogLines _log = new();
    private string _editor = "";

    protected override void ConfigureServices(IServiceCollection services) => services
        .AddSingleton<TimeProvider>(_clock)
        .AddSingleton<ILoggerProvider>(_log);

    [OneTimeSetUp]
    public async Task CreateKeyAsync() => _editor = await Content.KeyAsync("editor", "amostra", "release editor");

    [Test]
    public async Task Sixty_five_seconds_after_16_MiB_of_bodies_the_service_collects_once_and_says_so()
    {
        for (var write = 0; write < 16; write++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/institutions/amostra/organs")
            {
                Content = new ByteArrayContent(RequestBodyLimitTests.OrganOfSize($"grande-{write}", 1024 * 1024)),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _editor);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await Client.SendAsync(request);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), $"write {write}");
        }

        _clock.Advance(TimeSpan.FromSeconds(64));
        var before = _log.Matching("Large writes ended");
        _clock.Advance(TimeSpan.FromSeconds(1));
        var after = _log.Matching("Large writes ended");

        Assert.That(before, Is.Empty, "not before RequestBodies:ReleaseAfter");
        Assert.That(after, Has.Count.EqualTo(1));
        Assert.That(after[0], Does.Contain("16 MiB of bodies"));
    }

    private sealed class LogLines : ILoggerProvider, ILogger
    {
        private readonly List<string> _lines = [];

        public List<string> Matching(string text)
        {
            lock (_lines)
            {
                return _lines.Where(l => l.Contains(text, StringComparison.Ordinal)).ToList();
            }
        }

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_lines)
            {
                _lines.Add(formatter(state, exception));
            }
        }

        public void Dispose()
        {
        }
    }
}
