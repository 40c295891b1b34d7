using System.Text;
using System.Text.RegularExpressions;

namespace Paco.Api.Search;

/// <summary>
/// What a search box sends, made into PostgreSQL full-text queries. The words go to <c>websearch_to_tsquery</c> (quotes
/// for phrases, <c>or</c>, <c>-</c> to exclude), except a last word still being typed (no space after it, outside quotes,
/// not negated): that one is a prefix, so "iluminaç" already finds "iluminação". Both pass through the same dictionary
/// (unaccent, Portuguese stems); the prefix's stem is then expanded into the indexed words that begin with it
/// (<see cref="PrefixQuery"/>).
/// </summary>
public static partial class SearchText
{
    /// <summary>Matches are marked in the snippet with these (ts_headline's StartSel/StopSel), then made into &lt;mark&gt;.</summary>
    public const char StartMark = '\u27E6';
    public const char StopMark = '\u27E7';

    /// <summary>A prefix this short matches too much to mean anything.</summary>
    private const int MinimumPrefix = 2;

    [GeneratedRegex(@"(?<![\p{L}\p{N}\-""])([\p{L}\p{N}]+)$")]
    private static partial Regex LastWord();

    /// <summary>At most this many indexed words stand for a prefix; a prefix that begins more is matched as a prefix.</summary>
    public const int MaxPrefixExpansion = 64;

    /// <param name="Words">For websearch_to_tsquery.</param>
    /// <param name="Prefix">The last word, still being typed (letters and digits only), or empty.</param>
    public readonly record struct Parsed(string Words, string Prefix);

    public static Parsed Parse(string q)
    {
        var text = q.Trim();
        if (q.Length > 0 && char.IsWhiteSpace(q[^1]) || text.Count(c => c == '"') % 2 == 1)
        {
            return new(text, ""); // the last word is finished, or a phrase is still open
        }
        var last = LastWord().Match(text);
        if (!last.Success || last.Value.Length < MinimumPrefix || last.Value.Equals("or", StringComparison.OrdinalIgnoreCase))
        {
            return new(text, "");
        }
        return new(text[..last.Index], last.Value);
    }

    /// <summary>Indexed words shorter than a typed stem are offered for it from this length on (shorter ones match too much).</summary>
    public const int MinimumShorterStem = 4;

    /// <summary>
    /// The tsquery (in its text form, already stemmed) that the prefix <paramref name="stem"/> stands for: the indexed
    /// words that begin with it, or-ed ('civil' | 'civic'), which the GIN index intersects with the other words as it
    /// goes; a prefix match ('civ':*) only when more than <see cref="MaxPrefixExpansion"/> words begin with it, or none.
    /// Then the indexed words <paramref name="shorter"/> the stem begins with, the stems of the words it may be typing.
    /// </summary>
    public static string PrefixQuery(string stem, IReadOnlyList<string> words, IReadOnlyList<string>? shorter = null)
    {
        var beginning = words.Count is 0 or > MaxPrefixExpansion ? Quoted(stem) + ":*" : string.Join(" | ", words.Select(Quoted));
        return shorter is null or { Count: 0 } ? beginning : string.Join(" | ", shorter.Select(Quoted).Prepend(beginning));
    }

    /// <summary>Two tsqueries as text, both to match (what tsquery's &amp;&amp; makes of them); either may be empty.</summary>
    public static string And(string left, string right) =>
        left.Length == 0 ? right : right.Length == 0 ? left : $"( {left} ) & ( {right} )";

    // A tsquery lexeme in quotes: quotes doubled and backslashes escaped, as tsquery's own parser reads them.
    private static string Quoted(string lexeme) => "'" + lexeme.Replace("\\", "\\\\").Replace("'", "''") + "'";

    /// <summary>A headline from ts_headline, HTML-escaped, with the marks made into &lt;mark&gt; elements.</summary>
    public static string SnippetHtml(string headline)
    {
        var html = new StringBuilder(headline.Length + 32);
        foreach (var c in headline)
        {
            html.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                StartMark => "<mark>",
                StopMark => "</mark>",
                _ => c.ToString(),
            });
        }
        return html.ToString();
    }
}
