using System.Globalization;
using Grpc.Core;
using VizierOrleans.Grpc.Protocol;

namespace VizierOrleans.Tests.Grpc;

/// <summary>Studies that name a PYTHIA_ENDPOINT get their suggestions and stopping decisions from that policy service.</summary>
[Collection(GrpcCollection.Name)]
public sealed class ExternalPolicyTests(GrpcFixture fixture)
{
    [Fact]
    public async Task Suggestions_and_stopping_decisions_come_from_the_external_policy_service()
    {
        var spec = WireStudies.Small("PYGLOVE_REGULARIZED_EVOLUTION");
        spec.Metadata.Add(new KeyValue { Ns = ":service", Key = "PYTHIA_ENDPOINT", Value = fixture.PythiaEndpoint });
        var study = await fixture.Client.CreateStudyAsync(WireStudies.Create(TestConfigs.UniqueId("o"), "pythia", spec));

        var before = fixture.Pythia.SuggestRequests.Count;
        var trials = WireStudies.Trials(await fixture.Client.SuggestTrialsAsync(new SuggestTrialsRequest { Parent = study.Name, SuggestionCount = 2, ClientId = "w" })).Trials;
        Assert.Equal(["1", "2"], trials.Select(t => t.Id));
        Assert.All(trials, t =>
        {
            Assert.InRange(t.Parameters.Single(p => p.ParameterId == "x").Value.NumberValue, 0.1, 1);
            Assert.Contains(t.Parameters.Single(p => p.ParameterId == "opt").Value.StringValue, new[] { "adam", "sgd" });
        });

        var request = fixture.Pythia.SuggestRequests.Skip(before).First(r => r.StudyDescriptor.Guid == study.Name);
        Assert.Equal(("PYGLOVE_REGULARIZED_EVOLUTION", 2, 0), (request.Algorithm, request.Count, request.StudyDescriptor.MaxTrialId));
        Assert.Equal(["x", "opt"], request.StudyDescriptor.Config.SearchSpace.Select(p => p.ParameterId));
        Assert.Equal("loss", Assert.Single(request.StudyDescriptor.Config.MetricInformation).MetricId);

        // The policy's study metadata is stored with the study.
        var stored = await fixture.Client.GetStudyAsync(new GetStudyRequest { Name = study.Name });
        Assert.Contains(stored.StudySpec.Metadata, kv => kv.Ns == ":pythia" && kv.Key == "calls");

        // The fake policy stops every running trial it is asked about.
        var check = await fixture.Client.CheckTrialEarlyStoppingStateAsync(new CheckTrialEarlyStoppingStateRequest { TrialName = trials[0].Name });
        Assert.True(check.ShouldStop);
        Assert.Equal(Trial.Types.State.Stopping, (await fixture.Client.GetTrialAsync(new GetTrialRequest { Name = trials[0].Name })).State);
        Assert.Contains(fixture.Pythia.EarlyStopRequests, r => r.StudyDescriptor.Guid == study.Name && r.TrialIds.Contains(1));
    }

    [Fact]
    public async Task An_unreachable_policy_service_fails_the_suggestion_clearly_and_loses_nothing()
    {
        var endpoint = GrpcFixture.UnreachableEndpoint;
        var spec = WireStudies.Small("ANY_ALGORITHM");
        spec.Metadata.Add(new KeyValue { Ns = ":service", Key = "PYTHIA_ENDPOINT", Value = endpoint });
        var study = await fixture.Client.CreateStudyAsync(WireStudies.Create(TestConfigs.UniqueId("o"), "down", spec));

        // The call waits for the service to accept a connection (the test cluster: 5 s), then fails.
        var operation = await DoneAsync(await fixture.Client.SuggestTrialsAsync(new SuggestTrialsRequest { Parent = study.Name, SuggestionCount = 1, ClientId = "w" }));
        Assert.Equal((int)StatusCode.Unavailable, operation.Error.Code);
        Assert.Contains("accepted no connection within 5 s", operation.Error.Message, StringComparison.Ordinal);
        Assert.Contains(endpoint, operation.Error.Message, StringComparison.Ordinal);
        Assert.Empty((await fixture.Client.ListTrialsAsync(new ListTrialsRequest { Parent = study.Name })).Trials);

        // A hand-added trial is still served while the policy service is down.
        var trial = new Trial { State = Trial.Types.State.Requested };
        trial.Parameters.Add(new Trial.Types.Parameter { ParameterId = "x", Value = Google.Protobuf.WellKnownTypes.Value.ForNumber(0.5) });
        trial.Parameters.Add(new Trial.Types.Parameter { ParameterId = "opt", Value = Google.Protobuf.WellKnownTypes.Value.ForString("sgd") });
        await fixture.Client.CreateTrialAsync(new CreateTrialRequest { Parent = study.Name, Trial = trial });
        Assert.Equal(["1"], WireStudies.Trials(await fixture.Client.SuggestTrialsAsync(new SuggestTrialsRequest { Parent = study.Name, SuggestionCount = 1, ClientId = "w" })).Trials.Select(t => t.Id));
    }

    [Fact]
    public async Task A_policy_service_that_starts_listening_after_the_study_asked_it_is_waited_for_and_answers()
    {
        // PyGlove starts its policy service next to the study it creates; the first suggestion can come first.
        var port = SiloProcess.FreePort();
        var spec = WireStudies.Small("PYGLOVE_REGULARIZED_EVOLUTION");
        spec.Metadata.Add(new KeyValue { Ns = ":service", Key = "PYTHIA_ENDPOINT", Value = $"localhost:{port}" });
        var study = await fixture.Client.CreateStudyAsync(WireStudies.Create(TestConfigs.UniqueId("o"), "late", spec));

        var suggest = fixture.Client.SuggestTrialsAsync(new SuggestTrialsRequest { Parent = study.Name, SuggestionCount = 1, ClientId = "w" }).ResponseAsync;
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        await fixture.StartPythiaAsync(port);

        var operation = await DoneAsync(await suggest);
        Assert.Null(operation.Error);
        Assert.Equal(["1"], WireStudies.Trials(operation).Trials.Select(t => t.Id));
    }

    [Fact]
    public async Task A_policy_suggestions_trial_metadata_is_stored_on_its_trials_and_trial_updates_are_applied()
    {
        var study = await CreateAsync("pyglove", "pyglove");
        var first = await SuggestAsync(study, 1, "w");
        var stored = await fixture.Client.GetTrialAsync(new GetTrialRequest { Name = first.Trials[0].Name });
        var dna = Assert.Single(stored.Metadata, kv => kv.Ns == ":pyglove" && kv.Key == "DNA_METADATA");
        Assert.StartsWith("dna-", dna.Value, StringComparison.Ordinal);
        Assert.Equal(dna.Value, Assert.Single(first.Trials[0].Metadata, kv => kv.Key == "DNA_METADATA").Value);

        await fixture.Client.CompleteTrialAsync(new CompleteTrialRequest { Name = first.Trials[0].Name, FinalMeasurement = WireStudies.Measurement("loss", 1) });
        var second = await SuggestAsync(study, 1, "w");
        Assert.Equal("2", second.Trials[0].Id);

        // The second decision marked trial 1 (the study's highest id then) through a trial-level metadata update.
        var marked = await fixture.Client.GetTrialAsync(new GetTrialRequest { Name = first.Trials[0].Name });
        Assert.Equal("yes", Assert.Single(marked.Metadata, kv => kv.Ns == ":pyglove" && kv.Key == "seen").Value);
        Assert.Equal(dna.Value, Assert.Single(marked.Metadata, kv => kv.Key == "DNA_METADATA").Value);
    }

    [Fact]
    public async Task A_raising_policy_fails_the_operation_with_its_message_and_creates_nothing()
    {
        var study = await CreateAsync("raise", "raise");
        var operation = await fixture.Client.SuggestTrialsAsync(new SuggestTrialsRequest { Parent = study.Name, SuggestionCount = 2, ClientId = "w" });
        Assert.True(operation.Done);
        Assert.Equal((int)StatusCode.Internal, operation.Error.Code);
        Assert.Contains(FakePythiaService.RaisedMessage, operation.Error.Message, StringComparison.Ordinal);
        Assert.Contains(fixture.PythiaEndpoint, operation.Error.Message, StringComparison.Ordinal);
        Assert.Empty((await fixture.Client.ListTrialsAsync(new ListTrialsRequest { Parent = study.Name })).Trials);
        Assert.Equal(Study.Types.State.Active, (await fixture.Client.GetStudyAsync(new GetStudyRequest { Name = study.Name })).State);
    }

    [Fact]
    public async Task Suggestions_beyond_the_asked_count_are_kept_as_requested_trials()
    {
        var study = await CreateAsync("surplus", "surplus:3");
        var calls = fixture.Pythia.SuggestRequests.Count(r => r.StudyDescriptor.Guid == study.Name);
        var handed = await SuggestAsync(study, 2, "w");
        Assert.Equal(["1", "2"], handed.Trials.Select(t => t.Id));

        var all = (await fixture.Client.ListTrialsAsync(new ListTrialsRequest { Parent = study.Name })).Trials;
        Assert.Equal(["1", "2", "3", "4", "5"], all.Select(t => t.Id));
        Assert.Equal(
            [Trial.Types.State.Active, Trial.Types.State.Active, Trial.Types.State.Requested, Trial.Types.State.Requested, Trial.Types.State.Requested],
            all.Select(t => t.State));

        // The queued surplus is handed out without asking the policy again.
        var next = await SuggestAsync(study, 3, "w2");
        Assert.Equal(["3", "4", "5"], next.Trials.Select(t => t.Id).Order());
        Assert.Equal(calls + 1, fixture.Pythia.SuggestRequests.Count(r => r.StudyDescriptor.Guid == study.Name));
    }

    [Fact]
    public async Task A_policy_slower_than_the_call_timeout_delivers_its_suggestions_through_GetOperation()
    {
        // Slower than the cluster's response timeout (GrpcFixture.ResponseTimeout), inside the policy deadline.
        var delay = (int)(GrpcFixture.ResponseTimeout + TimeSpan.FromSeconds(2)).TotalMilliseconds;
        var study = await CreateAsync("slow", $"slow:{delay}");
        var started = DateTime.UtcNow;
        var operation = await fixture.Client.SuggestTrialsAsync(new SuggestTrialsRequest { Parent = study.Name, SuggestionCount = 2, ClientId = "w" });
        Assert.False(operation.Done);
        Assert.Contains("/operations/suggestion/", operation.Name, StringComparison.Ordinal);

        // A second worker queues behind the slow policy and waits for it instead of timing out.
        var queued = fixture.Client.SuggestTrialsAsync(new SuggestTrialsRequest { Parent = study.Name, SuggestionCount = 1, ClientId = "w2" }).ResponseAsync;
        while (!operation.Done)
        {
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(60), "the slow suggestion never finished");
            await Task.Delay(300);
            operation = await fixture.Client.GetOperationAsync(new VizierOrleans.Grpc.Protocol.LongRunning.GetOperationRequest { Name = operation.Name });
        }

        Assert.Null(operation.Error);
        Assert.Equal(["1", "2"], WireStudies.Trials(operation).Trials.Select(t => t.Id));
        var second = await queued;
        while (!second.Done)
        {
            await Task.Delay(300);
            second = await fixture.Client.GetOperationAsync(new VizierOrleans.Grpc.Protocol.LongRunning.GetOperationRequest { Name = second.Name });
        }

        Assert.Null(second.Error);
        Assert.Equal(["3"], WireStudies.Trials(second).Trials.Select(t => t.Id));
    }

    [Fact]
    public async Task Early_stop_requests_carry_the_current_problem_statement_and_the_asked_trial_and_apply_metadata()
    {
        var study = await CreateAsync("stop", "plain");
        var trials = (await SuggestAsync(study, 2, "w")).Trials;
        var check = await fixture.Client.CheckTrialEarlyStoppingStateAsync(new CheckTrialEarlyStoppingStateRequest { TrialName = trials[1].Name });
        Assert.True(check.ShouldStop);

        var request = fixture.Pythia.EarlyStopRequests.Last(r => r.StudyDescriptor.Guid == study.Name);
        Assert.Equal([2], request.TrialIds);
        Assert.Equal(2, request.StudyDescriptor.MaxTrialId);

        // The study's metadata as it is now: the suggestion's policy state is in it, not only what it was created with.
        Assert.Contains(request.StudyDescriptor.Config.Metadata, kv => kv.Ns == ":pythia" && kv.Key == "calls");
        Assert.Contains(request.StudyDescriptor.Config.Metadata, kv => kv.Ns == ":fake" && kv.Key == "mode" && kv.Value == "plain");

        // Study- and trial-level metadata from the stop decisions are stored.
        var stored = await fixture.Client.GetStudyAsync(new GetStudyRequest { Name = study.Name });
        Assert.Contains(stored.StudySpec.Metadata, kv => kv.Ns == ":pythia" && kv.Key == "early_stops");
        var trial = await fixture.Client.GetTrialAsync(new GetTrialRequest { Name = trials[1].Name });
        Assert.Equal("yes", Assert.Single(trial.Metadata, kv => kv.Ns == ":pythia" && kv.Key == "stop_checked").Value);
        Assert.Equal(Trial.Types.State.Stopping, trial.State);
    }

    [Fact]
    public async Task A_bare_metadata_namespace_is_read_as_the_reference_reads_it()
    {
        // CreateAsync writes the mode under the bare namespace "fake"; the policy received it as ":fake" (asserted above).
        var study = await CreateAsync("bare", "plain");
        var spec = (await fixture.Client.GetStudyAsync(new GetStudyRequest { Name = study.Name })).StudySpec;
        Assert.Contains(spec.Metadata, kv => kv.Ns == ":fake" && kv.Key == "mode");

        var update = new UpdateMetadataRequest { Name = study.Name };
        update.Delta.Add(new UnitMetadataUpdate { Metadatum = new KeyValue { Ns = "fake:deep", Key = "k", Value = "v" } });
        await fixture.Client.UpdateMetadataAsync(update);
        await SuggestAsync(study, 1, "w");
        var request = fixture.Pythia.SuggestRequests.Last(r => r.StudyDescriptor.Guid == study.Name);
        Assert.Contains(request.StudyDescriptor.Config.Metadata, kv => kv.Ns == ":fake:deep" && kv.Key == "k" && kv.Value == "v");
    }

    [Fact]
    public async Task An_api_key_deployment_refuses_policy_endpoints_outside_its_allow_list_and_creates_nothing()
    {
        var owner = TestConfigs.UniqueId("o");
        var spec = WireStudies.Small("PYGLOVE_REGULARIZED_EVOLUTION");
        spec.Metadata.Add(new KeyValue { Ns = ":service", Key = "PYTHIA_ENDPOINT", Value = fixture.PythiaEndpoint });
        var headers = new Metadata { { "x-vizier-api-key", GrpcFixture.KeyForAll } };
        var e = await Assert.ThrowsAsync<RpcException>(() => fixture.KeyedClient.CreateStudyAsync(WireStudies.Create(owner, "refused", spec), headers).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        Assert.Contains(fixture.PythiaEndpoint, e.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("PYTHIA_ENDPOINT", e.Status.Detail, StringComparison.Ordinal);
        Assert.Empty((await fixture.Client.ListStudiesAsync(new ListStudiesRequest { Parent = $"owners/{owner}" })).Studies);
    }

    private async Task<Study> CreateAsync(string studyId, string mode)
    {
        var spec = WireStudies.Small("PYGLOVE_REGULARIZED_EVOLUTION");
        spec.Metadata.Add(new KeyValue { Ns = ":service", Key = "PYTHIA_ENDPOINT", Value = fixture.PythiaEndpoint });
        spec.Metadata.Add(new KeyValue { Ns = "fake", Key = "mode", Value = mode });
        return await fixture.Client.CreateStudyAsync(WireStudies.Create(TestConfigs.UniqueId("o"), studyId, spec));
    }

    private async Task<VizierOrleans.Grpc.Protocol.LongRunning.Operation> DoneAsync(VizierOrleans.Grpc.Protocol.LongRunning.Operation operation)
    {
        while (!operation.Done)
        {
            operation = await fixture.Client.GetOperationAsync(new VizierOrleans.Grpc.Protocol.LongRunning.GetOperationRequest { Name = operation.Name });
        }

        return operation;
    }

    private async Task<SuggestTrialsResponse> SuggestAsync(Study study, int count, string clientId)
    {
        var operation = await fixture.Client.SuggestTrialsAsync(new SuggestTrialsRequest { Parent = study.Name, SuggestionCount = count, ClientId = clientId });
        Assert.True(operation.Done);
        Assert.Null(operation.Error);
        return WireStudies.Trials(operation);
    }
}
