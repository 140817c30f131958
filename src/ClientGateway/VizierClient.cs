using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
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
    private VizierRetryPipeline? _retry;

    /// <summary>
    /// How long calls that are safe to repeat keep retrying through passing faults (a dying silo, a storage outage)
    /// before they throw; <see cref="TimeSpan.Zero"/> turns retries off. Ignored when <see cref="Retry"/> is set.
    /// </summary>
    public TimeSpan RetryBudget { get; init; } = VizierRetryPipeline.DefaultBudget;

    /// <summary>The clock of retries and the worker loop's pauses.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Where retries and tolerated races of the worker loop are logged.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>The retry pipeline every repeatable call uses (by default one with <see cref="RetryBudget"/>).</summary>
    public VizierRetryPipeline Retry
    {
        get => _retry ??= new VizierRetryPipeline(RetryBudget, TimeProvider, LoggerFactory.CreateLogger<VizierRetryPipeline>());
        init => _retry = value;
    }

    /// <summary>Creates the study, or loads it when it exists; throws <see cref="StudyConfigMismatchException"/> when it exists with a different config.</summary>
    public async Task<StudyHandle> CreateOrLoadStudyAsync(string owner, string studyId, StudyConfig config)
    {
        var handle = Study(owner, studyId);
        await handle.Retry.ExecuteAsync(_ => handle.Grain.CreateOrLoadAsync(config, requireSameConfig: true));
        return handle;
    }

    /// <summary>A handle to an existing study (nothing is called until you use it).</summary>
    public StudyHandle Study(string owner, string studyId) => Study(ResourceNames.Study(owner, studyId));

    /// <summary>A handle to an existing study by resource name.</summary>
    public StudyHandle Study(string studyName)
    {
        ResourceNames.ParseStudy(studyName);
        return new StudyHandle(grains, studyName, Retry, TimeProvider, LoggerFactory.CreateLogger<StudyHandle>());
    }

    /// <summary>The owner's studies, in study id order.</summary>
    public async Task<IReadOnlyList<StudyInfo>> ListStudiesAsync(string owner) =>
        [.. (await ListStudySummariesAsync(owner)).Studies.Select(s => s.Study)];

    /// <summary>
    /// Up to <paramref name="pageSize"/> of the owner's studies (all when 0) after <paramref name="pageToken"/>, in study id
    /// order, with trial counts and best values; answered from the owner's summaries, without activating any study.
    /// </summary>
    public Task<StudySummaryPage> ListStudySummariesAsync(string owner, string? pageToken = null, int pageSize = 0, CancellationToken cancellationToken = default) =>
        Retry.ExecuteAsync(_ => grains.GetGrain<IOwnerGrain>(owner).ListStudiesAsync(pageToken, pageSize), cancellationToken);
}
