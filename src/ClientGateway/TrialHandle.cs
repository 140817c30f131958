using System.Collections.Immutable;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.ClientGateway;

/// <summary>One trial: its parameters as typed values, and the calls a worker makes while evaluating it.</summary>
public sealed class TrialHandle
{
    private readonly StudyHandle _study;
    private Trial? _snapshot;

    internal TrialHandle(StudyHandle study, long id, Trial? snapshot)
    {
        _study = study;
        Id = id;
        _snapshot = snapshot;
    }

    /// <summary>The trial id within the study.</summary>
    public long Id { get; }

    /// <summary>The trial's resource name.</summary>
    public string Name => ResourceNames.Trial(_study.Name, Id);

    /// <summary>The trial as last seen by this handle (call <see cref="MaterializeAsync"/> to refresh).</summary>
    public Trial Snapshot => _snapshot ?? throw new InvalidOperationException($"{Name} has not been read yet; call MaterializeAsync first.");

    /// <summary>The parameter values.</summary>
    public ImmutableDictionary<string, ParameterValue> Parameters => Snapshot.Parameters;

    /// <summary>True once this handle completed the trial.</summary>
    internal bool ReportedCompletion { get; private set; }

    /// <summary>A numeric parameter (DOUBLE, INTEGER, DISCRETE).</summary>
    public double GetDouble(string name) => Get(name).AsDouble();

    /// <summary>An INTEGER parameter.</summary>
    public long GetInt64(string name) => Get(name).AsInt64();

    /// <summary>A CATEGORICAL parameter.</summary>
    public string GetString(string name) => Get(name).AsString();

    /// <summary>True when a (conditional) parameter is active in this trial.</summary>
    public bool Has(string name) => Parameters.ContainsKey(name);

    /// <summary>Reports an intermediate measurement (passing faults are retried; a repeat is not appended twice).</summary>
    public async Task AddMeasurementAsync(Measurement measurement) =>
        _snapshot = await _study.Retry.ExecuteAsync(_ => _study.Grain.AddMeasurementAsync(Id, measurement));

    /// <summary>
    /// Completes the trial as SUCCEEDED with <paramref name="finalMeasurement"/> (or its last intermediate measurement
    /// when null). Passing faults are retried; a repeated identical completion is accepted once.
    /// </summary>
    public async Task<Trial> CompleteAsync(Measurement? finalMeasurement = null)
    {
        _snapshot = await _study.Retry.ExecuteAsync(_ => _study.Grain.CompleteTrialAsync(Id, finalMeasurement));
        ReportedCompletion = true;
        return _snapshot;
    }

    /// <summary>Completes the trial as INFEASIBLE (passing faults are retried).</summary>
    public async Task<Trial> CompleteInfeasibleAsync(string reason)
    {
        _snapshot = await _study.Retry.ExecuteAsync(_ => _study.Grain.CompleteTrialInfeasibleAsync(Id, reason));
        ReportedCompletion = true;
        return _snapshot;
    }

    /// <summary>Whether the service wants this trial to stop early; when it does, complete it with what you have.</summary>
    public async Task<bool> ShouldStopAsync() => (await _study.Retry.ExecuteAsync(_ => _study.Grain.ShouldStopAsync(Id))).ShouldStop;

    /// <summary>Asks the worker holding the trial to stop (ACTIVE becomes STOPPING).</summary>
    public async Task StopAsync() => _snapshot = await _study.Grain.StopTrialAsync(Id);

    /// <summary>Sets trial metadata.</summary>
    public async Task UpdateMetadataAsync(params IEnumerable<MetadataItem> items) =>
        _snapshot = await _study.Grain.UpdateTrialMetadataAsync(Id, [.. items]);

    /// <summary>Reads the trial's current record from the service.</summary>
    public async Task<Trial> MaterializeAsync() => _snapshot = await _study.Retry.ExecuteAsync(_ => _study.Grain.GetTrialAsync(Id));

    /// <summary>
    /// Deletes the trial (its id is never reused). A trial that is already gone counts as deleted, so a retry after a
    /// lost answer succeeds.
    /// </summary>
    public Task DeleteAsync() => _study.Retry.ExecuteAsync(async _ =>
    {
        try
        {
            await _study.Grain.DeleteTrialAsync(Id);
        }
        catch (NotFoundException)
        {
            // Deleted already (by the call whose answer was lost), or never there.
        }
    });

    /// <summary>The worker loop gave up this trial because its race was settled elsewhere.</summary>
    internal void MarkSettled() => ReportedCompletion = true;

    private ParameterValue Get(string name) =>
        Parameters.TryGetValue(name, out var value)
            ? value
            : throw new KeyNotFoundException($"{Name} has no parameter '{name}' (active: {string.Join(", ", Parameters.Keys)}).");
}
