using System.Collections.Immutable;
using System.Diagnostics;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Storage;
using VizierOrleans.Grains.State;
using VizierOrleans.Grains.Storage;
using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.Persistence.AzureTables.Hosting;

namespace VizierOrleans.LoadGenerator;

/// <summary>Grain-storage latency on Azure Tables (Azurite locally): reads, inserts and replaces of trial-sized states.</summary>
public static class StorageBenchmark
{
    /// <summary>The providers the benchmark compares.</summary>
    public static readonly string[] Providers = ["vizier", "vizier-batched", "orleans"];

    public static async Task<string> RunAsync(string connectionString, int operations, int writers, string provider)
    {
        // A silo on this machine hosts the provider exactly as a real silo does (options, lifecycle, serializer); the
        // benchmark then calls the provider directly, without grains.
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var serviceId = $"bench{Guid.NewGuid():N}";
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(FreePort(), FreePort(), serviceId: serviceId, clusterId: serviceId);
            switch (provider)
            {
                case "vizier" or "vizier-batched":
                    // The partition layout the grains register (AddVizierGrains): trials share partitions by id blocks.
                    silo.Services.AddSingleton<IStoragePartitionLayout, VizierPartitionLayout>();
                    silo.AddVizierAzureTableGrainStorage("bench", o =>
                    {
                        o.ConnectionString = connectionString;
                        o.TableName = "StorageBenchmark";
                        o.BatchWrites = provider == "vizier-batched";
                    });
                    break;
                case "orleans":
                    // As the silo configures it (Vizier:Storage=OrleansAzureTable): Orleans' binary storage serializer.
                    silo.AddAzureTableGrainStorage("bench", o => o.Configure<Orleans.Serialization.Serializer>((options, serializer) =>
                    {
                        options.TableName = "StorageBenchmarkOrleans";
                        options.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
                        options.TableServiceClient = new TableServiceClient(connectionString);
                    }));
                    break;
                default:
                    throw new ArgumentException($"--provider must be one of: {string.Join(", ", Providers)}; was '{provider}'.", nameof(provider));
            }
        });
        using var host = builder.Build();
        await host.StartAsync();
        var storage = host.Services.GetRequiredKeyedService<IGrainStorage>("bench");
        try
        {
            return await MeasureAsync(storage, provider, operations, writers);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static async Task<string> MeasureAsync(IGrainStorage storage, string provider, int operations, int writers)
    {
        var states = Enumerable.Range(1, operations).Select(i => new Slot(new TrialRecord { Trial = Trial(i) })).ToArray();
        var insert = await TimeAsync(states, writers, (s, i) => storage.WriteStateAsync("trial", Id(i), s));
        foreach (var s in states)
        {
            s.State.Trial = s.State.Trial! with { State = TrialState.Succeeded, FinalMeasurement = Measurement.Of("loss", 1) };
        }

        var replace = await TimeAsync(states, writers, (s, i) => storage.WriteStateAsync("trial", Id(i), s));
        var read = await TimeAsync(states, writers, (_, i) => storage.ReadStateAsync("trial", Id(i), new Slot(new TrialRecord())));
        return string.Join(Environment.NewLine,
            "| provider | operation | writers | ops | ops/s | p50 ms | p99 ms |",
            "|---|---|---|---|---|---|---|",
            Row("insert", insert),
            Row("replace (If-Match)", replace),
            Row("read", read));

        string Row(string name, (double Seconds, Percentiles Latency) r) =>
            string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"| {provider} | {name} | {writers} | {operations} | {operations / r.Seconds:F0} | {r.Latency.P50:F2} | {r.Latency.P99:F2} |");
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
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
