using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using VizierOrleans.Grains.Hosting;
using VizierOrleans.Grains.Interfaces;
using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.Grains.State;

namespace VizierOrleans.Grains.Study;

/// <summary>
/// What one study activation knows: the committed study record, the trial index (read from the trials' storage on
/// activation by <see cref="StudyTrialReader"/>; each trial grain is the system of record for its trial), id allocation, leases, stop decisions and the
/// gate every write passes. The grain's operations share it.
/// </summary>
internal sealed class StudyContext(
    string name,
    CommittedState<StudyDocument, StudyRecord?> record,
    IGrainFactory grains,
    StudyTrialReader reader,
    TimeProvider time,
    LeaseClock leaseClock,
    StudyOptions options,
    ILogger logger,
    Func<Func<Task>, TimeSpan, IDisposable> schedule,
    Action deactivate)
{
    private static readonly TimeSpan StopDecisionLifetime = TimeSpan.FromSeconds(2);

    /// <summary>The study's resource name.</summary>
    public string Name { get; } = name;

    public TimeProvider Time { get; } = time;

    public StudyOptions Options { get; } = options;

    public ILogger Logger { get; } = logger;

    public StudyGate Gate { get; } = new();

    /// <summary>The trials; compact (completed trials without intermediate measurements) when no policy of the study reads curves.</summary>
    public TrialIndex Trials { get; } = new(() => record.Value is { } current && !TrialCurves.NeededInMemory(current.Config));

    public TrialIdAllocator Ids { get; } = new();

    public LeaseTracker Leases { get; } = new(leaseClock.Time);

    public StopDecisionCache Stops { get; } = new(time, StopDecisionLifetime);

    public StudyTrialGrains TrialGrains { get; } = new(grains, name);

    /// <summary>
    /// This activation, as the creator of the trials it stores. Another activation may run at the same time (the silo
    /// of this one was declared dead, but it still runs), and both allocate ids from the reservation in the study
    /// record; a trial grain hands an id to one creator only, so neither hands out the other's trial.
    /// </summary>
    public Guid Activation { get; } = Guid.NewGuid();

    /// <summary>Ids whose creation failed and that storage may still hold: a study delete deletes them too.</summary>
    public HashSet<long> SkippedIds { get; } = [];

    public IPolicyWorkerGrain PolicyWorker { get; } = grains.GetGrain<IPolicyWorkerGrain>(0);

    /// <summary>The owner's summary of this study, kept current.</summary>
    public SummaryPublisher Summary => _summary ??= new SummaryPublisher(this, grains, schedule);

    private SummaryPublisher? _summary;

    /// <summary>The summaries of the study's sealed trial blocks, written as blocks fill up with final trials.</summary>
    public TrialBlockSeals Seals => _seals ??= new TrialBlockSeals(this, reader, schedule);

    private TrialBlockSeals? _seals;

    /// <summary>The study record, or null when the study does not exist.</summary>
    public StudyRecord? Stored => record.Value;

    /// <summary>The study record; <see cref="NotFoundException"/> when the study does not exist.</summary>
    public StudyRecord Record => record.Value ?? throw new NotFoundException(Name);

    /// <summary>The record of an ACTIVE study; <see cref="FailedPreconditionException"/> otherwise.</summary>
    public StudyRecord RequireActive()
    {
        var current = Record;
        return current.State == StudyState.Active
            ? current
            : throw new FailedPreconditionException($"{Name} is {current.State.ToString().ToUpperInvariant()} and cannot be changed; set it ACTIVE first.");
    }

    /// <summary>Writes the study record (the caller holds the gate exclusively, or shared as the one suggest batch running: no two writes of it overlap); readers see it once stored.</summary>
    public Task<StudyRecord?> WriteRecordAsync(StudyRecord next) =>
        ReferenceEquals(next, record.Value) ? Task.FromResult<StudyRecord?>(next) : record.WriteAsync(next);

    /// <summary>Deletes the study record.</summary>
    public Task ClearRecordAsync() => record.ClearAsync(null);

    /// <summary>Puts a trial into the index unless it holds a newer copy; returns the trial.</summary>
    public Trial Remember(Trial trial)
    {
        Summary.MarkChanged();
        Seals.Changed(trial);
        return Trials.Remember(trial);
    }

    /// <summary>Forgets a deleted trial: index, lease and stop decision.</summary>
    public void Forget(long trialId)
    {
        Trials.Remove(trialId);
        SkippedIds.Remove(trialId);
        Leases.Forget(trialId);
        Stops.Forget(trialId);
        Seals.Deleted(trialId);
        Summary.MarkChanged();
    }

    /// <summary>The study as the service reports it.</summary>
    public StudyInfo Info(StudyRecord record) => new()
    {
        Name = Name,
        Config = record.Config,
        State = record.State,
        StateReason = record.StateReason,
        CreateTime = record.CreateTime,
        Metadata = record.Metadata,
    };

    /// <summary>
    /// <paramref name="trial"/> from the index as callers see it: whole, read from storage when the index holds it
    /// without its intermediate measurements (a copy older than the index's cannot come back: storage is written first).
    /// </summary>
    public async Task<Trial> WholeAsync(Trial trial) =>
        Trials.IsCompacted(trial.Id) && await TrialGrains.Grain(trial.Id).GetAsync() is { } stored && stored.Version >= trial.Version ? stored : trial;

    /// <summary><paramref name="trials"/> from the index, whole (as <see cref="WholeAsync(Trial)"/>), in their order.</summary>
    public async Task<ImmutableList<Trial>> WholeAsync(IReadOnlyList<Trial> trials)
    {
        var compacted = trials.Where(t => Trials.IsCompacted(t.Id)).Select(t => t.Id).ToList();
        if (compacted.Count == 0)
        {
            return [.. trials];
        }

        // A block read by its rows may be sealable without a whole copy yet (an activation that found its compact
        // summary): the seal pass writes it.
        var stored = await reader.ReadIdsAsync(Name, compacted, Seals.Touch);
        return [.. trials.Select(t => stored.TryGetValue(t.Id, out var whole) && whole.Version >= t.Version ? whole : t)];
    }

    /// <summary>The trial, or <see cref="NotFoundException"/>.</summary>
    public Trial Find(long trialId) => Trials.TryFind(trialId) ?? throw new NotFoundException(ResourceNames.Trial(Name, trialId));

    /// <summary>
    /// Completes the study when it will create no new trial and none is pending. The caller holds the gate exclusively,
    /// so no batch is half-applied: the trials of a batch being created are never missed.
    /// </summary>
    public async Task<StudyRecord> FinishIfDoneAsync()
    {
        var current = Record;
        if (!StudyCompletion.IsFinished(current, Trials.Count, Trials.HasPending))
        {
            return current;
        }

        var reason = StudyCompletion.ExhaustionReason(current, Trials.Count);
        var completed = await record.WriteAsync(current with { State = StudyState.Completed, StateReason = reason });
        StudyLog.StudyCompleted(Logger, Name, reason);
        await Summary.TryPublishAsync();
        return completed!;
    }

    /// <summary>
    /// Stores new trials as this activation's (see <see cref="StudyTrialGrains.CreateAsync"/>). An id another
    /// activation created means this one's index is stale: it deactivates (the failure, an
    /// <see cref="Orleans.Storage.InconsistentStateException"/>, tells the client to retry, which reloads the study).
    /// </summary>
    public async Task<(List<Trial> Stored, Exception? Failure)> CreateTrialsAsync(IReadOnlyList<Trial> trials)
    {
        var (stored, failure) = await TrialGrains.CreateAsync(trials, Activation);
        if (failure is Orleans.Storage.InconsistentStateException)
        {
            StudyLog.StaleActivation(Logger, failure, Name);
            deactivate();
        }

        return (stored, failure);
    }

    /// <summary>This activation's view is stale (another activation wrote what it holds): it deactivates, the next call reloads.</summary>
    public void Deactivate() => deactivate();

    /// <summary>Loads the trials after activation and restores the id allocator.</summary>
    public async Task LoadAsync()
    {
        // Every activation tells the owner what it holds, which mends a summary lost with a silo.
        Summary.MarkChanged();
        if (record.Value is not { } current)
        {
            return;
        }

        var load = await reader.LoadAsync(Name, TrialIdAllocator.ProbeLimit(current), compact: !TrialCurves.NeededInMemory(current.Config));
        Trials.Load(load.Trials, load.WithoutMeasurements);
        Seals.Loaded(load);
        Ids.Restore(current, Trials.All.LastOrDefault()?.Id ?? 0);
        StudyLog.TrialsLoaded(Logger, Name, Trials.Count);
    }

    /// <summary>Forgets everything about the trials (after the study was deleted, or before it is created anew).</summary>
    public void Reset()
    {
        Trials.Clear();
        Leases.Clear();
        Stops.Clear();
        SkippedIds.Clear();
        Seals.Reset();
        Ids.Reset();
    }
}
