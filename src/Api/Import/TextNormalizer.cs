namespace Paco.Api.Import;

/// <summary>
/// The text an import reads, with where each of its characters came from in the source (so every item can name the
/// span of the source it came from, even when markup, entities or repeated spaces were dropped on the way).
/// </summary>
public sealed class NormalizedText
{
    private readonly int[] _sourceOffsets;

    internal NormalizedText(string text, int[] sourceOffsets, int sourceLength, bool scriptsRemoved)
    {
        Text = text;
        _sourceOffsets = sourceOffsets;
        SourceLength = sourceLength;
        ScriptsRemoved = scriptsRemoved;
    }

    public string Text { get; }

    public int SourceLength { get; }

    /// <summary>Whether script or style elements were dropped (never read, never stored).</summary>
    public bool ScriptsRemoved { get; }

    /// <summary>The source span of Text[start..end).</summary>
    public SourceSpan SpanOf(int start, int end)
    {
        if (end <= start || _sourceOffsets.Length == 0)
        {
            var at = start < _sourceOffsets.Length ? _sourceOffsets[start] : SourceLength;
            return new SourceSpan(at, 0);
        }
        var from = _sourceOffsets[start];
        var to = _sourceOffsets[end - 1] + 1;
        return new SourceSpan(from, Math.Max(0, to - from));
    }
}

/// <summary>
/// Turns a pasted text or a saved HTML page into plain lines: markup stripped (block elements and list items become
/// line breaks, so list structure survives; scripts, styles and comments are dropped with their content), character
/// references decoded (also the stray ones of pasted text), non-breaking and other odd spaces made plain, runs of
/// spaces collapsed and line ends trimmed.
/// </summary>
public static class TextNormalizer
{
    private static readonly HashSet<string> BlockElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "br", "li", "ul", "ol", "tr", "table", "tbody", "thead", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
        "header", "footer", "blockquote", "pre", "dd", "dt", "dl", "hr", "main", "nav", "aside", "form", "center", "address", "figure", "figcaption",
    };

    /// <summary>Elements whose content is never text: dropped whole.</summary>
    private static readonly string[] DroppedElements = ["script", "style", "noscript", "template", "head", "svg", "iframe", "object"];

    public static NormalizedText Normalize(string source, bool html)
    {
        // Never longer than the source: a character reference or a tag becomes at most as many characters as it has.
        var text = new char[source.Length];
        var offsets = new int[source.Length];
        var length = 0;
        var scripts = false;

        void Append(char c, int at)
        {
            if (c == ' ')
            {
                if (length == 0 || text[length - 1] is ' ' or '\n')
                {
                    return; // no run of spaces, no space at a line's start
                }
            }
            else if (c == '\n' && length > 0 && text[length - 1] == ' ')
            {
                length--; // nor at its end
            }
            text[length] = c;
            offsets[length++] = at;
        }

        void AppendChar(char c, int at)
        {
            switch (c)
            {
                case '\r':
                    Append('\n', at);
                    break;
                case '\n':
                    if (at > 0 && source[at - 1] == '\r')
                    {
                        return; // \r\n is one line break
                    }
                    Append('\n', at);
                    break;
                case '\t' or '\u00A0' or '\u2007' or '\u202F' or '\u3000' or '\f' or '\v':
                    Append(' ', at);
                    break;
                case '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF' or '\u00AD':
                    break; // zero-width characters and soft hyphens split words for nothing
                default:
                    if (char.IsControl(c))
                    {
                        break;
                    }
                    Append(char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.SpaceSeparator ? ' ' : c, at);
                    break;
            }
        }

        var i = 0;
        while (i < source.Length)
        {
            var c = source[i];
            if (c == '&' && TryEntity(source, i, out var decoded, out var entityLength))
            {
                foreach (var d in decoded)
                {
                    AppendChar(d, i);
                }
                i += entityLength;
                continue;
            }
            if (html && c == '<')
            {
                var end = SkipMarkup(source, i, out var separator, ref scripts);
                if (end > i)
                {
                    if (separator != '\0')
                    {
                        Append(separator, i);
                    }
                    i = end;
                    continue;
                }
            }
            AppendChar(c, i);
            i++;
        }
        return new NormalizedText(new string(text, 0, length), offsets[..length], source.Length, scripts);
    }

    /// <summary>The end of the tag, comment or dropped element starting at <paramref name="start"/>; start itself when it is no markup.</summary>
    private static int SkipMarkup(string source, int start, out char separator, ref bool scripts)
    {
        separator = '\0';
        if (string.CompareOrdinal(source, start, "<!--", 0, 4) == 0)
        {
            var close = source.IndexOf("-->", start + 4, StringComparison.Ordinal);
            return close < 0 ? source.Length : close + 3;
        }
        var nameStart = start + 1;
        var closing = nameStart < source.Length && source[nameStart] == '/';
        if (closing)
        {
            nameStart++;
        }
        var nameEnd = nameStart;
        while (nameEnd < source.Length && (char.IsAsciiLetterOrDigit(source[nameEnd]) || source[nameEnd] == '!'))
        {
            nameEnd++;
        }
        if (nameEnd == nameStart || (nameStart < source.Length && source[nameStart] == '!' && nameEnd == nameStart + 1))
        {
            return start; // "a < b" is text
        }
        var tagEnd = source.IndexOf('>', nameEnd);
        if (tagEnd < 0)
        {
            return source.Length;
        }
        var name = source[nameStart..nameEnd];
        if (!closing && DroppedElements.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            scripts |= !name.Equals("head", StringComparison.OrdinalIgnoreCase);
            var close = source.IndexOf("</" + name, tagEnd, StringComparison.OrdinalIgnoreCase);
            if (close < 0)
            {
                return source.Length;
            }
            var closeEnd = source.IndexOf('>', close);
            return closeEnd < 0 ? source.Length : closeEnd + 1;
        }
        // Block elements and list items start a line (list structure survives); table cells are apart by a space.
        separator = BlockElements.Contains(name) ? '\n' : name.ToLowerInvariant() is "td" or "th" ? ' ' : '\0';
        return tagEnd + 1;
    }

    private static bool TryEntity(string source, int start, out string decoded, out int length)
    {
        decoded = "";
        length = 0;
        var end = source.IndexOf(';', start + 1, Math.Min(12, source.Length - start - 1));
        if (end < 0 || end == start + 1)
        {
            return false;
        }
        var token = source[start..(end + 1)];
        var name = token[1..^1];
        if (!(name[0] == '#' ? name.Length > 1 && name[1..].TrimStart('x', 'X').All(char.IsAsciiHexDigit) : name.All(char.IsAsciiLetterOrDigit)))
        {
            return false;
        }
        var value = System.Net.WebUtility.HtmlDecode(token);
        if (value == token)
        {
            return false;
        }
        decoded = value;
        length = token.Length;
        return true;
    }
}
