using VizierOrleans.Grains.Interfaces.Policies;

namespace VizierOrleans.Grains.Interfaces;

/// <summary>
/// Stateless worker that runs the CPU-heavy policies (suggestions and stopping decisions), so that the work spreads
/// across silos and never blocks a study grain.
/// </summary>
[Alias("vizier.IPolicyWorkerGrain")]
public interface IPolicyWorkerGrain : IGrainWithIntegerKey
{
    /// <summary>Computes new suggestions with the study's algorithm.</summary>
    /// <remarks>
    /// The call may take longer than the default response timeout (a large study, a slow external policy): the caller
    /// bounds it with <paramref name="cancellationToken"/> instead, which Orleans passes on to the computation.
    /// </remarks>
    [Alias("Suggest"), ResponseTimeout("01:00:00")]
    Task<PolicySuggestResponse> SuggestAsync(PolicySuggestRequest request, CancellationToken cancellationToken = default);

    /// <summary>Decides which of the requested trials should stop.</summary>
    [Alias("EarlyStop"), ResponseTimeout("01:00:00")]
    Task<PolicyStopResponse> EarlyStopAsync(PolicyStopRequest request, CancellationToken cancellationToken = default);
}
