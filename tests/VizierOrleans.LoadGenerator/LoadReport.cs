using System.Globalization;
using System.Text;
using System.Text.Json;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.LoadGenerator;

/// <summary>Aggregates worker logs into throughput, latency percentiles and the correctness checks.</summary>
public sealed class LoadReport
{
    public required string Mode { get; init; }

    public int Studies { get; init; }

    public int WorkersPerStudy { get; init; }

    public int TrialsPerStudy { get; init; }

    public double Seconds { get; init; }

    public int Completed { get; init; }

    public double TrialsPerSecond => Completed / Seconds;

    public required Percentiles Suggest { get; init; }

    public required Percentiles Complete { get; init; }

    /// <summary>Failed attempts the workers retried, and refused completions.</summary>
    public int Errors { get; init; }

    /// <summary>Calls that failed for good and ended their worker.</summary>
    public int Failures { get; init; }

    /// <summary>Suggest latency while the study held its first 500 trials, and while it held its last 500.</summary>
    public Percentiles? SuggestEarly { get; init; }

    public Percentiles? SuggestLate { get; init; }

    public List<string> SampleErrors { get; init; } = [];

    public List<string> Violations { get; init; } = [];

    public bool Correct => Violations.Count == 0;

    /// <summary>Checks the stored studies against what the workers saw.</summary>
    public static List<string> Verify(IReadOnlyDictionary<string, IReadOnlyList<Trial>> stored, IReadOnlyList<WorkerLog> logs, int trialsPerStudy)
    {
        var violations = new List<string>();
        var failures = logs.SelectMany(l => l.Failures.Select(f => $"{l.ClientId}: {f}")).ToList();
        if (failures.Count > 0)
        {
            violations.Add($"{failures.Count} calls failed for good (not a passing fault, or past the retry time limit), e.g. {failures[0]}");
        }

        foreach (var (study, trials) in stored)
        {
            var ids = trials.Select(t => t.Id).ToList();
            if (!ids.SequenceEqual(Enumerable.Range(1, trialsPerStudy).Select(i => (long)i)))
            {
                violations.Add($"{study}: ids are not exactly 1..{trialsPerStudy} (got {ids.Count}, first {ids.FirstOrDefault()}, last {ids.LastOrDefault()})");
            }

            var notDone = trials.Where(t => t.State != TrialState.Succeeded).Select(t => t.Id).ToList();
            if (notDone.Count > 0)
            {
                violations.Add($"{study}: {notDone.Count} trials not SUCCEEDED, e.g. {string.Join(", ", notDone.Take(5))}");
            }

            var studyLogs = logs.Where(l => l.Study == study).ToList();
            var handedTwice = studyLogs.SelectMany(l => l.HandedOut.Select(id => (id, l.ClientId)))
                .GroupBy(x => x.id).Where(g => g.Select(x => x.ClientId).Distinct().Count() > 1).Select(g => g.Key).ToList();
            if (handedTwice.Count > 0)
            {
                violations.Add($"{study}: {handedTwice.Count} trials handed to two workers, e.g. {string.Join(", ", handedTwice.Take(5))}");
            }

            var byId = trials.ToDictionary(t => t.Id);
            var lost = studyLogs.SelectMany(l => l.Acknowledged)
                .Where(a => !byId.TryGetValue(a.Key, out var t) || t.FinalMeasurement?.Metrics["loss"] != a.Value)
                .Select(a => a.Key).ToList();
            if (lost.Count > 0)
            {
                violations.Add($"{study}: {lost.Count} acknowledged completions not stored as acknowledged, e.g. {string.Join(", ", lost.Take(5))}");
            }
        }

        return violations;
    }

    public string ToMarkdown()
    {
        var b = new StringBuilder();
        b.AppendLine("| mode | studies x workers | trials | seconds | trials/s | suggest p50 / p90 / p99 ms | complete p50 / p90 / p99 ms | errors | checks |");
        b.AppendLine("|---|---|---|---|---|---|---|---|---|");
        b.AppendLine(CultureInfo.InvariantCulture, $"| {Mode} | {Studies} x {WorkersPerStudy} | {Completed} | {Seconds:F1} | {TrialsPerSecond:F0} | {Suggest} | {Complete} | {Errors} | {(Correct ? "ids 1..T, no duplicates, all stored" : string.Join("; ", Violations))} |");
        if (SuggestEarly is not null && SuggestLate is not null)
        {
            b.AppendLine();
            b.AppendLine(CultureInfo.InvariantCulture, $"Suggest p50 / p90 / p99 ms while the study held its first 500 trials: {SuggestEarly}; its last 500: {SuggestLate} (ratio of p50s {SuggestLate.P50 / SuggestEarly.P50:F2}).");
        }
        return b.ToString();
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public string ToJson() => JsonSerializer.Serialize(this, Indented);
}

/// <summary>Latency percentiles in milliseconds.</summary>
public sealed record Percentiles(double P50, double P90, double P99, int Count)
{
    public static Percentiles Of(IEnumerable<double> samples)
    {
        var sorted = samples.Order().ToArray();
        double At(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        return new Percentiles(At(0.50), At(0.90), At(0.99), sorted.Length);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{P50:F2} / {P90:F2} / {P99:F2}");
}
