using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using VizierOrleans.Grains.Interfaces;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.ClientGateway;

/// <summary>A study on the cluster: suggestions, trials, results and state.</summary>
public sealed class StudyHandle
{
    internal StudyHandle(IGrainFactory grains, string name, TimeSpan retryBudget)
    {
        Name = name;
        Grain = grains.GetGrain<IStudyGrain>(name);
        RetryBudget = retryBudget;
    }

    /// <summary><c>owners/{owner}/studies/{studyId}</c>.</summary>
    public string Name { get; }

    internal IStudyGrain Grain { get; }

    internal TimeSpan RetryBudget { get; }

    // How long one call waits on a running suggestion before the next poll; well inside the call timeout.
    private static TimeSpan OperationWait => TimeSpan.FromSeconds(5);

    /// <summary>The study (config, state, metadata).</summary>
    public Task<StudyInfo> GetAsync() => Grain.GetAsync();

    /// <summary>
    /// Up to <paramref name="count"/> trials for the worker <paramref name="clientId"/>: its own unfinished trials first,
    /// then queued ones, then new ones. Empty when the study hands out nothing (see <see cref="SuggestDetailedAsync"/> for why).
    /// </summary>
    public async Task<IReadOnlyList<TrialHandle>> SuggestAsync(int count, string clientId) =>
        [.. (await SuggestDetailedAsync(count, clientId)).Trials.Select(Wrap)];

    /// <summary>
    /// Like <see cref="SuggestAsync"/>, with the study state and the reason when fewer trials came back. A slow policy
    /// is waited for (by polling the study's suggest operation), not cut off by the call timeout.
    /// </summary>
    public async Task<SuggestResult> SuggestDetailedAsync(int count, string clientId, CancellationToken cancellationToken = default)
    {
        var operation = await Grain.StartSuggestAsync(count, clientId, OperationWait);
        while (!operation.Done)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                operation = await Grain.GetSuggestOperationAsync(operation.Id, OperationWait);
            }
            catch (NotFoundException) when (operation.Id != 0)
            {
                // The study was reactivated and forgot the operation: asking again is safe, this client's trials come first.
                operation = await Grain.StartSuggestAsync(count, clientId, OperationWait);
            }
        }

        return operation.ErrorCode is { } code
            ? throw code switch
            {
                VizierErrorCode.FailedPrecondition => new FailedPreconditionException(operation.ErrorMessage!),
                VizierErrorCode.InvalidArgument => new InvalidArgumentException(operation.ErrorMessage!),
                _ => new VizierException(code, operation.ErrorMessage!),
            }
            : operation.Result!;
    }

    /// <summary>Queues a trial with the given parameters; the next worker to ask gets it.</summary>
    public async Task<TrialHandle> RequestTrialAsync(IReadOnlyDictionary<string, ParameterValue> parameters) =>
        Wrap(await Grain.CreateTrialAsync(new TrialRequest { Parameters = parameters.ToImmutableDictionary() }));

    /// <summary>Adds a completed trial (warm start / import of an earlier result).</summary>
    public async Task<TrialHandle> AddCompletedTrialAsync(IReadOnlyDictionary<string, ParameterValue> parameters, Measurement finalMeasurement) =>
        Wrap(await Grain.CreateTrialAsync(new TrialRequest { Parameters = parameters.ToImmutableDictionary(), FinalMeasurement = finalMeasurement }));

    /// <summary>Adds a trial from a full request (REQUESTED, SUCCEEDED or INFEASIBLE).</summary>
    public async Task<TrialHandle> AddTrialAsync(TrialRequest request) => Wrap(await Grain.CreateTrialAsync(request));

    /// <summary>A handle to trial <paramref name="trialId"/> (nothing is called until you use it).</summary>
    public TrialHandle Trial(long trialId) => new(this, trialId, null);

    /// <summary>All trials, in id order.</summary>
    public Task<ImmutableList<Trial>> ListTrialsAsync() => Grain.ListTrialsAsync(TrialFilter.All);

    /// <summary>Trials matching <paramref name="filter"/>, in id order.</summary>
    public Task<ImmutableList<Trial>> ListTrialsAsync(TrialFilter filter) => Grain.ListTrialsAsync(filter);

    /// <summary>The best trials (ties, or the Pareto front for several objectives).</summary>
    public Task<ImmutableList<Trial>> ListOptimalTrialsAsync() => Grain.ListOptimalTrialsAsync();

    /// <summary>Sets the study's state (INACTIVE or COMPLETED make it immutable).</summary>
    public Task<StudyInfo> SetStateAsync(StudyState state) => Grain.SetStateAsync(state);

    /// <summary>Sets study metadata.</summary>
    public Task<StudyInfo> UpdateMetadataAsync(params IEnumerable<MetadataItem> items) => Grain.UpdateStudyMetadataAsync([.. items]);

    /// <summary>Deletes the study and its trials.</summary>
    public Task DeleteAsync() => Grain.DeleteAsync();

    /// <summary>
    /// The evaluation loop every worker runs, whether it is a thread, a process or a machine: yields one trial at a
    /// time until the study hands out no more (budget used, search space exhausted, or study not ACTIVE). The caller
    /// evaluates each trial and completes it (or marks it infeasible) before asking for the next. Passing faults
    /// (a silo dying, a storage outage) are retried: asking again with the same client id returns the same trial.
    /// </summary>
    public async IAsyncEnumerable<TrialHandle> WorkAsync(string clientId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var result = await TransientRetry.RunAsync(() => SuggestDetailedAsync(1, clientId, cancellationToken), cancellationToken, RetryBudget);
            if (result.Trials.IsEmpty)
            {
                if (result.Exhausted && !result.MayHaveWorkLater)
                {
                    yield break;
                }

                // Nothing to hand out right now, but trials may come back (a silent worker's lease runs out): ask again.
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
                continue;
            }

            var trial = Wrap(result.Trials[0]);
            yield return trial;
            if (!trial.ReportedCompletion)
            {
                throw new InvalidOperationException(
                    $"{trial.Name} was not completed by the evaluation loop; call CompleteAsync or CompleteInfeasibleAsync on each trial before asking for the next.");
            }
        }
    }

    /// <summary>
    /// Runs <see cref="WorkAsync"/> with an evaluation function: each trial is completed with the measurement it
    /// returns, or as infeasible with the message of an <see cref="InfeasibleTrialException"/>. <paramref name="completed"/>
    /// sees each trial as the service acknowledged it. Returns the number of trials evaluated.
    /// </summary>
    public async Task<int> RunWorkerAsync(
        string clientId,
        Func<TrialHandle, CancellationToken, Task<Measurement>> evaluate,
        CancellationToken cancellationToken = default,
        Action<Trial>? completed = null)
    {
        var evaluated = 0;
        await foreach (var trial in WorkAsync(clientId, cancellationToken))
        {
            Measurement measurement;
            try
            {
                measurement = await evaluate(trial, cancellationToken);
            }
            catch (InfeasibleTrialException e)
            {
                var infeasible = await trial.CompleteInfeasibleAsync(e.Message);
                completed?.Invoke(infeasible);
                evaluated++;
                continue;
            }

            var succeeded = await trial.CompleteAsync(measurement);
            completed?.Invoke(succeeded);
            evaluated++;
        }

        return evaluated;
    }

    private TrialHandle Wrap(Trial trial) => new(this, trial.Id, trial);
}
