using System.Collections.Immutable;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Dashboard.Api;

/// <summary>Turns trials into what the API returns.</summary>
internal static class TrialViews
{
    /// <summary>The table row of a trial.</summary>
    public static TrialRow Row(Trial trial, StudyConfig config) => new(
        trial.Id,
        trial.State,
        trial.ClientId,
        trial.Parameters.ToImmutableSortedDictionary(p => p.Key, p => Value(p.Value), StringComparer.Ordinal),
        trial.FinalMeasurement?.Metrics ?? ImmutableDictionary<string, double>.Empty,
        trial.StartTime,
        trial.EndTime,
        WasStopped(trial),
        IsUnsafe(trial, config));

    /// <summary>The full view of a trial.</summary>
    public static TrialDetail Detail(Trial trial, StudyConfig config) => new(
        Row(trial, config), trial.Name, trial.FinalMeasurement, trial.Measurements, trial.InfeasibleReason, trial.StoppingReason,
        trial.CreateTime, [.. trial.Metadata.Items]);

    /// <summary>A parameter value as JSON: a number, or the category's string.</summary>
    public static object Value(ParameterValue value) => value.Text is { } text ? text : value.AsDouble();

    /// <summary>True when the service asked the trial to stop early.</summary>
    public static bool WasStopped(Trial trial) => trial.State == TrialState.Stopping || trial.StoppingReason is not null;

    /// <summary>True when a safety metric of the final measurement is on the bad side of its threshold.</summary>
    public static bool IsUnsafe(Trial trial, StudyConfig config) =>
        trial.FinalMeasurement is { } final
        && config.SafetyMetrics.Any(m => final.Metrics.TryGetValue(m.Name, out var v) && !m.IsSafe(v));
}
