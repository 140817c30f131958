using Microsoft.Extensions.DependencyInjection;
using VizierOrleans.Grains.Interfaces;
using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.Grains.State;
using VizierOrleans.Grains.Storage;

namespace VizierOrleans.Grains.Study;

/// <summary>
/// Reads a study's stored trials on activation. When the grain storage has an <see cref="IGrainStatePartitionReader"/>
/// (Azure Tables): first the study's block summaries (<see cref="TrialBlocks"/>, one range query of the study's
/// partition), then one paged range query per partition block that has no valid summary; else by asking every trial
/// grain (memory storage, where an activation is only a dictionary read). Trial grains stay the system of record; this
/// only reads.
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

    // Summary queries at once (each of at most ten rows).
    private const int SummaryParallelism = 4;

    // Trial-grain calls at once in the fallback.
    private const int GrainParallelism = 64;

    private readonly IGrainStatePartitionReader? _ranges = services.GetKeyedService<IGrainStatePartitionReader>(StorageNames.Vizier);

    /// <summary>The store of block summaries, when the grain storage keeps them (with range reads only).</summary>
    public IPartitionSummaryStore? Summaries { get; } = services.GetKeyedService<IGrainStatePartitionReader>(StorageNames.Vizier) is null
        ? null
        : services.GetKeyedService<IPartitionSummaryStore>(StorageNames.Vizier);

    /// <summary>True when trials are read by range queries rather than grain calls.</summary>
    public bool ReadsRanges => _ranges is not null;

    /// <summary>
    /// Every stored trial of <paramref name="studyName"/> with an id below <paramref name="limit"/>, in id order, with
    /// completed trials' intermediate measurements left out when <paramref name="compact"/> says so.
    /// </summary>
    public async Task<TrialLoad> LoadAsync(string studyName, long limit, bool compact, CancellationToken cancellationToken = default)
    {
        if (_ranges is not { } ranges)
        {
            return Compacted(await ReadGrainsAsync(studyName, limit, cancellationToken), compact);
        }

        // The summaries first: the ETag of a block's summary row is read before the block's rows, which is what makes a
        // summary written from those rows safe (see TrialBlocks).
        var blocks = VizierPartitionLayout.TrialPartitions(studyName, limit).Count();
        var summaries = Summaries is { } store ? await ReadSummariesAsync(store, studyName, blocks, cancellationToken) : [];
        var read = new TrialBlockSummary[blocks];
        var sealedBlocks = new HashSet<long>();
        var toRead = new List<long>();
        for (long block = 0; block < blocks; block++)
        {
            if (summaries.TryGetValue(block, out var stored) && TrialBlocks.Valid(block, stored.State))
            {
                read[block] = stored.State!;
                sealedBlocks.Add(block);
            }
            else
            {
                toRead.Add(block);
            }
        }

        var rows = await ReadRangesAsync(ranges, [.. toRead.Select(b => VizierPartitionLayout.TrialPartition(studyName, TrialBlocks.FirstId(b)))], id => id < limit, cancellationToken);
        var unsealed = new List<(TrialBlockSummary, string?)>();
        for (var i = 0; i < toRead.Count; i++)
        {
            var block = toRead[i];
            read[block] = TrialBlocks.Summarize(block, rows[i], compact);
            if (Summaries is not null && TrialBlocks.Sealable(block, rows[i]))
            {
                unsealed.Add((read[block], summaries.GetValueOrDefault(block)?.ETag));
            }
        }

        return new TrialLoad([.. read.SelectMany(b => b.Trials)], [.. read.SelectMany(b => b.WithoutMeasurements)], sealedBlocks, unsealed);
    }

    // The summaries by tens of blocks (keys that share all digits but the last), a few queries at once, off the grain's
    // scheduler: decoding runs on every core, and no response holds more than ten rows (about 0.4 MB for trials of two
    // parameters), so no reply buffer grows to the size of the whole study.
    private static async Task<Dictionary<long, StoredSummary<TrialBlockSummary>>> ReadSummariesAsync(IPartitionSummaryStore store, string studyName, int blocks, CancellationToken cancellationToken)
    {
        var tens = (blocks + 9) / 10;
        var read = new List<StoredSummary<TrialBlockSummary>>[tens];
        await Task.Run(
            () => Parallel.ForEachAsync(
                Enumerable.Range(0, tens),
                new ParallelOptions { MaxDegreeOfParallelism = SummaryParallelism, CancellationToken = cancellationToken },
                async (i, token) =>
                {
                    var prefix = TrialBlocks.Key(i * 10L)[..^1];
                    var rows = new List<StoredSummary<TrialBlockSummary>>();
                    await foreach (var stored in store.ReadAllAsync<TrialBlockSummary>(studyName, prefix, token))
                    {
                        rows.Add(stored);
                    }

                    read[i] = rows;
                }),
            cancellationToken);
        var summaries = new Dictionary<long, StoredSummary<TrialBlockSummary>>();
        foreach (var stored in read.SelectMany(r => r))
        {
            if (TrialBlocks.FromKey(stored.Key) is { } block)
            {
                summaries[block] = stored;
            }
        }

        return summaries;
    }

    /// <summary>The stored trials of <paramref name="block"/> of <paramref name="studyName"/>, whole, in id order (range reads only).</summary>
    public async Task<List<Trial>> ReadBlockAsync(string studyName, long block, CancellationToken cancellationToken = default) =>
        _ranges is { } ranges
            ? (await ReadRangesAsync(ranges, [VizierPartitionLayout.TrialPartition(studyName, TrialBlocks.FirstId(block))], _ => true, cancellationToken))[0]
            : throw new InvalidOperationException("Trial blocks are read by range queries only.");

    /// <summary>
    /// The stored trials among <paramref name="ids"/>, whole, by id: per partition block, from the block's whole copy
    /// when it is valid (one row), else from the block's rows (<paramref name="readByRows"/> hears of each such block).
    /// </summary>
    public async Task<Dictionary<long, Trial>> ReadIdsAsync(string studyName, IReadOnlyCollection<long> ids, Action<long>? readByRows = null, CancellationToken cancellationToken = default)
    {
        var wanted = ids.ToHashSet();
        if (_ranges is not { } ranges)
        {
            return (await ReadGrainsAsync(studyName, wanted, cancellationToken)).Where(t => wanted.Contains(t.Id)).ToDictionary(t => t.Id);
        }

        var blocks = wanted.Select(TrialBlocks.Of).Distinct().Order().ToList();
        var copies = new List<Trial>?[blocks.Count];
        if (Summaries is { } store)
        {
            // A few at a time, off the grain's scheduler (decoding is CPU work), as the range reads go.
            await Task.Run(
                () => Parallel.ForEachAsync(
                    Enumerable.Range(0, blocks.Count),
                    new ParallelOptions { MaxDegreeOfParallelism = SummaryParallelism, CancellationToken = cancellationToken },
                    async (i, token) =>
                    {
                        var whole = await store.ReadAsync<TrialBlockSummary>(studyName, TrialBlocks.WholeKey(blocks[i]), token);
                        copies[i] = TrialBlocks.Valid(blocks[i], whole?.State) && whole!.State!.WithoutMeasurements.Count == 0 ? whole.State.Trials : null;
                    }),
                cancellationToken);
        }

        var missing = blocks.Where((_, i) => copies[i] is null).ToList();
        missing.ForEach(b => readByRows?.Invoke(b));
        var rows = await ReadRangesAsync(ranges, [.. missing.Select(b => VizierPartitionLayout.TrialPartition(studyName, TrialBlocks.FirstId(b)))], wanted.Contains, cancellationToken);
        return copies.OfType<List<Trial>>().SelectMany(c => c).Concat(rows.SelectMany(r => r)).Where(t => wanted.Contains(t.Id)).ToDictionary(t => t.Id);
    }

    private static TrialLoad Compacted(List<Trial> trials, bool compact)
    {
        var summary = TrialBlocks.Summarize(0, trials, compact);
        return new TrialLoad(summary.Trials, [.. summary.WithoutMeasurements], [], []);
    }

    // One paged query per block, at most PartitionParallelism at once; per block, the trials for which wanted is true, in id order.
    private static async Task<List<Trial>[]> ReadRangesAsync(IGrainStatePartitionReader ranges, List<string> blocks, Func<long, bool> wanted, CancellationToken cancellationToken)
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

                    trials.Sort((a, b) => a.Id.CompareTo(b.Id));
                    read[i] = trials;
                }),
            cancellationToken);
        return read;
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
