using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Orleans.Runtime;
using Orleans.Storage;
using VizierOrleans.ClientGateway;
using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.LoadGenerator;

namespace VizierOrleans.Tests.LoadGenerator;

/// <summary>
/// The load generator's worker loop on the shared retry pipeline, against an in-memory study whose calls fail on
/// command, on a fake clock: it retries the passing faults and counts each, gives up on anything else, and its report
/// still catches a trial handed to two workers and a completion that was acknowledged but not stored.
/// </summary>
public sealed class LoadWorkerTests
{
    private const string StudyName = "owners/load/studies/s";

    [Fact]
    public async Task Passing_faults_are_retried_and_counted_and_every_trial_is_acknowledged_once()
    {
        var study = new FakeStudy(3);
        study.SuggestFaults.Enqueue(new TimeoutException("injected: suggest timed out"));
        study.SuggestFaults.Enqueue(new SiloUnavailableException("injected: the silo died"));
        study.CompleteFaults.Enqueue(new InconsistentStateException("injected: ETag changed"));
        var time = new FakeTimeProvider();

        var log = await DriveAsync(time, LoadWorker.RunAsync(study, "w", new VizierRetryPipeline(TimeSpan.FromMinutes(1), time), time, CancellationToken.None));

        Assert.Equal(3, log.Errors.Count);
        Assert.Equal("suggest: TimeoutException: injected: suggest timed out", log.Errors[0]);
        Assert.Equal("complete 1: InconsistentStateException: injected: ETag changed", log.Errors[2]);
        Assert.Empty(log.Failures);
        Assert.Equal([1L, 2L, 3L], log.HandedOut);
        Assert.Equal([1L, 2L, 3L], log.Acknowledged.Keys.Order());
        Assert.Equal(3, log.CompleteMs.Count);
        Assert.Equal(2, study.CompleteCalls[1]);
        Assert.Empty(LoadReport.Verify(new Dictionary<string, IReadOnlyList<Trial>> { [StudyName] = study.Stored() }, [log], 3));
    }

    [Fact]
    public async Task An_error_that_is_not_a_passing_fault_ends_the_worker_at_once_and_fails_the_checks()
    {
        var study = new FakeStudy(3);
        study.SuggestFaults.Enqueue(new JsonException("injected: a payload that does not parse"));
        var time = new FakeTimeProvider();

        var log = await DriveAsync(time, LoadWorker.RunAsync(study, "w", new VizierRetryPipeline(TimeSpan.FromMinutes(1), time), time, CancellationToken.None));

        Assert.Empty(log.Errors);
        Assert.Equal(["suggest: JsonException: injected: a payload that does not parse"], log.Failures);
        Assert.Equal(1, study.SuggestCalls);
        var violations = LoadReport.Verify(new Dictionary<string, IReadOnlyList<Trial>> { [StudyName] = study.Stored() }, [log], 3);
        Assert.Contains("1 calls failed for good (not a passing fault, or past the retry time limit), e.g. w: suggest: JsonException: injected: a payload that does not parse", violations);
    }

    [Fact]
    public async Task A_call_still_failing_when_the_retry_time_limit_is_spent_ends_the_worker_with_the_last_error()
    {
        var study = new FakeStudy(3);
        for (var i = 0; i < 1000; i++)
        {
            study.CompleteFaults.Enqueue(new TimeoutException($"injected: attempt {i + 1}"));
        }

        var time = new FakeTimeProvider();
        var start = time.GetUtcNow();
        var log = await DriveAsync(time, LoadWorker.RunAsync(study, "w", new VizierRetryPipeline(TimeSpan.FromSeconds(10), time), time, CancellationToken.None));

        var attempts = study.CompleteCalls[1];
        Assert.True(attempts > 3, $"{attempts} attempts");
        Assert.Equal(attempts, log.Errors.Count);
        Assert.Equal([$"complete 1: TimeoutException: injected: attempt {attempts}"], log.Failures);
        Assert.InRange(time.GetUtcNow() - start, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(11));
        Assert.Empty(log.Acknowledged);
    }

    [Fact]
    public void The_report_catches_a_trial_handed_to_two_workers_and_a_lost_acknowledged_completion()
    {
        var stored = new[] { Trial(1, 1.0), Trial(2, 2.0) };
        var a = new WorkerLog { ClientId = "a", Study = StudyName, HandedOut = [1, 2], Acknowledged = { [1] = 1.0, [2] = 2.0 } };
        var b = new WorkerLog { ClientId = "b", Study = StudyName, HandedOut = [2], Acknowledged = { [2] = 7.0 } };

        var violations = LoadReport.Verify(new Dictionary<string, IReadOnlyList<Trial>> { [StudyName] = stored }, [a, b], 2);

        Assert.Equal(
            [
                $"{StudyName}: 1 trials handed to two workers, e.g. 2",
                $"{StudyName}: 1 acknowledged completions not stored as acknowledged, e.g. 2",
            ],
            violations);
    }

    // Moves the fake clock in small steps until the worker finished, giving the pipeline's timers time to register.
    private static async Task<T> DriveAsync<T>(FakeTimeProvider time, Task<T> run)
    {
        for (var i = 0; i < 20_000 && !run.IsCompleted; i++)
        {
            await Task.Delay(1);
            time.Advance(TimeSpan.FromMilliseconds(50));
        }

        return await run;
    }

    private static Trial Trial(long id, double loss) => new()
    {
        StudyName = StudyName,
        Id = id,
        State = TrialState.Succeeded,
        FinalMeasurement = Measurement.Of("loss", loss),
    };

    /// <summary>A study of a fixed budget in memory: suggest hands out the next id, complete stores the value.</summary>
    private sealed class FakeStudy(int budget) : ILoadTarget
    {
        private readonly Dictionary<long, double> _completed = [];
        private long _next = 1;

        public Queue<Exception> SuggestFaults { get; } = new();

        public Queue<Exception> CompleteFaults { get; } = new();

        public int SuggestCalls { get; private set; }

        public Dictionary<long, int> CompleteCalls { get; } = [];

        public string Study => StudyName;

        public Task<(OfferedTrial? Trial, bool Finished)> SuggestAsync(string clientId, CancellationToken cancellationToken)
        {
            SuggestCalls++;
            if (SuggestFaults.TryDequeue(out var fault))
            {
                return Task.FromException<(OfferedTrial?, bool)>(fault);
            }

            return Task.FromResult<(OfferedTrial?, bool)>(_next > budget ? (null, true) : (new OfferedTrial(_next++, 1, 2), false));
        }

        public Task<string?> CompleteAsync(OfferedTrial trial, double value, CancellationToken cancellationToken)
        {
            CompleteCalls[trial.Id] = CompleteCalls.GetValueOrDefault(trial.Id) + 1;
            if (CompleteFaults.TryDequeue(out var fault))
            {
                return Task.FromException<string?>(fault);
            }

            _completed[trial.Id] = value;
            return Task.FromResult<string?>(null);
        }

        public IReadOnlyList<Trial> Stored() => [.. _completed.OrderBy(c => c.Key).Select(c => Trial(c.Key, c.Value))];
    }
}
