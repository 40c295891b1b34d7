using System.Text;

namespace Paco.Api.Common;

/// <summary>
/// Writes HTML fragments that are safe to include in another site's page: every text and attribute value is escaped,
/// element and attribute names are the caller's constants, links only to http(s), mailto: and tel: (a stored URL
/// such as javascript:… is written as text, never as a link), and nothing to run or style (no script, no style
/// attribute). Elements close in order: <see cref="Close"/> closes the last one opened.
/// </summary>
public sealed class HtmlWriter
{
    private readonly StringBuilder _html = new();
    private readonly Stack<string> _open = new();

    /// <summary>Opens <paramref name="element"/> with a class and other attributes (null values are left out).</summary>
    public HtmlWriter Open(string element, string? cssClass = null, params (string Name, string? Value)[] attributes)
    {
        _html.Append('<').Append(element);
        Attribute("class", cssClass);
        foreach (var (name, value) in attributes)
        {
            Attribute(name, value);
        }
        _html.Append('>');
        _open.Push(element);
        return this;
    }

    public HtmlWriter Close()
    {
        _html.Append("</").Append(_open.Pop()).Append('>');
        return this;
    }

    public HtmlWriter LineBreak()
    {
        _html.Append("<br>");
        return this;
    }

    public HtmlWriter Text(string? text)
    {
        Html.Escape(_html, text);
        return this;
    }

    /// <summary>An element holding only text.</summary>
    public HtmlWriter Element(string element, string? cssClass, string? text, params (string Name, string? Value)[] attributes) =>
        Open(element, cssClass, attributes).Text(text).Close();

    /// <summary>A link, or the text alone (in a span of the same class) when <paramref name="href"/> is not a URL a page may link to.</summary>
    public HtmlWriter Link(string? href, string? cssClass, string text) =>
        Html.SafeHref(href) is { } safe ? Element("a", cssClass, text, ("href", safe)) : Element("span", cssClass, text);

    /// <summary>The fragment, every element closed.</summary>
    public byte[] ToUtf8()
    {
        if (_open.Count > 0)
        {
            throw new InvalidOperationException($"The fragment left <{_open.Peek()}> open.");
        }
        return Encoding.UTF8.GetBytes(_html.ToString());
    }

    public override string ToString() => _html.ToString();

    private void Attribute(string name, string? value)
    {
        if (value is null)
        {
            return;
        }
        _html.Append(' ').Append(name).Append("=\"");
        Html.Escape(_html, value);
        _html.Append('"');
    }
}

public static class Html
{
    /// <summary>Escapes the five characters that mean something in HTML text and quoted attributes; everything else is written as UTF-8.</summary>
    public static void Escape(StringBuilder output, string? text)
    {
        foreach (var c in text ?? "")
        {
            _ = c switch
            {
                '&' => output.Append("&amp;"),
                '<' => output.Append("&lt;"),
                '>' => output.Append("&gt;"),
                '"' => output.Append("&quot;"),
                '\'' => output.Append("&#39;"),
                _ => output.Append(c),
            };
        }
    }

    public static string Escape(string? text)
    {
        var output = new StringBuilder();
        Escape(output, text);
        return output.ToString();
    }

    /// <summary>The URL if a page may link to it (absolute http or https, mailto:, tel:), otherwise null.</summary>
    public static string? SafeHref(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "mailto" or "tel" ? url : null;
}
