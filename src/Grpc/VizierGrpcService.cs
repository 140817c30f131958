using System.Collections.Immutable;
using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Options;
using VizierOrleans.Grains.Interfaces;
using VizierOrleans.Grains.Interfaces.Policies;
using VizierOrleans.Grpc.Mapping;
using VizierOrleans.Grpc.Pythia;
using VizierOrleans.Grains.Interfaces.Model;
using Wire = VizierOrleans.Grpc.Protocol;
using LongRunning = VizierOrleans.Grpc.Protocol.LongRunning;

namespace VizierOrleans.Grpc;

/// <summary>
/// OSS Vizier's <c>vizier.VizierService</c>, each method mapped onto the study grains. The front door holds no
/// state of its own: it runs in every silo and, with the client library, as a separate stateless process.
/// </summary>
internal sealed class VizierGrpcService(IGrainFactory grains, IOptions<GrpcFrontDoorOptions> options, PolicyEndpointAllowList policyEndpoints) : Wire.VizierService.VizierServiceBase
{
    // GetOperation waits this long for a running suggestion before it answers "not done", so polling sees it sooner.
    private static readonly TimeSpan OperationPollWait = TimeSpan.FromSeconds(1);

    private readonly GrpcFrontDoorOptions _options = options.Value;

    /// <inheritdoc />
    public override async Task<Wire.Study> CreateStudy(Wire.CreateStudyRequest request, ServerCallContext context)
    {
        var owner = ParseOwner(request.Parent, "parent");
        if (request.Study is null)
        {
            throw new InvalidArgumentException("study is missing.");
        }

        if (string.IsNullOrEmpty(request.Study.DisplayName))
        {
            throw new InvalidArgumentException("study.display_name is empty; it is the study id.");
        }

        var name = ResourceNames.Study(owner, request.Study.DisplayName);
        var config = StudyMapper.FromWire(request.Study.StudySpec ?? throw new InvalidArgumentException("study.study_spec is missing."));
        if (ExternalPolicy.Endpoint(config) is { } endpoint)
        {
            await policyEndpoints.CheckAsync(endpoint, "study.study_spec.metadata (:service PYTHIA_ENDPOINT)", context.CancellationToken);
        }

        // Create-or-load on the display name: an existing study is returned as it is, never ALREADY_EXISTS.
        return StudyMapper.ToWire(await Study(name).CreateOrLoadAsync(config, requireSameConfig: false));
    }

    /// <inheritdoc />
    public override async Task<Wire.Study> GetStudy(Wire.GetStudyRequest request, ServerCallContext context) =>
        StudyMapper.ToWire(await Study(ParseStudy(request.Name, "name")).GetAsync());

    /// <inheritdoc />
    public override async Task<Wire.ListStudiesResponse> ListStudies(Wire.ListStudiesRequest request, ServerCallContext context)
    {
        var owner = ParseOwner(request.Parent, "parent");
        var pageSize = PageSize(request.PageSize, request.PageToken);

        // One more than the page, so that a full last page says there is no next one; the response size limit may end it sooner.
        var listed = await grains.GetGrain<IOwnerGrain>(owner).ListStudiesAsync(request.PageToken, pageSize == 0 ? 0 : pageSize + 1);
        var response = new Wire.ListStudiesResponse();
        response.NextPageToken = Page(listed.Studies.Select(s => StudyMapper.ToWire(s.Study)), response.Studies, pageSize, "ListStudies", s => s.DisplayName) ?? string.Empty;
        return response;
    }

    /// <inheritdoc />
    public override async Task<Empty> DeleteStudy(Wire.DeleteStudyRequest request, ServerCallContext context)
    {
        await Study(ParseStudy(request.Name, "name")).DeleteAsync();
        return new Empty();
    }

    /// <inheritdoc />
    public override async Task<Wire.Study> SetStudyState(Wire.SetStudyStateRequest request, ServerCallContext context)
    {
        var state = request.State switch
        {
            Wire.Study.Types.State.Active => StudyState.Active,
            Wire.Study.Types.State.Inactive => StudyState.Inactive,
            Wire.Study.Types.State.Completed => StudyState.Completed,
            var other => throw new InvalidArgumentException($"state: {(int)other} is not ACTIVE (1), INACTIVE (2) or COMPLETED (3)."),
        };
        return StudyMapper.ToWire(await Study(ParseStudy(request.Parent, "parent")).SetStateAsync(state));
    }

    /// <inheritdoc />
    public override async Task<LongRunning.Operation> SuggestTrials(Wire.SuggestTrialsRequest request, ServerCallContext context)
    {
        var studyName = ParseStudy(request.Parent, "parent");
        if (string.IsNullOrEmpty(request.ClientId))
        {
            throw new InvalidArgumentException("client_id is empty.");
        }

        if (request.SuggestionCount < 0)
        {
            throw new InvalidArgumentException($"suggestion_count must not be negative, was {request.SuggestionCount}.");
        }

        var study = Study(studyName);
        if (request.SuggestionCount == 0)
        {
            // The OSS client's suggest() without a count asks for nothing: answer with no trials, if the study could give some.
            RequireActive(await study.GetAsync());
            return Done(studyName, request.ClientId, []);
        }

        SuggestOperation operation;
        try
        {
            operation = await study.StartSuggestAsync(request.SuggestionCount, request.ClientId, _options.SuggestWait);
        }
        catch (Exception e) when (e is not VizierException)
        {
            // What the study depends on failed (a silo, storage): the protocol reports that inside the operation.
            return Failed(OperationNames.Suggestion(studyName, request.ClientId, []), StatusMapping.CodeOf(e), StatusMapping.MessageOf(e));
        }

        return ToWire(studyName, operation, OperationNames.Running(studyName, request.ClientId, operation.Id), firstCall: true);
    }

    /// <inheritdoc />
    public override async Task<LongRunning.Operation> GetOperation(LongRunning.GetOperationRequest request, ServerCallContext context)
    {
        var (studyName, ids, operationId) = OperationNames.Parse(request.Name);
        var study = Study(studyName);
        if (operationId is { } id)
        {
            return ToWire(studyName, await study.GetSuggestOperationAsync(id, OperationPollWait), request.Name, firstCall: false);
        }

        var trials = await Task.WhenAll(ids.Select(id => study.GetTrialAsync(id)));
        return new LongRunning.Operation
        {
            Name = request.Name,
            Done = true,
            Response = Any.Pack(SuggestResponse(trials)),
        };
    }

    /// <summary>
    /// The wire form of a suggest operation. A failed policy is reported inside the operation (the OSS client raises
    /// with its message); an inactive study on the first call is FAILED_PRECONDITION, which the client reads as
    /// "no more suggestions".
    /// </summary>
    private static LongRunning.Operation ToWire(string studyName, SuggestOperation operation, string runningName, bool firstCall)
    {
        if (!operation.Done)
        {
            return new LongRunning.Operation { Name = runningName, Done = false };
        }

        if (operation.ErrorCode is { } code)
        {
            if (firstCall && code is VizierErrorCode.NotFound or VizierErrorCode.InvalidArgument or VizierErrorCode.PermissionDenied)
            {
                throw new VizierException(code, operation.ErrorMessage ?? code.ToString());
            }

            return Failed(runningName, (StatusCode)(int)code, operation.ErrorMessage ?? code.ToString());
        }

        var result = operation.Result!;
        if (firstCall && result.Trials.IsEmpty && result.StudyState != StudyState.Active)
        {
            throw new FailedPreconditionException(result.Reason ?? $"{studyName} is {result.StudyState.ToString().ToUpperInvariant()}.");
        }

        return Done(studyName, operation.ClientId, result.Trials);
    }

    private static LongRunning.Operation Failed(string name, StatusCode code, string message) => new()
    {
        Name = name,
        Done = true,
        Error = new Protocol.Rpc.Status { Code = (int)code, Message = message },
    };

    /// <inheritdoc />
    public override async Task<Wire.Trial> CreateTrial(Wire.CreateTrialRequest request, ServerCallContext context)
    {
        var study = Study(ParseStudy(request.Parent, "parent"));
        var info = await study.GetAsync();
        var trial = TrialMapper.RequestFromWire(request.Trial ?? throw new InvalidArgumentException("trial is missing."), info.Config);
        return TrialMapper.ToWire(await study.CreateTrialAsync(trial));
    }

    /// <inheritdoc />
    public override async Task<Wire.Trial> GetTrial(Wire.GetTrialRequest request, ServerCallContext context)
    {
        var (study, id) = ParseTrial(request.Name, "name");
        return TrialMapper.ToWire(await study.GetTrialAsync(id));
    }

    /// <inheritdoc />
    public override async Task<Wire.ListTrialsResponse> ListTrials(Wire.ListTrialsRequest request, ServerCallContext context)
    {
        var after = 0L;
        if (request.PageToken.Length > 0 && (!long.TryParse(request.PageToken, NumberStyles.None, CultureInfo.InvariantCulture, out after) || after <= 0))
        {
            throw new InvalidArgumentException($"page_token '{request.PageToken}' was not returned by ListTrials.");
        }

        var pageSize = PageSize(request.PageSize, request.PageToken);
        var trials = await Study(ParseStudy(request.Parent, "parent")).ListTrialsAsync(new TrialFilter
        {
            AfterId = after,
            MaxCount = pageSize == 0 ? 0 : pageSize + 1,
        });
        var response = new Wire.ListTrialsResponse();
        response.NextPageToken = Page(trials.Select(TrialMapper.ToWire), response.Trials, pageSize, "ListTrials", t => t.Id) ?? string.Empty;
        return response;
    }

    /// <inheritdoc />
    public override async Task<Wire.Trial> AddTrialMeasurement(Wire.AddTrialMeasurementRequest request, ServerCallContext context)
    {
        var (study, id) = ParseTrial(request.TrialName, "trial_name");
        var measurement = MeasurementMapper.FromWire(request.Measurement ?? throw new InvalidArgumentException("measurement is missing."));
        return TrialMapper.ToWire(await study.AddMeasurementAsync(id, measurement));
    }

    /// <inheritdoc />
    public override async Task<Wire.Trial> CompleteTrial(Wire.CompleteTrialRequest request, ServerCallContext context)
    {
        var (study, id) = ParseTrial(request.Name, "name");
        if (request.TrialInfeasible)
        {
            var reason = string.IsNullOrEmpty(request.InfeasibleReason) ? "infeasible" : request.InfeasibleReason;
            return TrialMapper.ToWire(await study.CompleteTrialInfeasibleAsync(id, reason));
        }

        // As the reference server decides: metrics in the final measurement, else the last intermediate measurement.
        var final = request.FinalMeasurement is { Metrics.Count: > 0 } m ? MeasurementMapper.FromWire(m) : null;
        return TrialMapper.ToWire(await study.CompleteTrialAsync(id, final));
    }

    /// <inheritdoc />
    public override async Task<Empty> DeleteTrial(Wire.DeleteTrialRequest request, ServerCallContext context)
    {
        var (study, id) = ParseTrial(request.Name, "name");
        await study.DeleteTrialAsync(id);
        return new Empty();
    }

    /// <inheritdoc />
    public override async Task<Wire.CheckTrialEarlyStoppingStateResponse> CheckTrialEarlyStoppingState(Wire.CheckTrialEarlyStoppingStateRequest request, ServerCallContext context)
    {
        var (study, id) = ParseTrial(request.TrialName, "trial_name");
        var trial = await study.GetTrialAsync(id);
        if (!trial.State.IsRunning())
        {
            throw new FailedPreconditionException($"{trial.Name} is {trial.State.ToString().ToUpperInvariant()}; only ACTIVE or STOPPING trials can be checked for early stopping.");
        }

        var decision = await study.ShouldStopAsync(id);
        return new Wire.CheckTrialEarlyStoppingStateResponse { ShouldStop = decision.ShouldStop };
    }

    /// <inheritdoc />
    public override async Task<Wire.Trial> StopTrial(Wire.StopTrialRequest request, ServerCallContext context)
    {
        var (study, id) = ParseTrial(request.Name, "name");
        return TrialMapper.ToWire(await study.StopTrialAsync(id));
    }

    /// <inheritdoc />
    public override async Task<Wire.ListOptimalTrialsResponse> ListOptimalTrials(Wire.ListOptimalTrialsRequest request, ServerCallContext context)
    {
        var trials = await Study(ParseStudy(request.Parent, "parent")).ListOptimalTrialsAsync();
        var response = new Wire.ListOptimalTrialsResponse();
        response.OptimalTrials.AddRange(trials.Select(TrialMapper.ToWire));
        RequireFits(response, "ListOptimalTrials");
        return response;
    }

    /// <inheritdoc />
    public override async Task<Wire.UpdateMetadataResponse> UpdateMetadata(Wire.UpdateMetadataRequest request, ServerCallContext context)
    {
        var study = Study(ParseStudy(request.Name, "name"));
        var studyItems = new List<MetadataItem>();
        var trialItems = new Dictionary<long, List<MetadataItem>>();
        foreach (var (delta, i) in request.Delta.Select((d, i) => (d, i)))
        {
            var item = MetadataMapper.FromWire(delta.Metadatum ?? throw new InvalidArgumentException($"delta[{i}].metadatum is missing."), $"delta[{i}].metadatum");
            if (!delta.HasTrialId)
            {
                studyItems.Add(item);
            }
            else if (long.TryParse(delta.TrialId, NumberStyles.None, CultureInfo.InvariantCulture, out var trialId) && trialId > 0)
            {
                (trialItems.TryGetValue(trialId, out var list) ? list : trialItems[trialId] = []).Add(item);
            }
            else
            {
                throw new InvalidArgumentException($"delta[{i}].trial_id '{delta.TrialId}' is not a trial id.");
            }
        }

        if (studyItems.Count > 0)
        {
            await study.UpdateStudyMetadataAsync([.. studyItems]);
        }

        // As the protocol expects, a missing trial is reported in error_details rather than failing the call.
        var errors = new List<string>();
        foreach (var (trialId, items) in trialItems)
        {
            try
            {
                await study.UpdateTrialMetadataAsync(trialId, [.. items]);
            }
            catch (NotFoundException e)
            {
                errors.Add(e.Message);
            }
        }

        return new Wire.UpdateMetadataResponse { ErrorDetails = string.Join(' ', errors) };
    }

    private IStudyGrain Study(string name) => grains.GetGrain<IStudyGrain>(name);

    private static void RequireActive(StudyInfo study)
    {
        if (study.State != StudyState.Active)
        {
            throw new FailedPreconditionException($"{study.Name} is {study.State.ToString().ToUpperInvariant()}; it hands out no trials.");
        }
    }

    private static LongRunning.Operation Done(string studyName, string clientId, IReadOnlyList<Trial> trials) => new()
    {
        Name = OperationNames.Suggestion(studyName, clientId, trials.Select(t => t.Id)),
        Done = true,
        Response = Any.Pack(SuggestResponse(trials)),
    };

    private static Wire.SuggestTrialsResponse SuggestResponse(IReadOnlyList<Trial> trials)
    {
        var response = new Wire.SuggestTrialsResponse { StartTime = Timestamp.FromDateTime(DateTime.UtcNow) };
        response.Trials.AddRange(trials.Select(TrialMapper.ToWire));
        return response;
    }

    /// <summary>
    /// The page size to serve: 0 (the whole list, as the OSS client expects) when the caller asks for no page size and
    /// sends no token; otherwise the asked size (or the largest) capped at <see cref="GrpcFrontDoorOptions.MaxPageSize"/>.
    /// </summary>
    private int PageSize(int asked, string pageToken) => asked switch
    {
        < 0 => throw new InvalidArgumentException($"page_size must not be negative, was {asked}."),
        0 when pageToken.Length == 0 => 0,
        0 => _options.MaxPageSize,
        _ => Math.Min(asked, _options.MaxPageSize),
    };

    /// <summary>
    /// Fills one page: all items when <paramref name="pageSize"/> is 0 (the OSS client never pages, so the list must be
    /// whole or refused), else up to the page size and the response size limit. Returns the next page token.
    /// </summary>
    private string? Page<T>(IEnumerable<T> items, Google.Protobuf.Collections.RepeatedField<T> page, int pageSize, string method, Func<T, string> tokenOf)
        where T : IMessage<T>
    {
        var limit = _options.MaxMessageBytes - 1024;
        var size = 0L;
        var max = pageSize == 0 ? int.MaxValue : pageSize;
        foreach (var item in items)
        {
            var itemSize = item.CalculateSize() + 8;
            if (page.Count == max || (pageSize > 0 && page.Count > 0 && size + itemSize > limit))
            {
                return tokenOf(page[^1]);
            }

            size += itemSize;
            if (pageSize == 0 && size > limit)
            {
                throw new RpcException(new Status(StatusCode.ResourceExhausted, $"{method}: the whole list is over {_options.MaxMessageBytes} bytes, the response size limit; ask for pages with page_size."));
            }

            page.Add(item);
        }

        return null;
    }

    private void RequireFits(IMessage response, string method)
    {
        if (response.CalculateSize() > _options.MaxMessageBytes - 1024)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, $"{method}: the response is over {_options.MaxMessageBytes} bytes, the response size limit."));
        }
    }

    private static string ParseOwner(string parent, string field)
    {
        var parts = parent.Split('/');
        if (parts.Length != 2 || parts[0] != "owners" || parts[1].Length == 0)
        {
            throw new InvalidArgumentException($"{field}: '{parent}' is not an owner name (owners/{{owner}}).");
        }

        return parts[1];
    }

    private static string ParseStudy(string name, string field)
    {
        try
        {
            ResourceNames.ParseStudy(name);
            return name;
        }
        catch (InvalidArgumentException e)
        {
            throw new InvalidArgumentException($"{field}: {e.Message}");
        }
    }

    private (IStudyGrain Study, long TrialId) ParseTrial(string name, string field)
    {
        try
        {
            var (studyName, id) = ResourceNames.ParseTrial(name);
            return (Study(studyName), id);
        }
        catch (InvalidArgumentException e)
        {
            throw new InvalidArgumentException($"{field}: {e.Message}");
        }
    }
}
