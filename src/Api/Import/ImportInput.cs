using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Paco.Api.Common;
using Paco.Api.Revisions;

namespace Paco.Api.Import;

/// <summary>An import's body as text: its media type, its characters and the hash of its bytes.</summary>
public sealed record ImportText(string Text, string MediaType, string Sha256);

/// <summary>
/// What an import takes in: text/plain or text/html (a saved page), UTF-8 unless the charset says ISO-8859-1, up to
/// <see cref="Limits.ImportBodyBytes"/>. Refused with a problem a person can act on: another media type or a PDF (415),
/// an empty body, bytes that are no text (400), a larger body (413).
/// </summary>
public static class ImportInput
{
    public static async Task<(ImportText? Text, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var contentType = request.ContentType ?? "";
        var mediaType = contentType.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType == "application/pdf")
        {
            return (null, UnsupportedMediaType("PDF files are not read: open the PDF, copy its text (or save it as text) and send that as text/plain."));
        }
        var html = mediaType is Importer.Html or "application/xhtml+xml";
        if (!html && mediaType != Importer.PlainText)
        {
            return (null, UnsupportedMediaType($"Send the text as 'Content-Type: text/plain' (a pasted law or page) or 'text/html' (a saved page){(mediaType.Length == 0 ? "" : $", not '{mediaType}'")}."));
        }
        var charset = Charset(contentType);
        if (charset is not (null or "utf-8" or "utf8" or "us-ascii" or "iso-8859-1" or "latin1"))
        {
            return (null, UnsupportedMediaType($"The charset '{charset}' is not read: send UTF-8 (or ISO-8859-1)."));
        }
        var (buffer, length) = await DocumentInput.ReadBodyAsync(request, Limits.ImportBodyBytes, cancellationToken);
        if (buffer is null)
        {
            return (null, RequestBodies.TooLarge(request.ContentLength, Limits.ImportBodyBytes));
        }
        try
        {
            return Decode(buffer.AsSpan(0, length), html, latin1: charset is "iso-8859-1" or "latin1");
        }
        finally
        {
            DocumentInput.BodyBuffers.Return(buffer);
        }
    }

    /// <summary>The text of an import's bytes, or why they are none (a PDF, not UTF-8, empty, binary).</summary>
    public static (ImportText? Text, ProblemHttpResult? Problem) Decode(ReadOnlySpan<byte> bytes, bool html, bool latin1)
    {
        if (bytes.StartsWith("%PDF-"u8))
        {
            return (null, UnsupportedMediaType("This is a PDF file, not text: open it, copy its text (or save it as text) and send that as text/plain."));
        }
        if (!latin1 && !System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return (null, Problems.BadRequest("The body is not UTF-8 text (a binary file, or text in another encoding): send the text itself, in UTF-8, or declare 'charset=iso-8859-1'."));
        }
        var text = (latin1 ? Encoding.Latin1 : Encoding.UTF8).GetString(bytes);
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, Problems.BadRequest("The body is empty: send the text of a structure law or of an organ's page."));
        }
        if (LooksBinary(text))
        {
            return (null, Problems.BadRequest("The body holds control characters that text does not have (a binary file?): send the text itself."));
        }
        return (new ImportText(text, html ? Importer.Html : Importer.PlainText, Convert.ToHexStringLower(SHA256.HashData(bytes))), null);
    }

    /// <summary>NUL, or more than one in a thousand characters that are controls other than tabs, line and page breaks.</summary>
    private static bool LooksBinary(string text)
    {
        var controls = 0;
        foreach (var c in text)
        {
            if (c == '\0')
            {
                return true;
            }
            if (char.IsControl(c) && c is not ('\t' or '\n' or '\r' or '\f' or '\v') && !(c >= '\u0080' && c <= '\u009F'))
            {
                controls++;
            }
        }
        return controls > text.Length / 1000;
    }

    private static string? Charset(string contentType)
    {
        foreach (var parameter in contentType.Split(';').Skip(1))
        {
            var pair = parameter.Split('=', 2);
            if (pair.Length == 2 && pair[0].Trim().Equals("charset", StringComparison.OrdinalIgnoreCase))
            {
                return pair[1].Trim().Trim('"').ToLowerInvariant();
            }
        }
        return null;
    }

    private static ProblemHttpResult UnsupportedMediaType(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type", detail: detail);
}
