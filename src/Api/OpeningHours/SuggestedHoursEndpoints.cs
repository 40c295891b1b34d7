using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Paco.Api.Auth;
using Paco.Api.Common;
using Paco.Api.Organs;
using Paco.Api.Revisions;

namespace Paco.Api.OpeningHours;

/// <summary>What became of one address's free-text hours.</summary>
public static class SuggestionStatuses
{
    /// <summary>The text was understood: the entries are proposed.</summary>
    public const string Suggested = "suggested";

    /// <summary>The text says something the parser cannot read with certainty: nothing is proposed; the editor fills the hours in.</summary>
    public const string NotUnderstood = "notUnderstood";

    /// <summary>The address already has structured hours: they are left as they are.</summary>
    public const string Structured = "structured";

    /// <summary>The address has no free text to read.</summary>
    public const string NoText = "noText";

    public static readonly IReadOnlyList<string> All = [Suggested, NotUnderstood, Structured, NoText];
}

/// <param name="Index">Position of the address in contact.addresses (0-based).</param>
/// <param name="OpeningHoursSpecification">The proposed entries (status suggested), or the ones it has (structured); null otherwise.</param>
public sealed record AddressHoursSuggestion(
    int Index,
    string? OpeningHours,
    [property: ClosedSet(typeof(SuggestionStatuses))] string Status,
    IReadOnlyList<OpeningHoursSpecification>? OpeningHoursSpecification);

/// <summary>The RFC 7396 merge patch that accepts every suggestion: contact.addresses whole (merge patches replace lists), the free text kept.</summary>
public sealed record SuggestedHoursPatch(SuggestedContactPatch Contact);

public sealed record SuggestedContactPatch(IReadOnlyList<Address> Addresses);

/// <param name="Revision">The draft revision read; the answer's ETag is that draft's, to send as If-Match with the patch.</param>
/// <param name="Patch">Null when there is nothing to propose.</param>
public sealed record SuggestedHours(Guid Id, string Slug, int Revision, IReadOnlyList<AddressHoursSuggestion> Addresses, SuggestedHoursPatch? Patch);

/// <summary>
/// Structured hours proposed from an organ draft's free text (<see cref="OpeningHoursText"/>): read only, never written. The
/// editor accepts by sending <see cref="SuggestedHours.Patch"/> as a PATCH with the answer's ETag as If-Match, so nothing
/// changes behind anyone's back and a draft changed meanwhile answers 412.
/// </summary>
public static class SuggestedHoursEndpoints
{
    public static IEndpointRouteBuilder MapSuggestedHours(this IEndpointRouteBuilder app)
    {
        var organs = app.ServiceProvider.GetRequiredService<ResourceModules>().Get<OrganModule>();
        app.MapGet($"/api/v1/institutions/{{institution}}/{organs.Kind.Path}/{{{organs.Kind.RouteParameter}}}/draft/suggested-hours", GetSuggestedHours)
            .WithTags("Editorial")
            .WithMetadata(organs)
            .WithValidation()
            .RequireRoleInInstitution(Authorization.EditorPolicy)
            .AnswersWithETag()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("SuggestOrganOpeningHours")
            .WithSummary("Structured opening hours proposed from the free text of the organ draft's addresses, and the merge patch that accepts them")
            .WithDescription("Editors and above. For each address of the draft's contact: its free-text openingHours read into schema.org "
                + "openingHoursSpecification entries when the whole text is understood ('suggested'), or nothing ('notUnderstood': a text such as "
                + "\"horário comercial\" or times without days is never guessed); addresses with structured hours ('structured') or without text "
                + "('noText') are left alone. Nothing is written: 'patch' is an RFC 7396 merge patch to send as PATCH …/organs/{organ} "
                + "(application/merge-patch+json) with this answer's ETag (the draft's) as If-Match.");
        return app;
    }

    public static async Task<Results<Ok<SuggestedHours>, ProblemHttpResult>> GetSuggestedHours(string institution, [AsParameters] EditorialServices services)
    {
        var draft = await EditorialEndpoints.GetDraft<OrganDocument>(institution, services); // sets the draft's ETag on the answer
        if (draft.Result is not Ok<DraftResponse<OrganDocument>> { Value: { } found })
        {
            return (ProblemHttpResult)draft.Result;
        }
        return TypedResults.Ok(Suggest(found.Id, found.Slug, found.Revision, found.Document.Contact?.Addresses ?? []));
    }

    public static SuggestedHours Suggest(Guid id, string slug, int revision, IReadOnlyList<Address> addresses)
    {
        var suggestions = addresses.Select((address, index) =>
        {
            if (address.OpeningHoursSpecification is { Count: > 0 } structured)
            {
                return new AddressHoursSuggestion(index, address.OpeningHours, SuggestionStatuses.Structured, structured);
            }
            if (string.IsNullOrWhiteSpace(address.OpeningHours))
            {
                return new AddressHoursSuggestion(index, address.OpeningHours, SuggestionStatuses.NoText, null);
            }
            return OpeningHoursText.Parse(address.OpeningHours) is { } parsed
                ? new AddressHoursSuggestion(index, address.OpeningHours, SuggestionStatuses.Suggested, parsed)
                : new AddressHoursSuggestion(index, address.OpeningHours, SuggestionStatuses.NotUnderstood, null);
        }).ToList();
        var patch = suggestions.Any(s => s.Status == SuggestionStatuses.Suggested)
            ? new SuggestedHoursPatch(new SuggestedContactPatch([.. addresses.Zip(suggestions, (address, suggestion) =>
                suggestion.Status == SuggestionStatuses.Suggested ? address with { OpeningHoursSpecification = suggestion.OpeningHoursSpecification } : address)]))
            : null;
        return new SuggestedHours(id, slug, revision, suggestions, patch);
    }
}
