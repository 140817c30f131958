using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains.Study;

/// <summary>
/// Coalesces suggest calls: calls that arrive while a batch is served wait, and are then served together as the next
/// batch. The result is what serving them one after another would give, but a batch makes one policy call, one study
/// write and parallel trial writes, so throughput grows with the number of workers instead of queueing them.
/// </summary>
/// <param name="serve">Serves one batch: one result per call, in call order. A failure fails every call of the batch.</param>
/// <param name="time">The clock that stamps when each call was served.</param>
internal sealed class SuggestBatcher(Func<IReadOnlyList<PendingSuggest>, Task<SuggestResult[]>> serve, TimeProvider time)
{
    private readonly List<PendingSuggest> _pending = [];
    private bool _draining;

    /// <summary>True while a batch is being served.</summary>
    public bool Draining => _draining;

    /// <summary>Queues the call; its completion is set when its batch was served.</summary>
    public Task<SuggestResult> Enqueue(PendingSuggest pending)
    {
        _pending.Add(pending);
        if (!_draining)
        {
            _draining = true;
            _ = DrainAsync();
        }

        return pending.Completion.Task;
    }

    private async Task DrainAsync()
    {
        try
        {
            while (_pending.Count > 0)
            {
                var batch = _pending.ToList();
                _pending.Clear();
                try
                {
                    var results = await serve(batch);
                    for (var i = 0; i < batch.Count; i++)
                    {
                        batch[i].DoneAt = time.GetUtcNow();
                        batch[i].Completion.TrySetResult(results[i]);
                    }
                }
                catch (Exception e)
                {
                    batch.ForEach(p =>
                    {
                        p.DoneAt = time.GetUtcNow();
                        p.Completion.TrySetException(e);
                    });
                }
            }
        }
        finally
        {
            _draining = false;
        }
    }
}
