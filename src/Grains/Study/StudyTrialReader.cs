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
    // each partition is read once, far below Azure's 2,000 entities/s per partition. Two, so that decoding one block
    // overlaps reading the next: Azurite serves one request at a time (four at once made each query 3x slower there).
    private const int PartitionParallelism = 2;

    // Trial-grain calls at once in the fallback.
    private const int GrainParallelism = 64;

    private readonly IGrainStatePartitionReader? _ranges = services.GetKeyedService<IGrainStatePartitionReader>(StorageNames.Vizier);

    /// <summary>True when trials are read by range queries rather than grain calls.</summary>
    public bool ReadsRanges => _ranges is not null;

    /// <summary>Every stored trial of <paramref name="studyName"/> with an id below <paramref name="limit"/>, in id order.</summary>
    public Task<List<Trial>> ReadAsync(string studyName, long limit, CancellationToken cancellationToken = default) =>
        _ranges is { } ranges ? ReadRangesAsync(ranges, studyName, limit, cancellationToken) : ReadGrainsAsync(studyName, limit, cancellationToken);

    /// <summary>The stored trials among <paramref name="ids"/> (reading the partition blocks that hold them), by id.</summary>
    public async Task<Dictionary<long, Trial>> ReadIdsAsync(string studyName, IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default)
    {
        var wanted = ids.ToHashSet();
        var read = _ranges is { } ranges
            ? await ReadRangesAsync(ranges, [.. wanted.Select(id => VizierPartitionLayout.TrialPartition(studyName, id)).Distinct()], wanted.Contains, cancellationToken)
            : await ReadGrainsAsync(studyName, wanted, cancellationToken);
        return read.Where(t => wanted.Contains(t.Id)).ToDictionary(t => t.Id);
    }

    private static Task<List<Trial>> ReadRangesAsync(IGrainStatePartitionReader ranges, string studyName, long limit, CancellationToken cancellationToken) =>
        ReadRangesAsync(ranges, [.. VizierPartitionLayout.TrialPartitions(studyName, limit)], id => id < limit, cancellationToken);

    // One paged query per block, at most PartitionParallelism at once; the trials for which wanted is true, in id order.
    private static async Task<List<Trial>> ReadRangesAsync(IGrainStatePartitionReader ranges, List<string> blocks, Func<long, bool> wanted, CancellationToken cancellationToken)
    {
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
                        if (state.Trial is { } trial && wanted(trial.Id))
                        {
                            trials.Add(trial);
                        }
                    }

                    read[i] = trials;
                }),
            cancellationToken);
        return [.. read.SelectMany(b => b).OrderBy(t => t.Id)];
    }

    private Task<List<Trial>> ReadGrainsAsync(string studyName, long limit, CancellationToken cancellationToken) =>
        ReadGrainsAsync(studyName, [.. Enumerable.Range(1, (int)Math.Max(0, limit - 1)).Select(i => (long)i)], cancellationToken);

    private async Task<List<Trial>> ReadGrainsAsync(string studyName, IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        var ordered = ids.Order().ToArray();
        var loaded = new Trial?[ordered.Length];
        var options = new ParallelOptions { MaxDegreeOfParallelism = GrainParallelism, TaskScheduler = TaskScheduler.Current, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, ordered.Length), options, async (i, _) =>
            loaded[i] = await grains.GetGrain<ITrialGrain>(ResourceNames.Trial(studyName, ordered[i])).GetAsync());
        return [.. loaded.OfType<Trial>()];
    }
}
