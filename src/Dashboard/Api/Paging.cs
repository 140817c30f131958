using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace VizierOrleans.Dashboard.Api;

/// <summary>Reads query values, throwing <see cref="BadRequestFieldException"/> that names the field.</summary>
internal static class Paging
{
    // Only enum member names come here, so the cache stays a few dozen entries; the CSV export and the event feed spell
    // a state or kind per trial or per event.
    private static readonly ConcurrentDictionary<string, string> Spelled = new(StringComparer.Ordinal);

    /// <summary>An integer query value in [min, max], or the default when absent.</summary>
    public static int Int(IQueryCollection query, string field, int defaultValue, int min, int max)
    {
        var text = query[field].ToString();
        if (text.Length == 0)
        {
            return defaultValue;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new BadRequestFieldException(field, $"{field}: '{text}' must be an integer from {min} to {max}.");
    }

    /// <summary>An enum value spelled as the API writes it (SUCCEEDED, ACTIVE, ...), any case.</summary>
    public static T Enum<T>(string text, string field) where T : struct, System.Enum =>
        System.Enum.TryParse<T>(text.Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out var value) && System.Enum.IsDefined(value)
            && !int.TryParse(text, out _)
            ? value
            : throw new BadRequestFieldException(field, $"{field}: '{text}' is not one of {string.Join(", ", System.Enum.GetNames<T>().Select(Spell))}.");

    /// <summary>How the API spells an enum name (SnakeCaseUpper), converted once per name.</summary>
    public static string Spell(string name) => Spelled.GetOrAdd(name, static n => System.Text.Json.JsonNamingPolicy.SnakeCaseUpper.ConvertName(n));
}
