using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using Npgsql;
using Paco.Api.Common;

namespace Paco.Bench;

/// <summary>
/// What precomputing the compressed variants of stored organ documents costs: reads --sample (300) published organ
/// documents from the benchmark database, compresses each with the levels the API uses (kept variants: brotli 9, gzip 6;
/// variants made for one uncached answer: brotli 4, gzip 1) and, for comparison, higher ones (brotli 9 and 11, gzip 9), on one
/// thread, and prints a Markdown table: bytes, ratio to identity, microseconds per document (median and p95) and MB/s;
/// then the bytes a cached organ holds once both kept variants are made.
/// </summary>
internal static class CompressionCost
{
    private sealed record Level(string Name, Func<byte[], byte[]> Compress, bool Kept);

    public static async Task<int> RunAsync(string[] args)
    {
        var connection = Options.Value(args, "--connection");
        var sample = Options.Int(args, "--sample", 300);
        if (string.IsNullOrWhiteSpace(connection) || sample < 1)
        {
            Console.Error.WriteLine("usage: compress --connection <Npgsql connection string> [--sample 300]");
            return 2;
        }
        var documents = new List<byte[]>();
        await using (var dataSource = NpgsqlDataSource.Create(connection.Trim()))
        await using (var command = dataSource.CreateCommand(
            "select published_json from resources tablesample system (5) repeatable (20260101) where type = 'organ' and published_json is not null limit $1"))
        {
            command.Parameters.AddWithValue(sample);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                documents.Add(Encoding.UTF8.GetBytes(reader.GetString(0)));
            }
        }
        if (documents.Count == 0)
        {
            Console.Error.WriteLine("compress: no published organ in the database");
            return 1;
        }
        var levels = new[]
        {
            new Level($"br {ServedRepresentation.KeptBrotliQuality} (kept)", d => ServedRepresentation.Compress(d, ContentCoding.Brotli, kept: true), true),
            new Level($"gzip {ServedRepresentation.KeptGzipLevel} (kept)", d => ServedRepresentation.Compress(d, ContentCoding.Gzip, kept: true), true),
            new Level("br 4 (one answer)", d => ServedRepresentation.Compress(d, ContentCoding.Brotli, kept: false), false),
            new Level("gzip 1 (one answer)", d => ServedRepresentation.Compress(d, ContentCoding.Gzip, kept: false), false),
            new Level("br 9", d => Brotli(d, 9), false),
            new Level("br 11", d => Brotli(d, 11), false),
            new Level("gzip 9", d => Gzip(d, 9), false),
        };
        var identity = documents.Average(d => (double)d.Length);
        Console.WriteLine($"{documents.Count} published organ documents (tablesample of the benchmark database), {identity:0} bytes on average; one thread.");
        Console.WriteLine();
        Console.WriteLine("| coding | avg bytes | ratio to identity | µs per document, median | p95 | MB/s (identity bytes in) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        Console.WriteLine($"| identity | {identity:0} | 1.00 | | | |");
        var keptBytes = 0d;
        foreach (var level in levels)
        {
            foreach (var document in documents.Take(20))
            {
                level.Compress(document); // warm-up (JIT, native library)
            }
            var micros = new List<double>();
            long compressed = 0;
            var total = Stopwatch.StartNew();
            foreach (var document in documents)
            {
                var watch = Stopwatch.StartNew();
                compressed += level.Compress(document).Length;
                micros.Add(watch.Elapsed.TotalMicroseconds);
            }
            total.Stop();
            micros.Sort();
            var average = compressed / (double)documents.Count;
            if (level.Kept)
            {
                keptBytes += average;
            }
            var megabytesPerSecond = documents.Sum(d => (double)d.Length) / 1e6 / total.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {level.Name} | {average:0} | {average / identity:0.000} | {micros[micros.Count / 2]:0} | {micros[(int)(micros.Count * 0.95)]:0} | {megabytesPerSecond:0.0} |"));
        }
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"compress: documents={documents.Count} identity_bytes={identity:0} held_with_both_kept_variants={identity + keptBytes:0} ({(identity + keptBytes) / identity:0.00}x)"));
        return 0;
    }

    private static byte[] Brotli(byte[] data, int quality)
    {
        var buffer = new byte[BrotliEncoder.GetMaxCompressedLength(data.Length)];
        BrotliEncoder.TryCompress(data, buffer, out var written, quality, 22);
        return buffer[..written];
    }

    private static byte[] Gzip(byte[] data, int level)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, new ZLibCompressionOptions { CompressionLevel = level }, leaveOpen: true))
        {
            gzip.Write(data);
        }
        return output.ToArray();
    }
}
