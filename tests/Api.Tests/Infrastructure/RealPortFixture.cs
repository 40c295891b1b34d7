namespace Paco.Api.Tests;

/// <summary>
/// A fixture whose app also listens on a real loopback TCP port (the built Api.dll as its own process, on the
/// fixture's database): for clients that cannot use the in-memory test server, such as a browser. The in-memory
/// app (<see cref="ApiFixture.Factory"/>, <see cref="ApiFixture.Content"/>) shares the database, so content and keys
/// made through it are seen by the process too.
/// </summary>
public abstract class RealPortFixture : ApiFixture
{
    protected ApiProcess Server { get; private set; } = null!;

    /// <summary>The process's address, e.g. http://127.0.0.1:41234/.</summary>
    protected Uri BaseAddress => Server.BaseAddress;

    [OneTimeSetUp]
    public async Task StartServerAsync() => Server = await ApiProcess.StartAsync(ConnectionString);

    [OneTimeTearDown]
    public async Task StopServerAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}
