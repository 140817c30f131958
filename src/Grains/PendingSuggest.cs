using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains;

/// <summary>A suggest call waiting for the study's next batch.</summary>
/// <param name="Count">How many trials the caller wants.</param>
/// <param name="ClientId">The caller's client id.</param>
internal sealed record PendingSuggest(int Count, string ClientId)
{
    /// <summary>Completed when the batch holding this call is served.</summary>
    public TaskCompletionSource<SuggestResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
