using System.Text.Json;
using System.Text.Json.Serialization;

namespace VizierOrleans.Persistence.AzureTables.Storage;

/// <summary>
/// Reads short JSON strings through a small cache of recent values, so that what many states repeat (a study's name,
/// parameter and metric names, client ids, categories) is one string in memory instead of one per state read: a
/// study activation holds 100,000 trials read from storage. Writing is unchanged. The cache is a fixed array of
/// slots (a value replaces what its slot held), so unique values cost a lookup and never grow it.
/// </summary>
internal sealed class SharedStringConverter : JsonConverter<string>
{
    private const int Slots = 4096;
    private const int MaxBytes = 128;

    private readonly Entry?[] _cache = new Entry?[Slots];

    /// <inheritdoc />
    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Shared(ref reader);

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    /// <inheritdoc />
    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Shared(ref reader);

    /// <inheritdoc />
    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WritePropertyName(value);

    private string Shared(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName) || reader.ValueIsEscaped || reader.HasValueSequence || reader.ValueSpan.Length > MaxBytes)
        {
            return reader.GetString()!;
        }

        var bytes = reader.ValueSpan;
        var hash = new HashCode();
        hash.AddBytes(bytes);
        var slot = (int)((uint)hash.ToHashCode() % Slots);
        if (Volatile.Read(ref _cache[slot]) is { } entry && bytes.SequenceEqual(entry.Utf8))
        {
            return entry.Value;
        }

        var value = reader.GetString()!;
        Volatile.Write(ref _cache[slot], new Entry(bytes.ToArray(), value));
        return value;
    }

    private sealed record Entry(byte[] Utf8, string Value);
}
