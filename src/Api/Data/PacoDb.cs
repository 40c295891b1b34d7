using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Paco.Api.Institutions;
using Paco.Api.LegalBases;
using Paco.Api.Organs;
using Paco.Api.Revisions;

namespace Paco.Api.Data;

public sealed class PacoDb(DbContextOptions<PacoDb> options) : DbContext(options)
{
    private readonly List<Action> _afterCommit = [];

    public DbSet<Institution> Institutions => Set<Institution>();
    public DbSet<Resource> Resources => Set<Resource>();
    public DbSet<Revision> Revisions => Set<Revision>();
    public DbSet<Publication> Publications => Set<Publication>();
    public DbSet<OrganRow> Organs => Set<OrganRow>();
    public DbSet<LegalBasisRow> LegalBases => Set<LegalBasisRow>();
    public DbSet<CitationRow> Citations => Set<CitationRow>();
    public DbSet<Auth.ApiKey> ApiKeys => Set<Auth.ApiKey>();
    public DbSet<Audit.AuditEntry> AuditLog => Set<Audit.AuditEntry>();
    public DbSet<ScheduledPublication> ScheduledPublications => Set<ScheduledPublication>();

    /// <summary>
    /// Runs <paramref name="action"/> once the current transaction commits (and never if it rolls back): what must
    /// only happen to committed data, such as dropping cached answers, happens there and nowhere else.
    /// </summary>
    public void AfterCommit(Action action) => _afterCommit.Add(action);

    internal void TransactionEnded(bool committed)
    {
        var actions = _afterCommit.ToArray();
        _afterCommit.Clear();
        if (committed)
        {
            foreach (var action in actions)
            {
                action();
            }
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // The schema lives in Data/Migrations/*.sql; this only maps it (snake_case columns).
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(PacoDb).Assembly);
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(ToSnakeCase(property.Name));
            }
        }
    }

    private static string ToSnakeCase(string name) =>
        string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}

/// <summary>Delivers <see cref="PacoDb.AfterCommit"/>: commit runs the actions, rollback (or a new transaction) discards them.</summary>
internal sealed class AfterCommitInterceptor : DbTransactionInterceptor
{
    public override InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        Started(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData,
        InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        Started(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private static void Started(DbContext? context)
    {
        if (context is PacoDb db)
        {
            db.TransactionEnded(committed: false);
            // A failed statement aborts the whole transaction anyway (the caller never retries inside it), so the
            // SAVEPOINT/RELEASE pair EF wraps around every SaveChanges would be two round trips for nothing.
            db.Database.AutoSavepointsEnabled = false;
        }
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) =>
        (eventData.Context as PacoDb)?.TransactionEnded(committed: true);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        (eventData.Context as PacoDb)?.TransactionEnded(committed: true);
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) =>
        (eventData.Context as PacoDb)?.TransactionEnded(committed: false);

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        (eventData.Context as PacoDb)?.TransactionEnded(committed: false);
        return Task.CompletedTask;
    }
}

/// <summary>
/// Drops the values of a command's parameters once it has run (they are on the wire by then). Npgsql keeps the statements
/// of a connection's last command, with their parameters, twice over: in the command it caches for reuse on each
/// connection object (EF keeps one inside each pooled context, and the pool keeps up to 1024 contexts) and in the reader
/// each physical connection reuses. So every idle context and connection held the values of its last write: after 200
/// writes of 1 MiB documents at once, 116 document strings of 2 MiB each, for as long as the process lived (bench/MEMORY.md).
/// </summary>
internal sealed class ReleasedParameterValuesInterceptor : DbCommandInterceptor
{
    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result) =>
        Released(command, result);

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result,
        CancellationToken cancellationToken = default) => ValueTask.FromResult(Released(command, result));

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result) => Released(command, result);

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result,
        CancellationToken cancellationToken = default) => ValueTask.FromResult(Released(command, result));

    public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result) => Released(command, result);

    public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result,
        CancellationToken cancellationToken = default) => ValueTask.FromResult(Released(command, result));

    public override void CommandFailed(DbCommand command, CommandErrorEventData eventData) => Released(command, 0);

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Released(command, 0);
        return Task.CompletedTask;
    }

    private static T Released<T>(DbCommand command, T result)
    {
        foreach (DbParameter parameter in command.Parameters)
        {
            if (parameter.Direction == System.Data.ParameterDirection.Input)
            {
                parameter.Value = null;
            }
        }
        return result;
    }
}
