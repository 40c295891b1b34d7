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

    /// <summary>Where an institution of <paramref name="uf"/> has its entries: as the LIST partitioning routes them, anything not a state to the default.</summary>
    public static string Of(string? uf) => uf is not null && BrazilianStates.Codes.Contains(uf, StringComparer.Ordinal) ? "search_entries_" + uf.ToLowerInvariant() : Elsewhere;
}
