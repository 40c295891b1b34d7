using Microsoft.EntityFrameworkCore;
using Paco.Api.Data;

namespace Paco.Api.Revisions;

/// <summary>
/// Stored renderings are the exact bytes served. When the code's rendering changes (<see cref="CurrentFormat"/>),
/// bytes rendered before would keep answering in the old shape until something re-rendered them; so the start-up
/// re-renders every institution once, each in its own transaction (with its lock, as a publish would), and then
/// records the new format. Instances starting together do it once: the format row is locked while it runs.
/// </summary>
public sealed class StoredRenderings(IServiceScopeFactory scopes, ILogger<StoredRenderings> logger)
{
    /// <summary>1: the first format. 2: resources and list items carry links.self (issue 8).</summary>
    public const int CurrentFormat = 2;

    public async Task UpgradeAsync(CancellationToken cancellationToken)
    {
        await using var formatScope = scopes.CreateAsyncScope();
        var db = formatScope.ServiceProvider.GetRequiredService<PacoDb>();
        await using var format = await db.Database.BeginTransactionAsync(cancellationToken);
        var stored = await db.Database.SqlQuery<int>($"select format as \"Value\" from render_format for update").SingleAsync(cancellationToken);
        if (stored >= CurrentFormat)
        {
            return;
        }
        var institutions = await db.Institutions.Select(i => i.Id).ToListAsync(cancellationToken);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        foreach (var id in institutions)
        {
            // The format row's transaction stays open on its own connection; each institution commits on its own.
            await using var scope = scopes.CreateAsyncScope();
            var renderDb = scope.ServiceProvider.GetRequiredService<PacoDb>();
            var store = scope.ServiceProvider.GetRequiredService<ContentStore>();
            await using var transaction = await renderDb.Database.BeginTransactionAsync(cancellationToken);
            await store.RenderInstitutionAsync(await store.LockInstitutionAsync(id, cancellationToken), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        await db.Database.ExecuteSqlAsync($"update render_format set format = {CurrentFormat}", cancellationToken);
        await format.CommitAsync(cancellationToken);
        logger.LogInformation("Stored renderings brought from format {From} to {To}: {Institutions} institutions in {Ms} ms",
            stored, CurrentFormat, institutions.Count, watch.ElapsedMilliseconds);
    }
}
