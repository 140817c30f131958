using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains;

/// <summary>A suggest call waiting for the study's next batch; also the state of its suggest operation.</summary>
/// <param name="OperationId">The operation's id, unique across activations of the study.</param>
/// <param name="Count">How many trials the caller wants.</param>
/// <param name="ClientId">The caller's client id.</param>
internal sealed record PendingSuggest(long OperationId, int Count, string ClientId)
{
    /// <summary>When the batch holding this call was served; null while it waits or runs.</summary>
    public DateTimeOffset? DoneAt { get; set; }

    /// <summary>Completed when the batch holding this call is served.</summary>
    public TaskCompletionSource<SuggestResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
