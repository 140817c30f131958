using System.Text.Json;
using System.Text.Json.Nodes;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains;

/// <summary>Compares study configs by content (JSON with sorted keys), naming the first field that differs.</summary>
internal static class ConfigComparison
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = false };

    /// <summary>The name of the first top-level field that differs, or null when the configs are the same.</summary>
    public static string? FirstDifference(StudyConfig stored, StudyConfig requested)
    {
        var a = Canonical(JsonSerializer.SerializeToNode(stored, Options))!.AsObject();
        var b = Canonical(JsonSerializer.SerializeToNode(requested, Options))!.AsObject();
        foreach (var (key, value) in a)
        {
            if (!JsonNode.DeepEquals(value, b[key]))
            {
                return $"{char.ToLowerInvariant(key[0])}{key[1..]} differs (stored: {Shorten(value)}; requested: {Shorten(b[key])})";
            }
        }

        return null;
    }

    private static JsonNode? Canonical(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => KeyValuePair.Create(kv.Key, Canonical(kv.Value?.DeepClone())))),
        JsonArray a => new JsonArray([.. a.Select(x => Canonical(x?.DeepClone()))]),
        _ => node?.DeepClone(),
    };

    private static string Shorten(JsonNode? node)
    {
        var text = node?.ToJsonString() ?? "null";
        return text.Length <= 200 ? text : text[..200] + "...";
    }
}
