using VizierOrleans.Grains.Interfaces;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.ClientGateway;

/// <summary>
/// The entry point of the client library: opens studies on a Vizier cluster. Worker processes call study grains
/// directly through it; it holds no state of its own, so any number of threads may share one instance.
/// </summary>
/// <param name="grains">The Orleans client (or a silo's grain factory).</param>
public sealed class VizierClient(IGrainFactory grains)
{
    /// <summary>
    /// How long suggest and complete keep retrying through passing faults (a dying silo, a storage outage) before they
    /// throw; <see cref="TimeSpan.Zero"/> turns retries off.
    /// </summary>
    public TimeSpan RetryBudget { get; init; } = TransientRetry.DefaultBudget;

    /// <summary>Creates the study, or loads it when it exists; throws <see cref="StudyConfigMismatchException"/> when it exists with a different config.</summary>
    public async Task<StudyHandle> CreateOrLoadStudyAsync(string owner, string studyId, StudyConfig config)
    {
        var handle = Study(owner, studyId);
        await handle.Grain.CreateOrLoadAsync(config, requireSameConfig: true);
        return handle;
    }

    /// <summary>A handle to an existing study (nothing is called until you use it).</summary>
    public StudyHandle Study(string owner, string studyId) => Study(ResourceNames.Study(owner, studyId));

    /// <summary>A handle to an existing study by resource name.</summary>
    public StudyHandle Study(string studyName)
    {
        ResourceNames.ParseStudy(studyName);
        return new StudyHandle(grains, studyName, RetryBudget);
    }

    /// <summary>The owner's studies.</summary>
    public async Task<IReadOnlyList<StudyInfo>> ListStudiesAsync(string owner) =>
        await grains.GetGrain<IOwnerGrain>(owner).ListStudiesAsync();
}
