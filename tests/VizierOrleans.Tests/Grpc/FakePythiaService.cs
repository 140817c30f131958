using System.Collections.Concurrent;
using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using VizierOrleans.Grpc.Protocol;

namespace VizierOrleans.Tests.Grpc;

/// <summary>
/// A stand-in for an OSS Vizier policy server: suggests x = 0.1, 0.2, ... in call order and stops every trial it
/// is asked about, and records the requests it received. A study's metadata item <c>fake/mode</c> changes what it
/// does: <c>raise</c> fails like a Python policy that raised, <c>slow:MS</c> answers its first call for the study after
/// MS milliseconds (later ones at once, so a suggestion queued behind it is not bound by its delay too),
/// <c>surplus:N</c> returns N suggestions more than asked, <c>pyglove</c> attaches per-trial metadata as PyGlove does
/// and marks the previous trial through a trial-level metadata update.
/// </summary>
internal sealed class FakePythiaService : PythiaService.PythiaServiceBase
{
    public const string RaisedMessage = "KeyError: 'initial_population'";

    private readonly ConcurrentDictionary<string, int> _callsPerStudy = new(StringComparer.Ordinal);
    private int _suggested;

    public ConcurrentQueue<SuggestRequest> SuggestRequests { get; } = new();

    public ConcurrentQueue<EarlyStopRequest> EarlyStopRequests { get; } = new();

    public override async Task<SuggestDecision> Suggest(SuggestRequest request, ServerCallContext context)
    {
        SuggestRequests.Enqueue(request);
        var mode = request.StudyDescriptor.Config.Metadata.FirstOrDefault(kv => kv.Ns == ":fake" && kv.Key == "mode")?.Value ?? string.Empty;
        if (mode == "raise")
        {
            throw new RpcException(new Status(StatusCode.Unknown, RaisedMessage));
        }

        var call = _callsPerStudy.AddOrUpdate(request.StudyDescriptor.Guid, 1, (_, n) => n + 1);
        if (mode.StartsWith("slow:", StringComparison.Ordinal) && call == 1)
        {
            await Task.Delay(int.Parse(mode[5..], CultureInfo.InvariantCulture), context.CancellationToken);
        }

        var count = request.Count + (mode.StartsWith("surplus:", StringComparison.Ordinal) ? int.Parse(mode[8..], CultureInfo.InvariantCulture) : 0);
        var decision = new SuggestDecision();
        for (var i = 0; i < count; i++)
        {
            var n = Interlocked.Increment(ref _suggested);
            var suggestion = new TrialSuggestion();
            suggestion.Parameters.Add(new Trial.Types.Parameter { ParameterId = "x", Value = Value.ForNumber(n % 10 / 10.0 + 0.1) });
            suggestion.Parameters.Add(new Trial.Types.Parameter { ParameterId = "opt", Value = Value.ForString(n % 2 == 0 ? "sgd" : "adam") });
            if (mode == "pyglove")
            {
                suggestion.Metadata.Add(new KeyValue { Ns = ":pyglove", Key = "DNA_METADATA", Value = $"dna-{n}" });
            }

            decision.Suggestions.Add(suggestion);
        }

        decision.Metadata.Add(new UnitMetadataUpdate { Metadatum = new KeyValue { Ns = ":pythia", Key = "calls", Value = SuggestRequests.Count.ToString(CultureInfo.InvariantCulture) } });
        if (mode == "pyglove" && request.StudyDescriptor.MaxTrialId > 0)
        {
            decision.Metadata.Add(new UnitMetadataUpdate
            {
                TrialId = request.StudyDescriptor.MaxTrialId.ToString(CultureInfo.InvariantCulture),
                Metadatum = new KeyValue { Ns = ":pyglove", Key = "seen", Value = "yes" },
            });
        }

        return decision;
    }

    public override Task<EarlyStopDecisions> EarlyStop(EarlyStopRequest request, ServerCallContext context)
    {
        EarlyStopRequests.Enqueue(request);
        var decisions = new EarlyStopDecisions();
        decisions.Decisions.AddRange(request.TrialIds.Select(id => new EarlyStopDecision { Id = id, ShouldStop = true, Reason = "the fake policy stops everything" }));
        decisions.Metadata.Add(new UnitMetadataUpdate { Metadatum = new KeyValue { Ns = ":pythia", Key = "early_stops", Value = EarlyStopRequests.Count.ToString(CultureInfo.InvariantCulture) } });
        decisions.Metadata.AddRange(request.TrialIds.Select(id => new UnitMetadataUpdate
        {
            TrialId = id.ToString(CultureInfo.InvariantCulture),
            Metadatum = new KeyValue { Ns = ":pythia", Key = "stop_checked", Value = "yes" },
        }));
        return Task.FromResult(decisions);
    }

    public override Task<Empty> Ping(Empty request, ServerCallContext context) => Task.FromResult(new Empty());
}
