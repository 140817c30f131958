using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using VizierOrleans.Grains.Interfaces;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.ClientGateway;

/// <summary>
/// A study on the cluster: suggestions, trials, results and state. Calls that are safe to repeat (reads, suggest,
/// complete, measurements, should-stop, create-or-load, deletes, create-trial with a request key) retry passing faults
/// through <see cref="VizierRetryPipeline"/>.
/// </summary>
public sealed partial class StudyHandle
{
    private static readonly TimeSpan IdlePause = TimeSpan.FromMilliseconds(200);

    internal StudyHandle(IGrainFactory grains, string name, VizierRetryPipeline retry, TimeProvider time, ILogger logger)
    {
        Name = name;
        Grain = grains.GetGrain<IStudyGrain>(name);
        Retry = retry;
        Time = time;
        Logger = logger;
    }

    /// <summary><c>owners/{owner}/studies/{studyId}</c>.</summary>
    public string Name { get; }

    internal IStudyGrain Grain { get; }

    internal VizierRetryPipeline Retry { get; }

    internal TimeProvider Time { get; }

    internal ILogger Logger { get; }

    // How long one call waits on a running suggestion before the next poll; well inside the call timeout.
    private static TimeSpan OperationWait => TimeSpan.FromSeconds(5);

    /// <summary>The study (config, state, metadata).</summary>
    public Task<StudyInfo> GetAsync() => Retry.ExecuteAsync(_ => Grain.GetAsync());

    /// <summary>
    /// Up to <paramref name="count"/> trials for the worker <paramref name="clientId"/>: its own unfinished trials first,
    /// then queued ones, then new ones. Empty when the study hands out nothing (see <see cref="SuggestDetailedAsync"/> for why).
    /// </summary>
    public async Task<IReadOnlyList<TrialHandle>> SuggestAsync(int count, string clientId) =>
        [.. (await SuggestDetailedAsync(count, clientId)).Trials.Select(Wrap)];

    /// <summary>
    /// Like <see cref="SuggestAsync"/>, with the study state and the reason when fewer trials came back. A slow policy
    /// is waited for (by polling the study's suggest operation), not cut off by the call timeout; passing faults are
    /// retried (a retried start finds the client's running operation, or hands it its own trials).
    /// </summary>
    public Task<SuggestResult> SuggestDetailedAsync(int count, string clientId, CancellationToken cancellationToken = default) =>
        Retry.ExecuteAsync(ct => PollSuggestAsync(count, clientId, ct), cancellationToken);

    private async Task<SuggestResult> PollSuggestAsync(int count, string clientId, CancellationToken cancellationToken)
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

    /// <summary>
    /// Queues a trial with the given parameters; the next worker to ask gets it. With <paramref name="requestKey"/>
    /// the call is retried, and a repeat with the same key returns the trial the first call created.
    /// </summary>
    public Task<TrialHandle> RequestTrialAsync(IReadOnlyDictionary<string, ParameterValue> parameters, string? requestKey = null) =>
        AddTrialAsync(new TrialRequest { Parameters = parameters.ToImmutableDictionary(), RequestKey = requestKey });

    /// <summary>Adds a completed trial (warm start / import of an earlier result); <paramref name="requestKey"/> as in <see cref="RequestTrialAsync"/>.</summary>
    public Task<TrialHandle> AddCompletedTrialAsync(IReadOnlyDictionary<string, ParameterValue> parameters, Measurement finalMeasurement, string? requestKey = null) =>
        AddTrialAsync(new TrialRequest { Parameters = parameters.ToImmutableDictionary(), FinalMeasurement = finalMeasurement, RequestKey = requestKey });

    /// <summary>
    /// Adds a trial from a full request (REQUESTED, SUCCEEDED or INFEASIBLE). Retried only with a
    /// <see cref="TrialRequest.RequestKey"/>: without one, a repeat would add a second trial.
    /// </summary>
    public async Task<TrialHandle> AddTrialAsync(TrialRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Wrap(request.RequestKey is null
            ? await Grain.CreateTrialAsync(request)
            : await Retry.ExecuteAsync(_ => Grain.CreateTrialAsync(request)));
    }

    /// <summary>A handle to trial <paramref name="trialId"/> (nothing is called until you use it).</summary>
    public TrialHandle Trial(long trialId) => new(this, trialId, null);

    /// <summary>All trials, in id order.</summary>
    public Task<ImmutableList<Trial>> ListTrialsAsync() => ListTrialsAsync(TrialFilter.All);

    /// <summary>Trials matching <paramref name="filter"/>, in id order.</summary>
    public Task<ImmutableList<Trial>> ListTrialsAsync(TrialFilter filter) => Retry.ExecuteAsync(_ => Grain.ListTrialsAsync(filter));

    /// <summary>The best trials (ties, or the Pareto front for several objectives).</summary>
    public Task<ImmutableList<Trial>> ListOptimalTrialsAsync() => Retry.ExecuteAsync(_ => Grain.ListOptimalTrialsAsync());

    /// <summary>The best trials in id order, filtered and paged as <paramref name="filter"/> says (see <see cref="TrialFilter"/>).</summary>
    public Task<ImmutableList<Trial>> ListOptimalTrialsAsync(TrialFilter filter) => Retry.ExecuteAsync(_ => Grain.ListOptimalTrialsAsync(filter));

    /// <summary>Sets the study's state (INACTIVE or COMPLETED make it immutable); setting the same state again is harmless, so it is retried.</summary>
    public Task<StudyInfo> SetStateAsync(StudyState state) => Retry.ExecuteAsync(_ => Grain.SetStateAsync(state));

    /// <summary>Sets study metadata (setting the same items again is harmless, so it is retried).</summary>
    public Task<StudyInfo> UpdateMetadataAsync(params IEnumerable<MetadataItem> items)
    {
        ImmutableList<MetadataItem> list = [.. items];
        return Retry.ExecuteAsync(_ => Grain.UpdateStudyMetadataAsync(list));
    }

    /// <summary>
    /// Deletes the study and its trials. A study that is already gone counts as deleted, so a retry after a lost answer
    /// succeeds (the gRPC protocol keeps NOT_FOUND, as the reference does).
    /// </summary>
    public Task DeleteAsync() => Retry.ExecuteAsync(async _ =>
    {
        try
        {
            await Grain.DeleteAsync();
        }
        catch (NotFoundException)
        {
            LogAlreadyDeleted(Logger, Name);
        }
    });

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
            var result = await SuggestDetailedAsync(1, clientId, cancellationToken);
            if (result.Trials.IsEmpty)
            {
                if (result.Exhausted && !result.MayHaveWorkLater)
                {
                    yield break;
                }

                // Nothing to hand out right now, but trials may come back (a silent worker's lease runs out): ask again.
                await Task.Delay(IdlePause, Time, cancellationToken);
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
    /// sees each trial as the service acknowledged it. A completion the service refuses because the race is already
    /// settled (another worker completed the trial after its lease moved, the trial was deleted, the study stopped) is
    /// logged and the worker goes on. Returns the number of trials evaluated.
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
            Trial? acknowledged;
            try
            {
                var measurement = await evaluate(trial, cancellationToken);
                acknowledged = await CompleteOrToleratedAsync(trial, () => trial.CompleteAsync(measurement));
            }
            catch (InfeasibleTrialException e)
            {
                acknowledged = await CompleteOrToleratedAsync(trial, () => trial.CompleteInfeasibleAsync(e.Message));
            }

            if (acknowledged is not null)
            {
                completed?.Invoke(acknowledged);
            }

            evaluated++;
        }

        return evaluated;
    }

    /// <summary>The completion's answer, or null when the service refused it for a settled race (logged).</summary>
    private async Task<Trial?> CompleteOrToleratedAsync(TrialHandle trial, Func<Task<Trial>> complete)
    {
        VizierException refusal;
        try
        {
            return await complete();
        }
        catch (VizierException e) when (e is FailedPreconditionException or NotFoundException)
        {
            refusal = e;
        }

        if (!await IsSettledAsync(trial))
        {
            ExceptionDispatchInfo.Capture(refusal).Throw();
        }

        LogCompletionRefused(Logger, trial.Name, refusal.Message);
        trial.MarkSettled();
        return null;
    }

    /// <summary>True when nothing is left for this worker to do about the trial: it is gone, already completed, or the study stopped.</summary>
    private async Task<bool> IsSettledAsync(TrialHandle trial)
    {
        try
        {
            var current = await trial.MaterializeAsync();
            return current.State.IsCompleted() || (await GetAsync()).State != StudyState.Active;
        }
        catch (NotFoundException)
        {
            return true;
        }
    }

    private TrialHandle Wrap(Trial trial) => new(this, trial.Id, trial);

    [LoggerMessage(EventId = 1902, Level = LogLevel.Information, Message = "{Study} was already deleted (a retried delete)")]
    private static partial void LogAlreadyDeleted(ILogger logger, string study);

    [LoggerMessage(EventId = 1903, Level = LogLevel.Warning, Message = "{Trial}: the service refused this worker's completion because the trial is settled elsewhere; going on: {Reason}")]
    private static partial void LogCompletionRefused(ILogger logger, string trial, string reason);
}
