using System.Collections.Immutable;
using VizierOrleans.Grains.Interfaces.Model;
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
    [Alias("Suggest")]
    Task<PolicySuggestResponse> SuggestAsync(PolicySuggestRequest request);

    /// <summary>Decides which of the requested trials should stop.</summary>
    [Alias("EarlyStop")]
    Task<ImmutableList<StopDecision>> EarlyStopAsync(PolicyStopRequest request);
}
