using Orleans.Runtime;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains.Study;

/// <summary>
/// Suggest calls as operations that may outlive one call: each is queued on the <see cref="SuggestBatcher"/>, and a
/// caller waits for it a bounded time, then polls it by id. A retried start (its first call timed out) finds the
/// client's operation that is still running instead of queueing a second one. Finished operations are kept
/// <see cref="Retention"/> for a client that polls late; not across a reactivation.
/// </summary>
internal sealed class SuggestOperations(StudyContext study, SuggestBatcher batcher)
{
    /// <summary>How long a finished operation stays readable.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromMinutes(10);

    private readonly Dictionary<long, PendingSuggest> _operations = [];

    // The same operations in the order they were queued, which is the order they finish (the batcher serves one batch
    // after another): expiry looks at the front only, not at every kept operation on every start.
    private readonly Queue<PendingSuggest> _byAge = new();

    // Each client's operations, oldest first, until seen finished: a retried start looks at its own client's only.
    private readonly Dictionary<string, Queue<PendingSuggest>> _byClient = new(StringComparer.Ordinal);

    // Ids start from the activation's clock so an old operation name never aliases a new one.
    private long _nextId = study.Time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;

    /// <summary>Validates and queues a suggest call.</summary>
    public PendingSuggest Enqueue(int count, string clientId)
    {
        if (count <= 0 || count > study.Options.MaxSuggestCount)
        {
            throw new InvalidArgumentException($"suggestion_count must be between 1 and {study.Options.MaxSuggestCount}, was {count}.");
        }

        if (string.IsNullOrWhiteSpace(clientId))
        {
            throw new InvalidArgumentException("Suggest needs a non-empty client id.");
        }

        _ = study.Record;
        var pending = new PendingSuggest(++_nextId, count, clientId);
        _operations[pending.OperationId] = pending;
        _byAge.Enqueue(pending);
        if (!_byClient.TryGetValue(clientId, out var own))
        {
            _byClient[clientId] = own = new Queue<PendingSuggest>();
        }

        own.Enqueue(pending);
        _ = batcher.Enqueue(pending);
        return pending;
    }

    /// <summary>Starts (or, for a retried start, finds) the client's operation and waits for it at most <paramref name="wait"/>.</summary>
    public Task<SuggestOperation> StartAsync(int count, string clientId, TimeSpan wait)
    {
        _ = study.Record;
        ForgetOld();
        var pending = Running(clientId) ?? Enqueue(count, clientId);
        return WaitAsync(pending, wait);
    }

    /// <summary>The operation, waiting at most <paramref name="wait"/> for it to finish.</summary>
    public Task<SuggestOperation> GetAsync(long operationId, TimeSpan wait)
    {
        _ = study.Record;
        return _operations.TryGetValue(operationId, out var pending)
            ? WaitAsync(pending, wait)
            : throw new NotFoundException($"{study.Name}: suggest operation {operationId} (operations are kept {Retention.TotalMinutes:0} minutes after they finish, and not across a reactivation of the study)");
    }

    private async Task<SuggestOperation> WaitAsync(PendingSuggest pending, TimeSpan wait)
    {
        var completion = pending.Completion.Task;
        if (!completion.IsCompleted && wait > TimeSpan.Zero)
        {
            // WaitAsync stops its timer when the suggestion is done first (nearly every call, within milliseconds), so no
            // timer stays queued for the whole wait. Its outcome, timeout or fault, is read from the status below; the
            // continuation stays on the grain's scheduler.
            await ((Task)completion).WaitAsync(wait, study.Time).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
        }

        var operation = new SuggestOperation { Id = pending.OperationId, ClientId = pending.ClientId };
        return completion.Status switch
        {
            TaskStatus.RanToCompletion => operation with { Done = true, Result = completion.Result },
            TaskStatus.Faulted or TaskStatus.Canceled => operation with
            {
                Done = true,
                ErrorCode = completion.Exception?.InnerException switch
                {
                    VizierException v => v.Code,

                    // What the study depends on (a silo, storage, a call) failed: another attempt may succeed.
                    TimeoutException or OperationCanceledException or OrleansException => VizierErrorCode.Unavailable,
                    _ => VizierErrorCode.Internal,
                },
                ErrorMessage = completion.Exception?.InnerException is { } e ? (e is VizierException ? e.Message : $"{e.GetType().Name}: {e.Message}") : "the suggestion was cancelled",
            },
            _ => operation,
        };
    }

    private void ForgetOld()
    {
        var now = study.Time.GetUtcNow();
        while (_byAge.TryPeek(out var oldest) && oldest.DoneAt is { } at && now - at > Retention)
        {
            _byAge.Dequeue();
            _operations.Remove(oldest.OperationId);
            _ = Running(oldest.ClientId);
        }
    }

    /// <summary>The client's oldest operation that is still running, dropping its finished ones on the way.</summary>
    private PendingSuggest? Running(string clientId)
    {
        if (!_byClient.TryGetValue(clientId, out var own))
        {
            return null;
        }

        while (own.TryPeek(out var first) && first.DoneAt is not null)
        {
            own.Dequeue();
        }

        if (own.Count == 0)
        {
            _byClient.Remove(clientId);
            return null;
        }

        return own.Peek();
    }
}
