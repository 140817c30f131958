using System.Collections.Immutable;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains.Interfaces;

/// <summary>
/// One study, keyed by its resource name <c>owners/{owner}/studies/{studyId}</c>: its config, state and trials,
/// and the coordination of suggestions. Workers call it directly.
/// </summary>
[Alias("vizier.IStudyGrain")]
public interface IStudyGrain : IGrainWithStringKey
{
    /// <summary>
    /// Creates the study, or loads it if it exists. With <paramref name="requireSameConfig"/>, an existing
    /// study whose config differs throws <see cref="StudyConfigMismatchException"/>; without, the stored study is returned.
    /// </summary>
    [Alias("CreateOrLoad")]
    Task<StudyInfo> CreateOrLoadAsync(StudyConfig config, bool requireSameConfig);

    /// <summary>The study; throws <see cref="NotFoundException"/> if it does not exist.</summary>
    [Alias("Get")]
    Task<StudyInfo> GetAsync();

    /// <summary>Sets ACTIVE, INACTIVE or COMPLETED.</summary>
    [Alias("SetState")]
    Task<StudyInfo> SetStateAsync(StudyState state);

    /// <summary>Deletes the study and all its trials.</summary>
    [Alias("Delete")]
    Task DeleteAsync();

    /// <summary>
    /// Hands out up to <paramref name="count"/> trials to <paramref name="clientId"/>: its own ACTIVE trials first,
    /// then REQUESTED ones, then new ones from the algorithm (surplus stored as REQUESTED).
    /// </summary>
    [Alias("Suggest")]
    Task<SuggestResult> SuggestAsync(int count, string clientId);

    /// <summary>
    /// Starts a suggestion as <see cref="SuggestAsync"/> does and waits for it at most <paramref name="wait"/>: the
    /// returned operation is done (with trials or an error), or still running, to be polled with
    /// <see cref="GetSuggestOperationAsync"/>. A slow policy is then bound by its own deadline, not by a call timeout.
    /// While the client has an operation that is not done, a retried start returns that operation instead of queueing
    /// a second one.
    /// </summary>
    [Alias("StartSuggest")]
    Task<SuggestOperation> StartSuggestAsync(int count, string clientId, TimeSpan wait);

    /// <summary>
    /// The suggest operation <paramref name="operationId"/>, waiting at most <paramref name="wait"/> for it to finish;
    /// <see cref="NotFoundException"/> when the study does not know it (unknown, or from before a reactivation).
    /// </summary>
    [Alias("GetSuggestOperation")]
    Task<SuggestOperation> GetSuggestOperationAsync(long operationId, TimeSpan wait);

    /// <summary>Adds a trial by hand: REQUESTED, or SUCCEEDED/INFEASIBLE for an imported result.</summary>
    [Alias("CreateTrial")]
    Task<Trial> CreateTrialAsync(TrialRequest request);

    /// <summary>One trial; throws <see cref="NotFoundException"/> if absent.</summary>
    [Alias("GetTrial")]
    Task<Trial> GetTrialAsync(long trialId);

    /// <summary>Trials in id order, filtered by state and client id and paged (<see cref="TrialFilter"/>), from the study's index.</summary>
    [Alias("ListTrials")]
    Task<ImmutableList<Trial>> ListTrialsAsync(TrialFilter filter);

    /// <summary>Adds an intermediate measurement to an ACTIVE or STOPPING trial.</summary>
    [Alias("AddMeasurement")]
    Task<Trial> AddMeasurementAsync(long trialId, Measurement measurement);

    /// <summary>Completes a trial as SUCCEEDED with <paramref name="finalMeasurement"/>, or with its last intermediate one when null.</summary>
    [Alias("CompleteTrial")]
    Task<Trial> CompleteTrialAsync(long trialId, Measurement? finalMeasurement);

    /// <summary>Completes a trial as INFEASIBLE.</summary>
    [Alias("CompleteTrialInfeasible")]
    Task<Trial> CompleteTrialInfeasibleAsync(long trialId, string reason);

    /// <summary>Asks the worker to stop early: ACTIVE becomes STOPPING.</summary>
    [Alias("StopTrial")]
    Task<Trial> StopTrialAsync(long trialId);

    /// <summary>Whether the trial should stop, from the study's stopping policy (a stopped trial moves to STOPPING).</summary>
    [Alias("ShouldStop")]
    Task<StopDecision> ShouldStopAsync(long trialId);

    /// <summary>The best trials: all ties for one objective, the Pareto front for several.</summary>
    [Alias("ListOptimalTrials")]
    Task<ImmutableList<Trial>> ListOptimalTrialsAsync();

    /// <summary>The best trials (as <see cref="ListOptimalTrialsAsync()"/>) in id order, filtered and paged by <paramref name="filter"/>.</summary>
    [Alias("ListOptimalTrialsPage")]
    Task<ImmutableList<Trial>> ListOptimalTrialsAsync(TrialFilter filter);

    /// <summary>Sets study metadata items.</summary>
    [Alias("UpdateStudyMetadata")]
    Task<StudyInfo> UpdateStudyMetadataAsync(ImmutableList<MetadataItem> items);

    /// <summary>Sets trial metadata items.</summary>
    [Alias("UpdateTrialMetadata")]
    Task<Trial> UpdateTrialMetadataAsync(long trialId, ImmutableList<MetadataItem> items);

    /// <summary>
    /// Tells the owner's listing what the study holds now (its summary, or that it does not exist). The owner calls it
    /// for a study whose creation it never saw confirmed; safe to call any time.
    /// </summary>
    [Alias("RefreshSummary")]
    Task RefreshSummaryAsync();

    /// <summary>Deletes one trial; its id is never reused.</summary>
    [Alias("DeleteTrial")]
    Task DeleteTrialAsync(long trialId);
}
