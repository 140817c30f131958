using System.Diagnostics;
using System.Diagnostics.Metrics;
using VizierOrleans.Grains.Interfaces.Telemetry;

namespace VizierOrleans.Grains.Telemetry;

/// <summary>The service's activity source and instruments (names in <see cref="VizierTelemetryNames"/>).</summary>
internal static class VizierMetrics
{
    // Seconds: a suggestion takes from a millisecond (random search) to tens of seconds (a GP over thousands of trials).
    private static readonly InstrumentAdvice<double> SecondsAdvice = new()
    {
        HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    };

    private static readonly InstrumentAdvice<int> CountAdvice = new() { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024] };

    public static readonly ActivitySource Source = new(VizierTelemetryNames.ActivitySource);

    public static readonly Meter Meter = new(VizierTelemetryNames.Meter);

    public static readonly Histogram<double> SuggestDuration = Meter.CreateHistogram("vizier.suggest.duration", "s", "Time of a SuggestTrials call in the study grain, queueing and policy included", advice: SecondsAdvice);

    public static readonly Histogram<int> SuggestTrials = Meter.CreateHistogram("vizier.suggest.trials", "{trial}", "Trials one suggest call handed out", advice: CountAdvice);

    public static readonly Histogram<double> CompleteDuration = Meter.CreateHistogram("vizier.complete.duration", "s", "Time of a CompleteTrial call in the study grain", advice: SecondsAdvice);

    public static readonly Histogram<double> PolicyDuration = Meter.CreateHistogram("vizier.policy.duration", "s", "Time of one policy computation, by algorithm and operation", advice: SecondsAdvice);

    public static readonly Histogram<int> PolicyBatchSize = Meter.CreateHistogram("vizier.policy.batch_size", "{trial}", "Suggestions asked of the policy in one computation (suggest calls of a study are batched)", advice: CountAdvice);

    public static readonly Histogram<double> StorageDuration = Meter.CreateHistogram("vizier.storage.duration", "s", "Time of one grain-state read, write or clear", advice: SecondsAdvice);

    public static readonly Counter<long> StorageErrors = Meter.CreateCounter<long>("vizier.storage.errors", "{error}", "Grain-state operations that failed, by operation and error type (conflict: a stale ETag)");

    public static readonly Counter<long> EarlyStops = Meter.CreateCounter<long>("vizier.trials.stopped_early", "{trial}", "ShouldStop calls that decided to stop the trial");

    public static readonly Counter<long> LeaseExpiries = Meter.CreateCounter<long>("vizier.trials.lease_expired", "{trial}", "ACTIVE trials whose worker was silent past the study's TrialLease and went back to the REQUESTED pool, by owner");

    public static readonly ObservableGauge<int> StudyTrials = Meter.CreateObservableGauge("vizier.study.trials", StudyTrialGauge.Observe, "{trial}", "Trials of each study active in this silo, by state (REQUESTED and ACTIVE always reported), as of the study's last owner summary");

    public static readonly Counter<long> ExternalPolicyErrors = Meter.CreateCounter<long>("vizier.external_policy.errors", "{error}", "Calls to an external policy service (PythiaService) that failed");

    /// <summary>Marks <paramref name="activity"/> failed with <paramref name="error"/>.</summary>
    public static void RecordError(Activity? activity, Exception error)
    {
        activity?.SetStatus(ActivityStatusCode.Error, error.Message);
        activity?.SetTag("error.type", error.GetType().FullName);
    }
}
