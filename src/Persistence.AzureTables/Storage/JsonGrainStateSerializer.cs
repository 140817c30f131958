using System.Text.Json;
using System.Text.Json.Serialization;
using Orleans.Storage;

namespace VizierOrleans.Persistence.AzureTables.Storage;

/// <summary>
/// The provider's default <see cref="IGrainStorageSerializer"/>: System.Text.Json with property names (not type names,
/// so renaming a C# type does not orphan stored data), enums by name, nulls left out. Every row written before the
/// serializer became configurable is in this format. Strings that states repeat are read as one shared instance
/// (<see cref="SharedStringConverter"/>).
/// </summary>
public sealed class JsonGrainStateSerializer : IGrainStorageSerializer
{
    private static readonly JsonSerializerOptions Json = new()
    {
        Converters = { new JsonStringEnumConverter(), new SharedStringConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The one instance (it holds no state).</summary>
    public static JsonGrainStateSerializer Instance { get; } = new();

    private JsonGrainStateSerializer()
    {
    }

    /// <inheritdoc />
    public BinaryData Serialize<T>(T? input) => new(JsonSerializer.SerializeToUtf8Bytes(input, Json));

    /// <inheritdoc />
    public T Deserialize<T>(BinaryData input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return JsonSerializer.Deserialize<T>(input.ToMemory().Span, Json)!;
    }
}
