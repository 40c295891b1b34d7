using Paco.Api.Common;
using Paco.Api.Data;
using Paco.Api.Health;
using Paco.Api.Institutions;
using Paco.Api.LegalBases;
using Paco.Api.Organs;

var builder = WebApplication.CreateBuilder(args);
var embedded = await builder.UseConfiguredOrEmbeddedDatabaseAsync();

builder.Services.AddPacoDatabase(builder.Configuration);
builder.Services.AddPacoValidators();
builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = Problems.Customize);
builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
builder.Services.ConfigureHttpJsonOptions(options => PacoJson.Configure(options.SerializerOptions));
builder.Services.AddPacoCors(builder.Configuration);
builder.Services.AddPacoHealthChecks();
builder.Services.AddPacoOpenApi();

var app = builder.Build();

if (args is ["migrate", ..])
{
    var applied = await app.Services.GetRequiredService<Migrator>().MigrateAsync();
    Console.WriteLine(applied.Count == 0 ? "The schema is up to date." : $"Applied: {string.Join(", ", applied)}");
    if (embedded is not null)
    {
        await embedded.StopAsync();
    }
    return;
}

await app.PrepareDatabaseAsync();
if (embedded is not null)
{
    app.Lifetime.ApplicationStopped.Register(() => embedded.StopAsync().GetAwaiter().GetResult());
}

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseCors();
app.UsePacoOpenApi();

app.MapInstitutions();
app.MapOrgans();
app.MapLegalBases();
app.MapHealth();

app.Run();

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
