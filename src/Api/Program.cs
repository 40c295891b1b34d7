using Paco.Api.Auth;
using Paco.Api.Common;
using Paco.Api.Compliance;
using Paco.Api.Documentation;
using Paco.Api.Embed;
using Paco.Api.EditorialConsole;
using Paco.Api.Data;
using Paco.Api.Health;
using Paco.Api.Import;
using Paco.Api.Institutions;
using Paco.Api.LegalBases;
using Paco.Api.OpenData;
using Paco.Api.OpeningHours;
using Paco.Api.Organs;
using Paco.Api.Revisions;
using Paco.Api.Search;
using Paco.Api.Seeding;

var startup = System.Diagnostics.Stopwatch.StartNew();
// Content root = the app's folder, so appsettings.json is found whatever the working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
if (args is ["healthcheck", ..])
{
    return await HealthCheckCommand.RunAsync(args, builder.Configuration); // a container's healthcheck: no database, no server
}
var embedded = await builder.UseConfiguredOrEmbeddedDatabaseAsync();
var databaseReadyAt = startup.ElapsedMilliseconds;

builder.Services.AddPacoDatabase(builder.Configuration);
builder.Services.AddVersioningEngine();
builder.Services.AddInstitutions();
builder.Services.AddOrgans();
builder.Services.AddLegalBases();
builder.Services.AddSearch();
builder.Services.AddImports();
builder.Services.AddCompliance();
builder.Services.AddOpenData();
builder.Services.AddPacoAuth();
builder.Services.AddScoped<SeedImporter>();
builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = Problems.Customize);
builder.Services.AddSingleton<IProblemDetailsWriter, AnyAcceptProblemWriter>(); // after the framework's: it writes what that one declines
builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
builder.Services.ConfigureHttpJsonOptions(options => PacoJson.Configure(options.SerializerOptions));
builder.WebHost.ConfigureKestrel(options =>
{
    options.Limits.MaxRequestBodySize = Limits.SmallRequestBodyBytes; // document writes raise theirs (RequestBodies.LimitedBody)
    options.AddServerHeader = false; // no "Server: Kestrel"
});
// What the socket transport reads ahead of the app per connection (1 MiB by default): fifty 1 MiB uploads at once
// would otherwise fill some 50 MiB of Kestrel's pinned memory pool (bench/MEMORY.md).
builder.WebHost.UseSockets(options => options.MaxReadBufferSize = 64 * 1024);
builder.Services.AddPacoCors(builder.Configuration);
builder.Services.AddPublicUrls();    // the base of absolute links: Paco:PublicBaseUrl, else the request's
builder.Services.AddPacoRateLimits(builder.Configuration);
builder.Services.AddSingleton<BodiesInFlight>(); // how much of large bodies document writes hold at once
builder.Services.AddPacoHealthChecks();
builder.Services.AddPacoOpenApi();
builder.Services.AddPacoOpenApiExamples();
builder.Services.AddHttpConventionsInOpenApi(); // the note on HEAD, compression and unknown parameters in the description

var app = builder.Build();

if (args is ["migrate", ..] or ["keys", ..] or ["import", ..])
{
    var exitCode = 0;
    var applied = await app.Services.GetRequiredService<Migrator>().MigrateAsync();
    if (args[0] == "migrate")
    {
        Console.WriteLine(applied.Count == 0 ? "The schema is up to date." : $"Applied: {string.Join(", ", applied)}");
    }
    else
    {
        await app.PrepareDatabaseAsync(); // keys and imports name institutions, so the seed content must be there
        exitCode = args[0] == "keys" ? await KeyCommands.RunAsync(app.Services, args) : await ImportCommand.RunAsync(app.Services, args, Console.Out);
    }
    if (embedded is not null)
    {
        await embedded.StopAsync();
    }
    return exitCode;
}

var builtAt = startup.ElapsedMilliseconds;
await app.PrepareDatabaseAsync();
if (embedded is not null)
{
    await KeyCommands.EnsureFirstAdminKeyAsync(app.Services, app.Environment, embedded.DataDirectory); // a development key only in Development
    app.Lifetime.ApplicationStopped.Register(() => embedded.StopAsync().GetAwaiter().GetResult());
}
var preparedAt = startup.ElapsedMilliseconds;
// Build EF's model while the server starts, so the first request does not pay for it.
_ = Task.Run(() =>
{
    using var scope = app.Services.CreateScope();
    _ = scope.ServiceProvider.GetRequiredService<PacoDb>().Model;
});
app.Lifetime.ApplicationStarted.Register(() => app.Logger.LogInformation(
    "Started in {Total} ms: database {Database} ms, services {Services} ms, migrations and seeds {Prepare} ms, endpoints and server {Server} ms",
    startup.ElapsedMilliseconds, databaseReadyAt, builtAt - databaseReadyAt, preparedAt - builtAt, startup.ElapsedMilliseconds - preparedAt));

app.UseRoutingWithHead();        // routing, with HEAD answered by every GET route
app.UseSecurityHeaders();        // nosniff, no referrer, a Content-Security-Policy: on every answer
app.UseValidationLanguage();     // Accept-Language: pt-BR gives validation messages in Portuguese (English by default)
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseCors();
app.UseFailedAuthenticationLimit();                  // a key is checked here (429 after too many failures from an address)
app.UseAnonymousRateLimit(builder.Configuration);    // requests without a valid key, per address, cached ones included
app.UseKnownQueryParametersOnly(); // 400 for a query parameter the endpoint does not bind, cached answers included
app.UseCachedAnswers(); // a public answer already in the cache is served here, before authorization and the endpoint
app.UseAuthentication();
app.UseAuthorization();
app.UsePacoOpenApi();

app.MapInstitutions();           // list and read institutions
app.MapInstitutionEditing();     // create and replace institutions
app.MapOrgans();                 // organ lists, the tree, an organ's competences and values
app.MapLegalBases();             // legal-basis lists
app.MapSearch();                 // "quem faz o quê": full-text search, national and per institution
app.MapVersionedResources();     // for every resource type: the published document (?at=), its revisions, and editing
app.MapImports();                // a text in, a proposal out; a proposal in, drafts out
app.MapCompliance();             // the LAI/PNTP compliance report and the national ranking
app.MapOpenData();               // CSV, NDJSON, zip exports, the data dictionary, DCAT
app.MapSuggestedHours();         // structured opening hours proposed from an organ draft's free text
app.MapChangeFeedAndAudit();
app.MapKeys();
app.MapHealth();
app.MapProblemTypes();        // what each problem 'type' means
app.MapEditorialConsole();     // the editorial console's files at /console
app.MapEmbeddableComponents(); // the web components municipal sites embed, at /embed/v1/paco.js
#if BENCHMARK
Paco.Api.Benchmark.BenchmarkCeiling.MapBenchmarkCeiling(app); // and only with Benchmark:Endpoints=true
#endif

app.Run();
return 0;

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
