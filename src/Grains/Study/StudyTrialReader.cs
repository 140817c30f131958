using Microsoft.Extensions.DependencyInjection;
using VizierOrleans.Grains.Interfaces;
using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.Grains.State;
using VizierOrleans.Grains.Storage;

namespace VizierOrleans.Grains.Study;

/// <summary>
/// Reads a study's stored trials on activation: with one paged range query per trial partition block when the grain
/// storage has an <see cref="IGrainStatePartitionReader"/> (Azure Tables), else by asking every trial grain (memory
/// storage, where an activation is only a dictionary read). Trial grains stay the system of record; this only reads.
/// </summary>
internal sealed class StudyTrialReader(IServiceProvider services, IGrainFactory grains)
{
    // The trial grain's type and state name, as TrialGrain declares them (pinned: stored keys depend on them).
    private static readonly GrainType TrialType = GrainType.Create("trial");
    private const string TrialState = "trial";

    // Partitions read at once: each is one query of at most a block of trials (500, below Azure's 1,000 per page), and
    // each partition is read once, far below Azure's 2,000 entities/s per partition.
    private const int PartitionParallelism = 8;

    // Trial-grain calls at once in the fallback.
    private const int GrainParallelism = 64;

    private readonly IGrainStatePartitionReader? _ranges = services.GetKeyedService<IGrainStatePartitionReader>(StorageNames.Vizier);

    /// <summary>True when trials are read by range queries rather than grain calls.</summary>
    public bool ReadsRanges => _ranges is not null;

    /// <summary>Every stored trial of <paramref name="studyName"/> with an id below <paramref name="limit"/>, in id order.</summary>
    public Task<List<Trial>> ReadAsync(string studyName, long limit, CancellationToken cancellationToken = default) =>
        _ranges is { } ranges ? ReadRangesAsync(ranges, studyName, limit, cancellationToken) : ReadGrainsAsync(studyName, limit, cancellationToken);

    private static async Task<List<Trial>> ReadRangesAsync(IGrainStatePartitionReader ranges, string studyName, long limit, CancellationToken cancellationToken)
    {
        var blocks = VizierPartitionLayout.TrialPartitions(studyName, limit).ToList();
        var read = new List<Trial>[blocks.Count];

        // Off the grain's scheduler: decoding 100,000 trials is CPU work that may use every core.
        await Task.Run(
            () => Parallel.ForEachAsync(
                Enumerable.Range(0, blocks.Count),
                new ParallelOptions { MaxDegreeOfParallelism = PartitionParallelism, CancellationToken = cancellationToken },
                async (i, token) =>
                {
                    var trials = new List<Trial>(VizierPartitionLayout.TrialsPerPartition);
                    await foreach (var (_, state) in ranges.ReadPartitionAsync<TrialRecord>(blocks[i], TrialState, TrialType, token))
                    {
                        if (state.Trial is { } trial && trial.Id < limit)
                        {
                            trials.Add(trial);
                        }
                    }

                    read[i] = trials;
                }),
            cancellationToken);
        return [.. read.SelectMany(b => b).OrderBy(t => t.Id)];
    }

    private async Task<List<Trial>> ReadGrainsAsync(string studyName, long limit, CancellationToken cancellationToken)
    {
        var loaded = new Trial?[Math.Max(0, limit - 1)];
        var options = new ParallelOptions { MaxDegreeOfParallelism = GrainParallelism, TaskScheduler = TaskScheduler.Current, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(1, loaded.Length), options, async (id, _) =>
            loaded[id - 1] = await grains.GetGrain<ITrialGrain>(ResourceNames.Trial(studyName, id)).GetAsync());
        return [.. loaded.OfType<Trial>()];
    }
}
