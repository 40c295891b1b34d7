using System.Buffers;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using Paco.Api.Common;

namespace Paco.Api.OpenData;

/// <summary>Writes exports as their rows arrive: a small buffer flushed to the client, so memory does not grow with the export.</summary>
public static class ExportWriter
{
    private const int FlushEvery = 32 * 1024;

    public static async Task CsvAsync(Stream body, DataTable table, IAsyncEnumerable<ExportedDocument> documents, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(body, Csv.Utf8, bufferSize: FlushEvery, leaveOpen: true);
        await WriteCsvAsync(writer, table, documents, cancellationToken);
    }

    private static async Task WriteCsvAsync(StreamWriter writer, DataTable table, IAsyncEnumerable<ExportedDocument> documents, CancellationToken cancellationToken)
    {
        await writer.WriteAsync(Csv.Row(table.Columns.Select(c => c.Name)));
        await foreach (var document in documents.WithCancellation(cancellationToken))
        {
            foreach (var row in DataDictionary.RowsOf(table, document))
            {
                await writer.WriteAsync(Csv.Row(row));
            }
        }
        await writer.FlushAsync(cancellationToken);
    }

    public static async Task NdJsonAsync(Stream body, DataTable table, IAsyncEnumerable<ExportedDocument> documents, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(FlushEvery * 2);
        await using var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = PacoJson.Options.Encoder, SkipValidation = true });
        await foreach (var document in documents.WithCancellation(cancellationToken))
        {
            foreach (var row in DataDictionary.RowsOf(table, document))
            {
                json.WriteStartObject();
                for (var i = 0; i < table.Columns.Count; i++)
                {
                    json.WritePropertyName(table.Columns[i].Name);
                    WriteValue(json, row[i]);
                }
                json.WriteEndObject();
                json.Flush();
                json.Reset();
                buffer.Write("\n"u8);
                if (buffer.WrittenCount >= FlushEvery)
                {
                    await body.WriteAsync(buffer.WrittenMemory, cancellationToken);
                    buffer.ResetWrittenCount();
                }
            }
        }
        await body.WriteAsync(buffer.WrittenMemory, cancellationToken);
    }

    /// <summary>
    /// One JSON-LD document, <c>{"@context": …, "@graph": [nodes]}</c>, written node by node: the graph is never whole in
    /// memory, only the node being written and the buffer not yet sent.
    /// </summary>
    public static async Task JsonLdAsync(Stream body, string context, IAsyncEnumerable<JsonObject> nodes, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(FlushEvery * 2);
        await using var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = PacoJson.Options.Encoder });
        json.WriteStartObject();
        json.WriteString("@context", context);
        json.WriteStartArray("@graph");
        await foreach (var node in nodes.WithCancellation(cancellationToken))
        {
            node.WriteTo(json);
            json.Flush();
            if (buffer.WrittenCount >= FlushEvery)
            {
                await body.WriteAsync(buffer.WrittenMemory, cancellationToken);
                buffer.ResetWrittenCount();
            }
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        await body.WriteAsync(buffer.WrittenMemory, cancellationToken);
    }

    private static void WriteValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null: json.WriteNullValue(); break;
            case int number: json.WriteNumberValue(number); break;
            case Guid id: json.WriteStringValue(id); break;
            case DateTimeOffset at: json.WriteStringValue(at); break;
            case DateOnly day: json.WriteStringValue(day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)); break;
            default: json.WriteStringValue(value.ToString()); break;
        }
    }

    /// <summary>
    /// Every table as CSV, then the dictionary and (per institution) the dataset description, in one zip written as it goes
    /// (entries use data descriptors, so the stream needs no seeking). Entry times are the content's Last-Modified, so the same
    /// content always gives the same bytes, as the ETag promises.
    /// </summary>
    public static async Task ZipAsync(Stream body, DateTimeOffset lastModified, Func<DataTable, IAsyncEnumerable<ExportedDocument>> documents,
        JsonObject? dataset, CancellationToken cancellationToken)
    {
        var stamp = lastModified.Year < 1980 ? new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero) : lastModified.ToUniversalTime();
        await using var zip = await ZipArchive.CreateAsync(body, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, cancellationToken);
        foreach (var table in DataDictionary.Tables)
        {
            var entry = zip.CreateEntry($"{table.Name}.csv", CompressionLevel.Fastest);
            entry.LastWriteTime = stamp;
            await using var stream = await entry.OpenAsync(cancellationToken);
            await using var writer = new StreamWriter(stream, Csv.Utf8, bufferSize: FlushEvery);
            await WriteCsvAsync(writer, table, documents(table), cancellationToken);
        }
        await AddJsonAsync(zip, "dictionary.json", JsonSerializer.SerializeToUtf8Bytes(DataDictionary.Tables, PacoJson.Options), stamp, cancellationToken);
        if (dataset is not null)
        {
            await AddJsonAsync(zip, "dataset.jsonld", Dataset.ToUtf8(dataset), stamp, cancellationToken);
        }
    }

    private static async Task AddJsonAsync(ZipArchive zip, string name, byte[] bytes, DateTimeOffset stamp, CancellationToken cancellationToken)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Fastest);
        entry.LastWriteTime = stamp;
        await using var stream = await entry.OpenAsync(cancellationToken);
        await stream.WriteAsync(bytes, cancellationToken);
    }
}
