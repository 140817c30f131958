using System.Globalization;
using System.Text;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Dashboard.Api;

/// <summary>Writes trials as CSV: one row per trial, one column per parameter and metric.</summary>
internal static class TrialExport
{
    /// <summary>The CSV text (RFC 4180 quoting, invariant numbers, ISO 8601 times).</summary>
    public static string Csv(StudyConfig config, IReadOnlyList<Trial> trials)
    {
        var parameters = SearchSpace.Flatten(config.Parameters).Select(p => p.Name).ToList();
        var metrics = config.Metrics.Select(m => m.Name).ToList();
        var text = new StringBuilder();
        Line(text, ["id", "state", "client_id", "create_time", "start_time", "end_time", .. parameters.Select(p => "param:" + p), .. metrics.Select(m => "metric:" + m), "infeasible_reason", "stopping_reason"]);
        foreach (var t in trials)
        {
            Line(text, [
                t.Id.ToString(CultureInfo.InvariantCulture),
                Paging.Spell(t.State.ToString()),
                t.ClientId ?? "",
                Time(t.CreateTime),
                Time(t.StartTime),
                Time(t.EndTime),
                .. parameters.Select(p => t.Parameters.TryGetValue(p, out var v) ? v.AsString() : ""),
                .. metrics.Select(m => t.FinalMeasurement is { } f && f.Metrics.TryGetValue(m, out var x) ? x.ToString("R", CultureInfo.InvariantCulture) : ""),
                t.InfeasibleReason ?? "",
                t.StoppingReason ?? "",
            ]);
        }

        return text.ToString();
    }

    private static string Time(DateTimeOffset? time) => time?.ToString("O", CultureInfo.InvariantCulture) ?? "";

    private static void Line(StringBuilder text, IEnumerable<string> cells)
    {
        text.AppendJoin(',', cells.Select(c => c.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + c.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : c));
        text.Append("\r\n");
    }
}
