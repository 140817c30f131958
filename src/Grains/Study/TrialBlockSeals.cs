using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.Grains.State;
using VizierOrleans.Grains.Storage;

namespace VizierOrleans.Grains.Study;

/// <summary>
/// Writes the summaries of a study's sealed trial blocks (<see cref="TrialBlocks"/>), so that the next activation
/// reads one row per block instead of its 500 trial rows. A block whose trials all reached a final state is sealed
/// within a second, off the request path: read the summary row's ETag, then the block's rows, then write the summary
/// from those rows with that ETag. The rows, not this activation's index, are the source, so a change this activation
/// never heard of (a call that timed out, another activation's write) is either in the rows or refuses the write.
/// </summary>
internal sealed class TrialBlockSeals(StudyContext study, StudyTrialReader reader, Func<Func<Task>, TimeSpan, IDisposable> schedule)
{
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);

    private readonly IPartitionSummaryStore? _store = reader.Summaries;
    private readonly HashSet<long> _sealed = [];
    private readonly HashSet<long> _touched = [];
    private List<(TrialBlockSummary Summary, string? ETag)> _loaded = [];
    private IDisposable? _timer;
    private Task _pass = Task.CompletedTask;
    private bool _suspended;

    /// <summary>True when this activation knows <paramref name="block"/>'s summary to be stored and valid.</summary>
    public bool IsSealed(long block) => _sealed.Contains(block);

    /// <summary>After activation: the blocks read from summaries, and the sealable ones read row by row, to seal now.</summary>
    public void Loaded(TrialLoad load)
    {
        if (_store is null)
        {
            return;
        }

        _sealed.UnionWith(load.SealedBlocks);
        _loaded = load.Unsealed;
        if (_loaded.Count > 0)
        {
            // Their whole copies follow in the pass after (it reads their rows again: they were not kept whole).
            _touched.UnionWith(_loaded.Select(l => l.Summary.Block));
            Schedule(TimeSpan.Zero);
        }
    }

    /// <summary>A trial changed (as stored); a final one may have completed its block, or changed a sealed block (whose trial grain invalidated the summary).</summary>
    public void Changed(Trial trial)
    {
        if (_store is null || !trial.State.IsCompleted())
        {
            return;
        }

        var block = TrialBlocks.Of(trial.Id);
        _sealed.Remove(block);
        _touched.Add(block);
        Schedule(Delay);
    }

    /// <summary>A block was read by its rows for a page: it is sealed (or given its whole copy) if it can be.</summary>
    public void Touch(long block)
    {
        if (_store is null || _suspended)
        {
            return;
        }

        _sealed.Remove(block);
        _touched.Add(block);
        Schedule(Delay);
    }

    /// <summary>A trial was deleted: its block has a gap now and is never sealed again (its trial grain invalidated the summary).</summary>
    public void Deleted(long trialId)
    {
        _sealed.Remove(TrialBlocks.Of(trialId));
        _touched.Remove(TrialBlocks.Of(trialId));
    }

    /// <summary>
    /// Before the study's trials are deleted: no summary is written from here on, and every summary row of the study is
    /// invalidated, so a delete that fails half-way leaves no summary of deleted trials.
    /// </summary>
    public async Task SuspendAndInvalidateAsync(long probeLimit)
    {
        _suspended = true;
        _timer?.Dispose();
        _timer = null;
        await _pass;
        if (_store is { } store)
        {
            foreach (var key in await KeysAsync(store, probeLimit))
            {
                await store.InvalidateAsync(study.Name, key, CancellationToken.None);
            }
        }
    }

    /// <summary>After the study's trials are deleted: its summary rows go too (a summary written meanwhile by another activation among them).</summary>
    public async Task DeleteAllAsync(long probeLimit)
    {
        if (_store is { } store)
        {
            foreach (var key in await KeysAsync(store, probeLimit))
            {
                await store.DeleteAsync(study.Name, key, CancellationToken.None);
            }
        }
    }

    /// <summary>Forgets everything (the study was deleted, or is created anew).</summary>
    public void Reset()
    {
        _sealed.Clear();
        _touched.Clear();
        _loaded = [];
        _suspended = false;
    }

    /// <summary>On deactivation: blocks waiting to be sealed are sealed if storage answers quickly (else the next activation seals them).</summary>
    public async Task FlushAsync()
    {
        _timer?.Dispose();
        _timer = null;
        try
        {
            await RunAsync().WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            // The next activation reads those blocks row by row and seals them.
        }
    }

    private void Schedule(TimeSpan due) => _timer ??= schedule(OnTimerAsync, due);

    private Task OnTimerAsync()
    {
        _timer?.Dispose();
        _timer = null;
        return RunAsync();
    }

    // One pass at a time; a pass takes what is touched meanwhile too.
    private Task RunAsync() => _pass.IsCompleted ? _pass = PassAsync() : _pass;

    private async Task PassAsync()
    {
        var loaded = _loaded;
        _loaded = [];
        foreach (var (summary, etag) in loaded)
        {
            await WriteAsync(summary, etag);
        }

        while (_touched.Count > 0 && !_suspended)
        {
            var blocks = _touched.Order().ToList();
            _touched.Clear();
            foreach (var block in blocks.Where(b => !_sealed.Contains(b) && IndexShowsSealable(b)))
            {
                await SealAsync(block);
            }
        }
    }

    private bool IndexShowsSealable(long block)
    {
        var first = TrialBlocks.FirstId(block);
        for (var id = first; id < first + TrialBlocks.Size; id++)
        {
            if (study.Trials.TryFind(id) is not { } trial || !trial.State.IsCompleted())
            {
                return false;
            }
        }

        return true;
    }

    private async Task SealAsync(long block)
    {
        try
        {
            if (study.Stored is not { } record)
            {
                return;
            }

            // The ETags first, then the rows: a change after these reads refuses the writes below. A compact study also
            // keeps a whole copy, for pages of whole trials; a study that keeps curves in memory summarizes them anyway.
            var compact = !TrialCurves.NeededInMemory(record.Config);
            var current = await _store!.ReadAsync<TrialBlockSummary>(study.Name, TrialBlocks.Key(block), CancellationToken.None);
            var whole = compact ? await _store.ReadAsync<TrialBlockSummary>(study.Name, TrialBlocks.WholeKey(block), CancellationToken.None) : null;
            var currentValid = TrialBlocks.Valid(block, current?.State);
            var wholeValid = !compact || TrialBlocks.Valid(block, whole?.State);
            if (currentValid)
            {
                _sealed.Add(block);
            }

            if (currentValid && wholeValid)
            {
                return;
            }

            var rows = await reader.ReadBlockAsync(study.Name, block);
            if (!TrialBlocks.Sealable(block, rows))
            {
                return;
            }

            if (!currentValid)
            {
                await WriteAsync(TrialBlocks.Summarize(block, rows, compact), current?.ETag);
            }

            if (!wholeValid && !_suspended)
            {
                await StoreAsync(TrialBlocks.WholeKey(block), () => TrialBlocks.Summarize(block, rows, compact: false), whole?.ETag);
            }
        }
        catch (Exception e)
        {
            StudyLog.BlockNotSealed(study.Logger, e, study.Name, block);
        }
    }

    private async Task WriteAsync(TrialBlockSummary summary, string? etag)
    {
        if (_suspended)
        {
            return;
        }

        try
        {
            if (await StoreAsync(TrialBlocks.Key(summary.Block), () => summary, etag) is not null)
            {
                _sealed.Add(summary.Block);
            }
            else
            {
                // Something changed in the block since its rows were read; a later change seals it again.
                StudyLog.BlockSealRefused(study.Logger, study.Name, summary.Block);
            }
        }
        catch (Exception e)
        {
            // Too large for one row (Azure's entity limit), or storage failed: the block stays on range reads.
            StudyLog.BlockNotSealed(study.Logger, e, study.Name, summary.Block);
        }
    }

    /// <summary>
    /// Builds, serializes and compresses a block's row on the thread pool: CPU work over 500 trials that would otherwise
    /// hold up the study's suggest and complete calls on its scheduler. Only captured values are touched there.
    /// </summary>
    private Task<string?> StoreAsync(string key, Func<TrialBlockSummary> build, string? etag)
    {
        var (name, store) = (study.Name, _store!);
        return Task.Run(() => store.TryWriteAsync(name, key, build(), etag, CancellationToken.None));
    }

    private async Task<List<string>> KeysAsync(IPartitionSummaryStore store, long probeLimit)
    {
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        for (long block = 0; TrialBlocks.FirstId(block) < probeLimit; block++)
        {
            keys.Add(TrialBlocks.Key(block));
        }

        for (long block = 0; TrialBlocks.FirstId(block) < probeLimit; block++)
        {
            keys.Add(TrialBlocks.WholeKey(block));
        }

        foreach (var prefix in new[] { TrialBlocks.KeyPrefix, TrialBlocks.WholeKeyPrefix })
        {
            await foreach (var stored in store.ReadAllAsync<TrialBlockSummary>(study.Name, prefix, CancellationToken.None))
            {
                keys.Add(stored.Key);
            }
        }

        return [.. keys];
    }
}
