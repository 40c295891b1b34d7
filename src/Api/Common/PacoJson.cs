using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Paco.Api.Common;

/// <summary>The one JSON dialect of Paço: camelCase, ISO 8601 dates, readable Portuguese (no \u escapes).</summary>
public static class PacoJson
{
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        // Served as application/json, never embedded in HTML: keep accents and quotes readable.
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        // Unknown fields are refused, and null is refused where the shape says a value is required.
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.RespectNullableAnnotations = true;
        // A field named twice is ambiguous: refused on every write (POST, PUT and PATCH alike).
        options.AllowDuplicateProperties = false;
        if (!options.Converters.OfType<JsonStringEnumConverter>().Any())
        {
            options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
            options.Converters.Add(new UtcDateTimeOffsetConverter());
        }
        return options;
    }

    /// <summary>
    /// Buffers for JSON on its way in and out (bodies, stored documents, rendered answers), returned as soon as the bytes
    /// are copied or parsed. A pool of its own that keeps at most four arrays of each size up to 4 MiB: the serializer's
    /// own buffers come from the shared pool, which keeps one per thread and dozens per core of every size it was asked
    /// for (with it, 50 parallel 1 MiB writes peaked some 50 MiB higher and kept 20–30 MiB more: bench/MEMORY.md).
    /// </summary>
    public static readonly ArrayPool<byte> Buffers = ArrayPool<byte>.Create(maxArrayLength: 4 * 1024 * 1024, maxArraysPerBucket: 4);

    // What JsonSerializer.SerializeToUtf8Bytes would write with these options (not indented, the same encoder and depth).
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = Options.Encoder,
        Indented = Options.WriteIndented,
        MaxDepth = Options.MaxDepth == 0 ? 64 : Options.MaxDepth,
    };

    public static byte[] SerializeToUtf8(object value, Type type)
    {
        using var buffer = new PooledBufferWriter(Buffers);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            JsonSerializer.Serialize(writer, value, type, Options);
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static T Deserialize<T>(string json)
    {
        if (json.Length == 0)
        {
            throw new JsonException($"Expected a {typeof(T).Name} document, found nothing.");
        }
        var utf8 = Buffers.Rent(Encoding.UTF8.GetByteCount(json));
        try
        {
            var length = Encoding.UTF8.GetBytes(json, utf8);
            return JsonSerializer.Deserialize<T>(utf8.AsSpan(0, length), Options) ?? throw new JsonException($"Expected a {typeof(T).Name} document, found null.");
        }
        finally
        {
            Buffers.Return(utf8);
        }
    }

    /// <summary>What <c>node.Deserialize&lt;T&gt;(Options)</c> reads, through a buffer of <see cref="Buffers"/>.</summary>
    public static T? Deserialize<T>(JsonNode node)
    {
        using var buffer = new PooledBufferWriter(Buffers);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            node.WriteTo(writer, Options);
        }
        return JsonSerializer.Deserialize<T>(buffer.WrittenSpan, Options);
    }

    /// <summary>An <see cref="IBufferWriter{T}"/> over arrays of a pool, which doubles as it fills; disposing returns its array.</summary>
    private sealed class PooledBufferWriter(ArrayPool<byte> pool) : IBufferWriter<byte>, IDisposable
    {
        private byte[]? _buffer = pool.Rent(4096);
        private int _written;

        public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

        public void Advance(int count) => _written += count;

        public Memory<byte> GetMemory(int sizeHint = 0) => Ensure(sizeHint).AsMemory(_written);

        public Span<byte> GetSpan(int sizeHint = 0) => Ensure(sizeHint).AsSpan(_written);

        private byte[] Ensure(int sizeHint)
        {
            var buffer = _buffer ?? throw new ObjectDisposedException(nameof(PooledBufferWriter));
            if (buffer.Length - _written >= Math.Max(sizeHint, 1))
            {
                return buffer;
            }
            var bigger = pool.Rent(Math.Max(buffer.Length * 2, _written + Math.Max(sizeHint, 1)));
            buffer.AsSpan(0, _written).CopyTo(bigger);
            pool.Return(buffer);
            return _buffer = bigger;
        }

        public void Dispose()
        {
            if (_buffer is { } buffer)
            {
                _buffer = null;
                pool.Return(buffer);
            }
        }
    }
}
