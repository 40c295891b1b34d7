using Paco.Api.Common;

namespace Paco.Api.Search;

/// <summary>
/// search_entries is partitioned by state (migration 0014): one partition per state, named after it, and
/// search_entries_elsewhere for institutions without one. One institution's search names its partition, so its kept
/// plan reads that table alone instead of being checked against all 28 at each execution.
/// </summary>
public static class SearchPartitions
{
    public const string Elsewhere = "search_entries_elsewhere";

    public static string Of(string? uf) => uf is null
        ? Elsewhere
        : BrazilianStates.IsCode(uf) ? "search_entries_" + uf.ToLowerInvariant() : throw new ArgumentException($"'{uf}' is not a state code.", nameof(uf));
}
