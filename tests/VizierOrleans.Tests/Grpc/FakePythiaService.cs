using System.Collections.Concurrent;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using VizierOrleans.Grpc.Protocol;

namespace VizierOrleans.Tests.Grpc;

/// <summary>
/// A stand-in for an OSS Vizier policy server: suggests x = 0.1, 0.2, ... in call order and stops every trial it
/// is asked about, and records the requests it received.
/// </summary>
internal sealed class FakePythiaService : PythiaService.PythiaServiceBase
{
    private int _suggested;

    public ConcurrentQueue<SuggestRequest> SuggestRequests { get; } = new();

    public ConcurrentQueue<EarlyStopRequest> EarlyStopRequests { get; } = new();

    public override Task<SuggestDecision> Suggest(SuggestRequest request, ServerCallContext context)
    {
        SuggestRequests.Enqueue(request);
        var decision = new SuggestDecision();
        for (var i = 0; i < request.Count; i++)
        {
            var n = Interlocked.Increment(ref _suggested);
            var suggestion = new TrialSuggestion();
            suggestion.Parameters.Add(new Trial.Types.Parameter { ParameterId = "x", Value = Value.ForNumber(n / 10.0) });
            suggestion.Parameters.Add(new Trial.Types.Parameter { ParameterId = "opt", Value = Value.ForString(n % 2 == 0 ? "sgd" : "adam") });
            decision.Suggestions.Add(suggestion);
        }

        decision.Metadata.Add(new UnitMetadataUpdate { Metadatum = new KeyValue { Ns = ":pythia", Key = "calls", Value = SuggestRequests.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) } });
        return Task.FromResult(decision);
    }

    public override Task<EarlyStopDecisions> EarlyStop(EarlyStopRequest request, ServerCallContext context)
    {
        EarlyStopRequests.Enqueue(request);
        var decisions = new EarlyStopDecisions();
        decisions.Decisions.AddRange(request.TrialIds.Select(id => new EarlyStopDecision { Id = id, ShouldStop = true, Reason = "the fake policy stops everything" }));
        return Task.FromResult(decisions);
    }

    public override Task<Empty> Ping(Empty request, ServerCallContext context) => Task.FromResult(new Empty());
}
