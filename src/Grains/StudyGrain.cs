using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using VizierOrleans.Grains.Events;
using VizierOrleans.Grains.Algorithms;
using VizierOrleans.Grains.Hosting;
using VizierOrleans.Grains.Interfaces;
using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.Grains.State;
using VizierOrleans.Grains.Study;

namespace VizierOrleans.Grains;

/// <summary>
/// One study: the <see cref="IStudyGrain"/> surface and its wiring. The work lives in plain types under
/// <c>Study/</c>: <see cref="SuggestOperations"/>, <see cref="SuggestBatcher"/> and <see cref="SuggestBatchRunner"/> (suggest), <see cref="TrialWrites"/>,
/// <see cref="TrialCreations"/> and <see cref="StudyWrites"/> (every write), over one <see cref="StudyContext"/>.
/// </summary>
/// <remarks>
/// Reentrant, so that reads never wait behind a suggestion computation (which runs on a policy-worker grain); every
/// write instead passes the one serialization point <see cref="StudyGate"/>, whose remarks say why Orleans'
/// non-reentrant scheduling does not fit. Readers see the study record only after its write succeeded.
/// </remarks>
[Reentrant, GrainType("study")]
internal sealed class StudyGrain : Grain, IStudyGrain
{
    private readonly StudyContext _study;
    private readonly StudyWrites _writes;
    private readonly TrialCreations _creations;
    private readonly TrialWrites _trialWrites;
    private readonly SuggestOperations _suggests;

    /// <summary>Wires the study's parts over its storage slot.</summary>
    public StudyGrain(
        [PersistentState("study", StorageNames.Vizier)] IPersistentState<StudyDocument> state,
        AlgorithmCatalog catalog,
        StudyTrialReader reader,
        TimeProvider time,
        LeaseClock leaseClock,
        IOptions<StudyOptions> options,
        ILogger<StudyGrain> logger)
    {
        var name = this.GetPrimaryKeyString();
        _study = new StudyContext(name, new(state, d => d.Study, (d, r) => d.Study = r, DeactivateOnIdle, (previous, stored) => Published(name, previous, stored, time)), GrainFactory, reader, time, leaseClock, options.Value, logger, Schedule, DeactivateOnIdle);
        _writes = new StudyWrites(_study, catalog);
        _creations = new TrialCreations(_study);
        _trialWrites = new TrialWrites(_study);
        _suggests = new SuggestOperations(_study, new SuggestBatcher(new SuggestBatchRunner(_study).ServeAsync, time));
    }

    // A one-shot timer on this grain's scheduler (interleaving, like every call of this reentrant grain).
    private IDisposable Schedule(Func<Task> callback, TimeSpan due) =>
        this.RegisterGrainTimer(_ => callback(), new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan) { Interleave = true });

    // Study events (dashboard feed) for a stored study record: created or state changed, or deleted. The owner's
    // summary follows every stored change too (metadata among them).
    private void Published(string name, StudyRecord? previous, StudyRecord? stored, TimeProvider time)
    {
        _study.Summary.MarkChanged();
        if (stored is null)
        {
            StudyEventPublisher.StudyDeleted(ServiceProvider, name, time.GetUtcNow());
        }
        else
        {
            StudyEventPublisher.StudySaved(ServiceProvider, name, previous?.State, stored.State, time.GetUtcNow());
        }
    }

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        ResourceNames.ParseStudy(_study.Name);
        return _study.LoadAsync();
    }

    /// <inheritdoc />
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await _study.Seals.FlushAsync();
        await _study.Summary.FlushAsync();
    }

    /// <inheritdoc />
    public Task RefreshSummaryAsync() => _study.Summary.PublishAsync();

    /// <inheritdoc />
    public async Task<StudyInfo> CreateOrLoadAsync(StudyConfig config, bool requireSameConfig)
    {
        ArgumentNullException.ThrowIfNull(config);
        return ToInfo(await _writes.CreateOrLoadAsync(config, requireSameConfig));
    }

    /// <inheritdoc />
    public Task<StudyInfo> GetAsync() => Task.FromResult(ToInfo(_study.Record));

    /// <inheritdoc />
    public async Task<StudyInfo> SetStateAsync(StudyState newState)
    {
        if (newState is not (StudyState.Active or StudyState.Inactive or StudyState.Completed))
        {
            throw new InvalidArgumentException($"Study state {newState} is not one of ACTIVE, INACTIVE, COMPLETED.");
        }

        return ToInfo(await _writes.UpdateAsync(r => r with { State = newState, StateReason = $"set to {newState} by request" }, requireActive: false));
    }

    /// <inheritdoc />
    public async Task DeleteAsync()
    {
        await _writes.DeleteAsync();
        DeactivateOnIdle();
    }

    /// <inheritdoc />
    public Task<SuggestResult> SuggestAsync(int count, string clientId) => _suggests.Enqueue(count, clientId).Completion.Task;

    /// <inheritdoc />
    public Task<SuggestOperation> StartSuggestAsync(int count, string clientId, TimeSpan wait) => _suggests.StartAsync(count, clientId, wait);

    /// <inheritdoc />
    public Task<SuggestOperation> GetSuggestOperationAsync(long operationId, TimeSpan wait) => _suggests.GetAsync(operationId, wait);

    /// <inheritdoc />
    public Task<Trial> CreateTrialAsync(TrialRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _creations.CreateAsync(request);
    }

    /// <inheritdoc />
    public Task<Trial> GetTrialAsync(long trialId)
    {
        _ = _study.Record;
        return _study.WholeAsync(_study.Find(trialId));
    }

    /// <inheritdoc />
    public Task<ImmutableList<Trial>> ListTrialsAsync(TrialFilter filter)
    {
        _ = _study.Record;
        filter = Checked(filter);
        return Whole(Page(_study.Trials.After(filter.AfterId), filter), filter);
    }

    /// <inheritdoc />
    public Task<Trial> AddMeasurementAsync(long trialId, Measurement measurement)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        return _trialWrites.AddMeasurementAsync(trialId, measurement);
    }

    /// <inheritdoc />
    public Task<Trial> CompleteTrialAsync(long trialId, Measurement? finalMeasurement) =>
        _trialWrites.CompleteAsync(trialId, finalMeasurement, null);

    /// <inheritdoc />
    public Task<Trial> CompleteTrialInfeasibleAsync(long trialId, string reason) =>
        string.IsNullOrWhiteSpace(reason)
            ? throw new InvalidArgumentException($"trial {trialId}: completing as infeasible needs a reason.")
            : _trialWrites.CompleteAsync(trialId, null, reason);

    /// <inheritdoc />
    public Task<Trial> StopTrialAsync(long trialId) => _trialWrites.StopAsync(trialId, "stop requested");

    /// <inheritdoc />
    public Task<StopDecision> ShouldStopAsync(long trialId) => _trialWrites.ShouldStopAsync(trialId);

    /// <inheritdoc />
    public Task<ImmutableList<Trial>> ListOptimalTrialsAsync() => ListOptimalTrialsAsync(TrialFilter.All);

    /// <inheritdoc />
    public Task<ImmutableList<Trial>> ListOptimalTrialsAsync(TrialFilter filter)
    {
        filter = Checked(filter);
        var optimal = Objectives.Optimal(_study.Record.Config, _study.Trials.All);
        return Whole(Page(optimal.Where(t => t.Id > filter.AfterId), filter), filter);
    }

    private Task<ImmutableList<Trial>> Whole(ImmutableList<Trial> page, TrialFilter filter) =>
        filter.IntermediateMeasurements ? _study.WholeAsync(page) : Task.FromResult(page);

    private static TrialFilter Checked(TrialFilter? filter) =>
        filter?.Problem() is { } problem ? throw new InvalidArgumentException(problem) : filter ?? TrialFilter.All;

    // One page of the trials that match, without copying the others (as the index holds them: see StudyContext.WholeAsync).
    private static ImmutableList<Trial> Page(IEnumerable<Trial> trials, TrialFilter filter)
    {
        var matching = trials.Where(filter.Matches);
        return (filter.MaxCount > 0 ? matching.Take(filter.MaxCount) : matching).ToImmutableList();
    }

    /// <inheritdoc />
    public async Task<StudyInfo> UpdateStudyMetadataAsync(ImmutableList<MetadataItem> items) =>
        ToInfo(await _writes.UpdateAsync(r => r with { Metadata = r.Metadata.With(items) }, requireActive: true));

    /// <inheritdoc />
    public Task<Trial> UpdateTrialMetadataAsync(long trialId, ImmutableList<MetadataItem> items) =>
        _trialWrites.UpdateMetadataAsync(trialId, items);

    /// <inheritdoc />
    public Task DeleteTrialAsync(long trialId) => _writes.DeleteTrialAsync(trialId);

    private StudyInfo ToInfo(StudyRecord record) => _study.Info(record);
}
