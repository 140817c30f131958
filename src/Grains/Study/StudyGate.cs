namespace VizierOrleans.Grains.Study;

/// <summary>
/// The study grain's one serialization point for writes: <b>exclusive</b> holders (anything that changes which trials
/// exist or who holds them: a suggest batch handing out existing trials, create/delete trial, study state and metadata,
/// study delete, completing the study) run alone; <b>shared</b> holders (writes to one existing trial: measurement,
/// completion, stop, trial metadata; and a suggest batch creating its new trials, which nobody else can name yet) run
/// together, never beside an exclusive holder. Of the shared holders only the suggest batch writes the study record,
/// and batches run one at a time. Grants are first come, first served, so a waiting batch is not starved by a stream
/// of completions. Reads take nothing.
/// </summary>
/// <remarks>
/// Why not Orleans' own non-reentrant scheduling: a suggest batch must let completions and reads run while its policy
/// computes (seconds, on another grain), yet apply its result alone; and completions of different trials need not wait
/// for each other's storage writes. A non-reentrant grain can express neither.
/// </remarks>
internal sealed class StudyGate
{
    private readonly object _lock = new();
    private readonly LinkedList<Waiter> _waiting = [];
    private int _shared;
    private bool _exclusive;

    /// <summary>Holders now (for tests and diagnostics): shared count, and whether an exclusive holder runs.</summary>
    public (int Shared, bool Exclusive) Holders
    {
        get
        {
            lock (_lock)
            {
                return (_shared, _exclusive);
            }
        }
    }

    /// <summary>Waits until the caller may write one existing trial; dispose the result to leave.</summary>
    public Task<Hold> SharedAsync() => EnterAsync(exclusive: false);

    /// <summary>Waits until the caller runs alone; dispose the result to leave.</summary>
    public Task<Hold> ExclusiveAsync() => EnterAsync(exclusive: true);

    private Task<Hold> EnterAsync(bool exclusive)
    {
        lock (_lock)
        {
            if (_waiting.Count == 0 && CanEnter(exclusive))
            {
                Take(exclusive);
                return Task.FromResult(new Hold(this, exclusive));
            }

            var waiter = new Waiter(exclusive);
            _waiting.AddLast(waiter);
            return waiter.Granted.Task;
        }
    }

    private bool CanEnter(bool exclusive) => !_exclusive && (!exclusive || _shared == 0);

    private void Take(bool exclusive)
    {
        if (exclusive)
        {
            _exclusive = true;
        }
        else
        {
            _shared++;
        }
    }

    private void Leave(bool exclusive)
    {
        var granted = new List<Waiter>();
        lock (_lock)
        {
            if (exclusive)
            {
                _exclusive = false;
            }
            else
            {
                _shared--;
            }

            // In arrival order, as long as the first waiter can enter: a waiting exclusive holder blocks later shared ones.
            while (_waiting.First is { } first && CanEnter(first.Value.Exclusive))
            {
                _waiting.RemoveFirst();
                Take(first.Value.Exclusive);
                granted.Add(first.Value);
            }
        }

        foreach (var waiter in granted)
        {
            waiter.Granted.TrySetResult(new Hold(this, waiter.Exclusive));
        }
    }

    /// <summary>A place in the gate; disposing it leaves (once).</summary>
    internal sealed class Hold(StudyGate gate, bool exclusive) : IDisposable
    {
        private int _left;

        /// <summary>True for an exclusive hold.</summary>
        public bool Exclusive => exclusive;

        /// <inheritdoc />
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0)
            {
                gate.Leave(exclusive);
            }
        }
    }

    private sealed record Waiter(bool Exclusive)
    {
        public TaskCompletionSource<Hold> Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
