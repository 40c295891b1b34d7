using Microsoft.EntityFrameworkCore;
using Paco.Api.Audit;
using Paco.Api.Common;
using Paco.Api.Data;

namespace Paco.Api.Revisions;

/// <summary>
/// Applies scheduled publications when they fall due. They live in the database, so a restart loses none;
/// rows are claimed with FOR UPDATE SKIP LOCKED, so several instances never apply one twice.
/// </summary>
public sealed class ScheduledPublisher(IServiceScopeFactory scopes, IConfiguration configuration, ILogger<ScheduledPublisher> logger, TimeProvider clock,
    DatabaseOutage database, FailureLog failures) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = configuration.GetValue("Publishing:PollInterval", TimeSpan.FromSeconds(1));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await PublishNextDueAsync(stoppingToken))
                {
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                if (DatabaseOutage.IsConnectionFailure(exception, out var cause))
                {
                    database.ReportUnreachable(cause);
                }
                else
                {
                    failures.Report(logger, LogLevel.Error, "scheduled publication: " + exception.GetType().FullName,
                        "Scheduled publication failed; it will be retried", exception);
                }
            }
            try
            {
                await Task.Delay(interval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>A publication that cannot be applied is cancelled with its reason, so it never blocks those behind it.</summary>
    private async Task SetAsideAsync(long id, string reason, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PacoDb>();
        await db.ScheduledPublications.Where(s => s.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.CancelledAt, clock.GetUtcNow()).SetProperty(x => x.LastError, reason), cancellationToken);
        logger.LogWarning("Scheduled publication {Id} could not be applied and was set aside: {Reason}", id, reason);
    }

    /// <returns>Whether one was applied (so the caller looks for the next at once).</returns>
    public async Task<bool> PublishNextDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PacoDb>();
        var store = scope.ServiceProvider.GetRequiredService<ContentStore>();
        var now = clock.GetUtcNow();

        // Find the next due one without locking it, take its institution's lock (always first), then claim the row.
        var candidate = await db.ScheduledPublications.AsNoTracking()
            .Where(s => s.DoneAt == null && s.CancelledAt == null && s.DueAt <= now)
            .OrderBy(s => s.DueAt).ThenBy(s => s.Id)
            .Select(s => new { s.Id, InstitutionId = db.Resources.Where(r => r.Id == s.ResourceId).Select(r => r.InstitutionId).First() })
            .FirstOrDefaultAsync(cancellationToken);
        if (candidate is null)
        {
            return false;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var institution = await store.LockInstitutionAsync(candidate.InstitutionId, cancellationToken);
        var due = (await db.ScheduledPublications
            .FromSql($"select * from scheduled_publications where id = {candidate.Id} and done_at is null and cancelled_at is null for update skip locked")
            .AsTracking()
            .ToListAsync(cancellationToken)).SingleOrDefault();
        if (due is null)
        {
            return true; // another instance took it, or it was cancelled: look for the next
        }
        var resource = (await db.Resources.FromSql($"select * from resources where id = {due.ResourceId} for update").AsTracking().ToListAsync(cancellationToken)).Single();
        try
        {
            await store.PublishAsync(institution, resource, due.RevisionNumber, due.Author, render: true, cancellationToken);
        }
        catch (Exception exception) when (exception is ConflictException or Microsoft.EntityFrameworkCore.DbUpdateException or Npgsql.PostgresException)
        {
            await transaction.RollbackAsync(cancellationToken);
            await SetAsideAsync(due.Id, exception.Message, cancellationToken);
            return true;
        }
        due.DoneAt = now;
        db.Record(now, resource.InstitutionId, due.Author, keyId: null, "publish", resource.Type, resource.Id, due.RevisionNumber,
            new { scheduled = due.Id, dueAt = due.DueAt });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Published revision {Revision} of {Resource} as scheduled for {DueAt}", due.RevisionNumber, resource.Id, due.DueAt);
        return true;
    }
}
