using System.Collections.Immutable;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains.Interfaces;

/// <summary>
/// One trial's full record, keyed by the trial's resource name. Its study grain is the only caller: it checks the
/// study's rules first; the trial grain owns the trial state machine.
/// </summary>
[Alias("vizier.ITrialGrain")]
public interface ITrialGrain : IGrainWithStringKey
{
    /// <summary>The trial, or null if it does not exist.</summary>
    [Alias("Get")]
    Task<Trial?> GetAsync();

    /// <summary>
    /// Stores a new trial created by the study activation <paramref name="creator"/>; that activation's repeat of the
    /// call returns the stored trial. The id held by another activation's trial (two activations of one study after a
    /// failover) is refused with <see cref="Orleans.Storage.InconsistentStateException"/>: the caller's view is stale.
    /// </summary>
    [Alias("Create")]
    Task<Trial> CreateAsync(Trial trial, Guid creator);

    /// <summary>
    /// The trial if <paramref name="creator"/>'s <see cref="CreateAsync"/> stored it, else null: a creator whose call
    /// failed learns whether the write happened anyway, without taking another activation's trial for its own.
    /// </summary>
    [Alias("GetCreated")]
    Task<Trial?> GetCreatedAsync(Guid creator);

    /// <summary>REQUESTED -> ACTIVE for <paramref name="clientId"/>.</summary>
    [Alias("Activate")]
    Task<Trial> ActivateAsync(string clientId);

    /// <summary>
    /// ACTIVE (held by <paramref name="clientId"/>) -> REQUESTED, because its worker's lease ran out. Returns the trial
    /// unchanged when it is no longer ACTIVE with that client (it was completed or reassigned meanwhile).
    /// </summary>
    [Alias("Release")]
    Task<Trial> ReleaseAsync(string clientId);

    /// <summary>Adds an intermediate measurement (ACTIVE or STOPPING).</summary>
    [Alias("AddMeasurement")]
    Task<Trial> AddMeasurementAsync(Measurement measurement);

    /// <summary>Completes as SUCCEEDED (final or last measurement) or, with a reason, INFEASIBLE. An identical repeat returns the stored trial.</summary>
    [Alias("Complete")]
    Task<Trial> CompleteAsync(Measurement? finalMeasurement, string? infeasibleReason);

    /// <summary>ACTIVE -> STOPPING; no-op when STOPPING or SUCCEEDED.</summary>
    [Alias("Stop")]
    Task<Trial> StopAsync(string reason);

    /// <summary>Sets trial metadata items.</summary>
    [Alias("UpdateMetadata")]
    Task<Trial> UpdateMetadataAsync(ImmutableList<MetadataItem> items);

    /// <summary>Deletes the trial record (a completed trial first invalidates its block's summary).</summary>
    [Alias("Delete")]
    Task DeleteAsync();

    /// <summary>Deletes the trial record as part of deleting its whole study, which invalidates the block summaries itself.</summary>
    [Alias("DeleteWithStudy")]
    Task DeleteWithStudyAsync();
}
