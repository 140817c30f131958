using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace VizierOrleans.LoadGenerator.Scale;

/// <summary>
/// The <c>scale</c> command: fresh in-memory Azurite and a silo, every scenario's data created through the service,
/// the silo restarted, then each scenario measured on the cold silo. Prints a markdown table with the machine's load.
/// </summary>
internal static class ScaleBenchmark
{
    /// <summary>Runs the scenarios; returns 0 when every target is met, 3 when some is not.</summary>
    public static async Task<int> RunAsync(int trials, int smallTrials, int parallelism, int ownerStudies, int ownerTrials, IReadOnlyCollection<string> parts, CancellationToken cancellationToken)
    {
        // Every part of the benchmark is one scenario here.
        IScaleScenario[] scenarios =
        [
            .. parts.Contains("large") ? [new LargeStudyScenario(trials, smallTrials, parallelism)] : Array.Empty<IScaleScenario>(),
            .. parts.Contains("owner") ? [new OwnerListingScenario(ownerStudies, ownerTrials, parallelism)] : Array.Empty<IScaleScenario>(),
        ];

        var loadBefore = LoadAverage();
        var clock = Stopwatch.StartNew();
        void Progress(string line) => Console.Error.WriteLine($"[{clock.Elapsed:hh\\:mm\\:ss}] {line}");
        await using var environment = await ScaleEnvironment.StartAsync(cancellationToken);
        foreach (var scenario in scenarios)
        {
            await scenario.PopulateAsync(environment, Progress, cancellationToken);
        }

        var loadBeforeRestart = LoadAverage();
        Progress("restarting the silo");
        await environment.RestartSiloAsync(cancellationToken);
        var rows = new List<ScaleRow>();
        foreach (var scenario in scenarios)
        {
            rows.AddRange(await scenario.MeasureAsync(environment, Progress, cancellationToken));
        }

        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture, $"Scale benchmark, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {Environment.Version}, load average (1/5/15 min) {loadBefore} at start, {loadBeforeRestart} at the restart, {LoadAverage()} at the end");
        table.AppendLine();
        table.AppendLine("| what | measured | target | met |");
        table.AppendLine("|---|---|---|---|");
        foreach (var row in rows)
        {
            table.AppendLine(CultureInfo.InvariantCulture, $"| {row.What} | {row.Value} | {row.Target} | {(row.Met ? "yes" : "no")} |");
        }

        Console.WriteLine(table);
        return rows.All(r => r.Met) ? 0 : 3;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
