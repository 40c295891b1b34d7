using System.Globalization;
using System.Text;

namespace Paco.Api.Common;

/// <summary>
/// RFC 4180 CSV: CRLF line ends, fields quoted when they hold a comma, a quote, CR or LF (quotes doubled), UTF-8 without a
/// byte-order mark, a header row. Nulls are empty fields; dates ISO 8601; numbers in the invariant culture.
/// </summary>
public static class Csv
{
    public static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static string Row(IEnumerable<object?> fields) => string.Join(',', fields.Select(Field)) + "\r\n";

    public static string Field(object? value)
    {
        var text = value switch
        {
            null => "",
            string s => s,
            bool b => b ? "true" : "false",
            DateTimeOffset d => d.ToString("O", CultureInfo.InvariantCulture),
            DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"") + "\"" : text;
    }
}
