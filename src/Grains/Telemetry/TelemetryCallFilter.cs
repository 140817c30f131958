using System.Diagnostics;
using VizierOrleans.Grains.Interfaces;
using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.Grains.Interfaces.Policies;

namespace VizierOrleans.Grains.Telemetry;

/// <summary>
/// Spans and metrics for the calls an operator watches: suggest and complete on the study grain, policy computations
/// on the policy workers, and the release of a trial whose lease ran out (the study's only caller of
/// <see cref="ITrialGrain.ReleaseAsync"/>). A grain-call filter, so the grains themselves stay free of telemetry code.
/// </summary>
internal sealed class TelemetryCallFilter : IIncomingGrainCallFilter
{
    private static readonly KeyValuePair<string, object?>[] OperationSuggestTags = [new("vizier.suggest.kind", "operation")];

    /// <inheritdoc />
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        var method = context.InterfaceMethod;
        if (method is null)
        {
            await context.Invoke();
            return;
        }

        if (method.DeclaringType == typeof(IStudyGrain))
        {
            switch (method.Name)
            {
                case nameof(IStudyGrain.SuggestAsync):
                    await TraceAsync(context, "vizier.suggest", VizierMetrics.SuggestDuration, [], activity => activity?.SetTag("vizier.suggest.count", context.Request.GetArgument(0)), () =>
                    {
                        if (context.Result is SuggestResult result)
                        {
                            VizierMetrics.SuggestTrials.Record(result.Trials.Count);
                        }
                    });
                    return;
                case nameof(IStudyGrain.StartSuggestAsync):
                    // The client library's and the gRPC front door's suggest: an operation, waited on for a bounded time.
                    // Trials are counted when it is done within that wait (a slow policy's are not counted).
                    await TraceAsync(context, "vizier.suggest", VizierMetrics.SuggestDuration, OperationSuggestTags, activity => activity?.SetTag("vizier.suggest.count", context.Request.GetArgument(0)), () =>
                    {
                        if (context.Result is SuggestOperation { Done: true, Result: { } result })
                        {
                            VizierMetrics.SuggestTrials.Record(result.Trials.Count);
                        }
                    });
                    return;
                case nameof(IStudyGrain.CompleteTrialAsync) or nameof(IStudyGrain.CompleteTrialInfeasibleAsync):
                    await TraceAsync(context, "vizier.complete", VizierMetrics.CompleteDuration, [], activity => activity?.SetTag("vizier.trial.id", context.Request.GetArgument(0)), null);
                    return;
                case nameof(IStudyGrain.ShouldStopAsync):
                    await context.Invoke();
                    if (context.Result is StopDecision { ShouldStop: true })
                    {
                        VizierMetrics.EarlyStops.Add(1);
                    }

                    return;
            }
        }
        else if (method.DeclaringType == typeof(ITrialGrain) && method.Name == nameof(ITrialGrain.ReleaseAsync))
        {
            await context.Invoke();
            if (context.Result is Trial { State: TrialState.Requested } released)
            {
                VizierMetrics.LeaseExpiries.Add(1, new KeyValuePair<string, object?>("vizier.owner", ResourceNames.ParseStudy(released.StudyName).Owner));
            }

            return;
        }
        else if (method.DeclaringType == typeof(IPolicyWorkerGrain))
        {
            switch (context.Request.GetArgument(0))
            {
                case PolicySuggestRequest request:
                    VizierMetrics.PolicyBatchSize.Record(request.Count);
                    var algorithm = ExternalPolicy.Endpoint(request.Config) is null ? request.Config.Algorithm : "external";
                    await TraceAsync(context, "vizier.policy.suggest", VizierMetrics.PolicyDuration, [new("vizier.algorithm", algorithm), new("vizier.operation", "suggest")], activity => activity?.SetTag("vizier.study", request.StudyName), null);
                    return;
                case PolicyStopRequest stop:
                    var rule = ExternalPolicy.Endpoint(stop.Config) is null ? stop.Config.Stopping.Rule.ToString() : "external";
                    await TraceAsync(context, "vizier.policy.early_stop", VizierMetrics.PolicyDuration, [new("vizier.algorithm", rule), new("vizier.operation", "early_stop")], null, null);
                    return;
            }
        }

        await context.Invoke();
    }

    private static async Task TraceAsync(
        IIncomingGrainCallContext context,
        string name,
        System.Diagnostics.Metrics.Histogram<double> duration,
        KeyValuePair<string, object?>[] tags,
        Action<Activity?>? describe,
        Action? succeeded)
    {
        using var activity = VizierMetrics.Source.StartActivity(name, ActivityKind.Internal, default(ActivityContext), tags);
        activity?.SetTag("vizier.grain", context.TargetId.ToString());
        describe?.Invoke(activity);
        var started = Stopwatch.GetTimestamp();
        var outcome = "ok";
        try
        {
            await context.Invoke();
            succeeded?.Invoke();
        }
        catch (Exception error)
        {
            outcome = "error";
            VizierMetrics.RecordError(activity, error);
            throw;
        }
        finally
        {
            var all = new TagList(tags) { { "vizier.outcome", outcome } };
            duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, all);
        }
    }
}
