using System.Collections.Concurrent;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using VizierOrleans.Grpc.Protocol;
using VizierOrleans.Grpc.Protocol.LongRunning;

namespace VizierOrleans.Tests.Cli;

/// <summary>
/// A Vizier server whose suggestions take time, as a slow policy's do: SuggestTrials answers with an operation that
/// is not done, and GetOperation says done on its third call. Study <c>owners/o/studies/failing</c> ends its operation
/// in an UNAVAILABLE error instead. Records the API key each call carried.
/// </summary>
internal sealed class SlowVizierService : VizierService.VizierServiceBase
{
    private readonly ConcurrentDictionary<string, int> _polls = new();

    public ConcurrentQueue<string> ApiKeys { get; } = new();

    public int Polls => _polls.Values.Sum();

    public override Task<Operation> SuggestTrials(SuggestTrialsRequest request, ServerCallContext context)
    {
        Record(context);
        return Task.FromResult(new Operation { Name = $"{request.Parent}/operations/{request.ClientId}", Done = false });
    }

    public override Task<Operation> GetOperation(GetOperationRequest request, ServerCallContext context)
    {
        Record(context);
        var polls = _polls.AddOrUpdate(request.Name, 1, (_, n) => n + 1);
        if (polls < 3)
        {
            return Task.FromResult(new Operation { Name = request.Name, Done = false });
        }

        if (request.Name.StartsWith("owners/o/studies/failing/", StringComparison.Ordinal))
        {
            return Task.FromResult(new Operation
            {
                Name = request.Name,
                Done = true,
                Error = new VizierOrleans.Grpc.Protocol.Rpc.Status { Code = (int)StatusCode.Unavailable, Message = "policy service at pythia:8888 is unreachable" },
            });
        }

        var response = new SuggestTrialsResponse { StudyState = Study.Types.State.Active };
        var trial = new Trial { Name = "owners/o/studies/slow/trials/5", Id = "5", State = Trial.Types.State.Active, ClientId = "w" };
        trial.Parameters.Add(new Trial.Types.Parameter { ParameterId = "x", Value = Value.ForNumber(0.25) });
        response.Trials.Add(trial);
        return Task.FromResult(new Operation { Name = request.Name, Done = true, Response = Any.Pack(response) });
    }

    private void Record(ServerCallContext context) => ApiKeys.Enqueue(context.RequestHeaders.GetValue("x-vizier-api-key") ?? string.Empty);
}
