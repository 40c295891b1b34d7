using FluentValidation;
using Paco.Api.Common;

namespace Paco.Api.Revisions;

/// <summary>What editors see of a resource: its newest revision (the draft) and its publication state.</summary>
public sealed record DraftResponse<TDocument>(
    Guid Id,
    string Slug,
    int Revision,
    DateTimeOffset CreatedAt,
    string Author,
    string? Note,
    string ContentHash,
    EditorialState State,
    [property: System.Diagnostics.CodeAnalysis.NotNull] TDocument Document); // every revision has its document

/// <summary>Every resource of a type in an institution, as editors see it.</summary>
public sealed record DraftList<TDocument>(IReadOnlyList<DraftResponse<TDocument>> Items);

public sealed record EditorialState(
    int? PublishedRevision,
    DateTimeOffset? PublishedAt,
    DateTimeOffset? ArchivedAt,
    string? ArchivedReason,
    IReadOnlyList<ScheduledInfo> Scheduled);

public sealed record ScheduledInfo(long Id, int Revision, DateTimeOffset DueAt, string Author);

/// <summary>Publish the newest revision, or <see cref="Revision"/>; now, or at <see cref="At"/> (a scheduled publication).</summary>
public sealed record PublishRequest(int? Revision, DateTimeOffset? At);

public sealed record ArchiveRequest(string Reason);

public sealed class ArchiveRequestValidator : AbstractValidator<ArchiveRequest>
{
    public ArchiveRequestValidator() =>
        RuleFor(a => a.Reason).Must(r => !string.IsNullOrWhiteSpace(r) && r.Trim().Length <= 1000)
            .WithMessage("Say why it is archived (1 to 1000 characters): the public sees it.", "Diga por que é arquivado (de 1 a 1000 caracteres): o público vê o motivo.");
}

public sealed record RestoreRequest(int Revision);

/// <summary>A revision in the editors' history, with each time it was published.</summary>
public sealed record HistoryEntry(int Number, DateTimeOffset CreatedAt, string Author, string? Note, string ContentHash, bool Current, bool Latest, IReadOnlyList<HistoryEvent> Events);

public sealed record HistoryEvent(string Action, DateTimeOffset At, string Author);

public sealed record History(Guid Id, string Slug, int LatestRevision, int? PublishedRevision, IReadOnlyList<HistoryEntry> Revisions, IReadOnlyList<HistoryEvent> Unpublications);

public sealed record DiffResponse(Guid Id, int From, int To, IReadOnlyList<PatchOperation> Patch, IReadOnlyList<string> Summary);

/// <summary>The draft answer and its validator: one function, so a write's answer and a later GET …/draft carry the same ETag for the same state.</summary>
public static class Drafts
{
    public static (DraftResponse<TDocument> Response, string ETag) Of<TDocument>(Resource resource, Revision latest, IReadOnlyList<ScheduledInfo> scheduled)
    {
        var state = new EditorialState(resource.PublishedRevision, resource.PublishedAt, resource.ArchivedAt, resource.ArchivedReason, scheduled);
        var response = new DraftResponse<TDocument>(resource.Id, resource.Slug, latest.Number, latest.CreatedAt, latest.Author, latest.Note,
            latest.ContentHash, state, PacoJson.Deserialize<TDocument>(latest.Document));
        // The bytes cover the newest revision and the publication state: any change to either is a new ETag.
        return (response, ETags.OfJson(response, typeof(DraftResponse<TDocument>)));
    }

}
