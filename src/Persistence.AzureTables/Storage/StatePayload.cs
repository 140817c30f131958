using System.IO.Compression;

namespace VizierOrleans.Persistence.AzureTables.Storage;

/// <summary>
/// Splits a serialized state across binary properties of at most 64 KiB, compressing large payloads, and checks
/// the entity limits before anything is sent.
/// </summary>
internal static class StatePayload
{
    public const string DataPrefix = "Data";
    public const string EncodingProperty = "Encoding";
    public const string LengthProperty = "Length";
    public const string Plain = "json";
    public const string Gzip = "json+gzip";

    // Room left in an entity for the keys, the property names, the other properties and the service's overhead.
    private const int EntityOverheadBytes = 8 * 1024;

    /// <summary>Payloads above this are gzip-compressed; JSON of trial measurements compresses about 10x.</summary>
    private const int CompressAbove = 16 * 1024;

    /// <summary>Encodes <paramref name="json"/> into properties; throws <see cref="StateTooLargeException"/> when it cannot fit.</summary>
    public static Dictionary<string, object> Encode(byte[] json, string what)
    {
        var encoding = Plain;
        var bytes = json;
        if (json.Length > CompressAbove)
        {
            using var buffer = new MemoryStream();
            using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
            {
                gzip.Write(json);
            }

            bytes = buffer.ToArray();
            encoding = Gzip;
        }

        var chunks = (bytes.Length + AzureTableLimits.MaxPropertyBytes - 1) / AzureTableLimits.MaxPropertyBytes;
        var limit = AzureTableLimits.MaxEntityBytes - EntityOverheadBytes;
        if (bytes.Length > limit || chunks + 2 > AzureTableLimits.MaxProperties)
        {
            throw new StateTooLargeException(
                $"{what}: the state is {json.Length:N0} bytes ({bytes.Length:N0} stored), more than one Azure table entity holds ({limit:N0} bytes). Nothing was written.");
        }

        var properties = new Dictionary<string, object>
        {
            [EncodingProperty] = encoding,
            [LengthProperty] = bytes.Length,
        };
        for (var i = 0; i < chunks; i++)
        {
            var offset = i * AzureTableLimits.MaxPropertyBytes;
            properties[DataPrefix + i] = bytes.AsSpan(offset, Math.Min(AzureTableLimits.MaxPropertyBytes, bytes.Length - offset)).ToArray();
        }

        return properties;
    }

    /// <summary>Joins the chunks back into the JSON bytes.</summary>
    public static byte[] Decode(IDictionary<string, object> properties)
    {
        var length = Convert.ToInt32(properties[LengthProperty], System.Globalization.CultureInfo.InvariantCulture);
        var bytes = new byte[length];
        var offset = 0;
        for (var i = 0; offset < length; i++)
        {
            var chunk = (byte[])properties[DataPrefix + i];
            chunk.CopyTo(bytes, offset);
            offset += chunk.Length;
        }

        if ((string)properties[EncodingProperty] != Gzip)
        {
            return bytes;
        }

        using var input = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
