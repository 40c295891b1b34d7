using Microsoft.EntityFrameworkCore;
using Paco.Api.Audit;
using Paco.Api.Data;

namespace Paco.Api.Revisions;

/// <summary>
/// Applies scheduled publications when they fall due. They live in the database, so a restart loses none;
/// rows are claimed with FOR UPDATE SKIP LOCKED, so several instances never apply one twice.
/// </summary>
public sealed class ScheduledPublisher(IServiceScopeFactory scopes, IConfiguration configuration, ILogger<ScheduledPublisher> logger, TimeProvider clock) : BackgroundService
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
                logger.LogError(exception, "Scheduled publication failed; it will be retried");
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

    /// <returns>Whether one was applied (so the caller looks for the next at once).</returns>
    public async Task<bool> PublishNextDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PacoDb>();
        var store = scope.ServiceProvider.GetRequiredService<ContentStore>();
        var now = clock.GetUtcNow();

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var due = (await db.ScheduledPublications
            .FromSql($"""
                select * from scheduled_publications
                where done_at is null and cancelled_at is null and due_at <= {now}
                order by due_at, id limit 1 for update skip locked
                """)
            .AsTracking()
            .ToListAsync(cancellationToken)).SingleOrDefault();
        if (due is null)
        {
            return false;
        }
        var resource = (await db.Resources.FromSql($"select * from resources where id = {due.ResourceId} for update").AsTracking().ToListAsync(cancellationToken)).Single();
        await store.PublishAsync(resource, due.RevisionNumber, due.Author, render: true, cancellationToken);
        due.DoneAt = now;
        db.AuditLog.Add(new AuditEntry
        {
            InstitutionId = resource.InstitutionId,
            At = now,
            Actor = due.Author,
            Action = "publish",
            ResourceType = resource.Type,
            ResourceId = resource.Id,
            Revision = due.RevisionNumber,
            Detail = $$"""{"scheduled":{{due.Id}},"dueAt":"{{due.DueAt:O}}"}""",
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Published revision {Revision} of {Resource} as scheduled for {DueAt}", due.RevisionNumber, resource.Id, due.DueAt);
        return true;
    }
}
