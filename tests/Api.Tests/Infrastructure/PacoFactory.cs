using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Paco.Api.Tests;

/// <summary>
/// The real app on a given database; only configuration is overridden, and, where a fixture needs it,
/// services such as the clock (<paramref name="services"/> runs after the app's own registrations).
/// </summary>
public sealed class PacoFactory(string connectionString, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    : WebApplicationFactory<Program>
{
    /// <summary>A client whose every answer is checked against the committed OpenAPI document (<see cref="Contract.ContractCheckingHandler"/>).</summary>
    public new HttpClient CreateClient() => CreateDefaultClient(new Contract.ContractCheckingHandler(Contract.OpenApiContract.Committed));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Default", connectionString);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
        if (services is not null)
        {
            builder.ConfigureTestServices(services);
        }
    }
}
