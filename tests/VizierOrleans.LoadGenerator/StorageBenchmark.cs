using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Configuration;
using VizierOrleans.Grains.State;
using VizierOrleans.Grains.Storage;
using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.Persistence.AzureTables;
using VizierOrleans.Persistence.AzureTables.Storage;

namespace VizierOrleans.LoadGenerator;

/// <summary>Grain-storage latency on Azure Tables (Azurite locally): reads, inserts and replaces of trial-sized states.</summary>
public static class StorageBenchmark
{
    public static async Task<string> RunAsync(string connectionString, int operations, int writers, bool batch)
    {
        var storage = new AzureTableGrainStorage(
            "bench",
            new AzureTableGrainStorageOptions { ConnectionString = connectionString, TableName = "StorageBenchmark", BatchWrites = batch },
            new ClusterOptions { ServiceId = $"bench{Guid.NewGuid():N}" },
            new VizierPartitionLayout(),
            NullLogger<AzureTableGrainStorage>.Instance);
        await storage.InitializeAsync(CancellationToken.None);

        var states = Enumerable.Range(1, operations).Select(i => new Slot(new TrialRecord { Trial = Trial(i) })).ToArray();
        var insert = await TimeAsync(states, writers, (s, i) => storage.WriteStateAsync("trial", Id(i), s));
        foreach (var s in states)
        {
            s.State.Trial = s.State.Trial! with { State = TrialState.Succeeded, FinalMeasurement = Measurement.Of("loss", 1) };
        }

        var replace = await TimeAsync(states, writers, (s, i) => storage.WriteStateAsync("trial", Id(i), s));
        var read = await TimeAsync(states, writers, (_, i) => storage.ReadStateAsync("trial", Id(i), new Slot(new TrialRecord())));
        return string.Join(Environment.NewLine,
            "| operation | writers | group commit | ops | ops/s | p50 ms | p99 ms |",
            "|---|---|---|---|---|---|---|",
            Row("insert", insert),
            Row("replace (If-Match)", replace),
            Row("read", read));

        string Row(string name, (double Seconds, Percentiles Latency) r) =>
            string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"| {name} | {writers} | {(batch ? "on" : "off")} | {operations} | {operations / r.Seconds:F0} | {r.Latency.P50:F2} | {r.Latency.P99:F2} |");
    }

    private static GrainId Id(int i) => GrainId.Create("trial", $"owners/bench/studies/s/trials/{i}");

    private static Trial Trial(int i) => new()
    {
        StudyName = "owners/bench/studies/s",
        Id = i,
        State = TrialState.Active,
        ClientId = "worker",
        Parameters = ImmutableDictionary<string, ParameterValue>.Empty.Add("x", 0.5 * i).Add("y", -0.25 * i),
        CreateTime = DateTimeOffset.UtcNow,
    };

    private static async Task<(double Seconds, Percentiles Latency)> TimeAsync(Slot[] states, int writers, Func<Slot, int, Task> operation)
    {
        var latencies = new double[states.Length];
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < states.Length)
            {
                var started = Stopwatch.GetTimestamp();
                await operation(states[i], i + 1);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        })));
        return (clock.Elapsed.TotalSeconds, Percentiles.Of(latencies));
    }

    private sealed class Slot(TrialRecord state) : IGrainState<TrialRecord>
    {
        [System.Diagnostics.CodeAnalysis.AllowNull]
        public TrialRecord State { get; set; } = state;

        public string? ETag { get; set; }

        public bool RecordExists { get; set; }
    }
}
