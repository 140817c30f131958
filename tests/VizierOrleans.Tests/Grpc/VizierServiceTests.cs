using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using VizierOrleans.Grpc.Protocol;
using LongRunning = VizierOrleans.Grpc.Protocol.LongRunning;

namespace VizierOrleans.Tests.Grpc;

/// <summary>OSS Vizier's protocol over a real HTTP/2 connection: the conformance flow, each method, and the status codes.</summary>
[Collection(GrpcCollection.Name)]
public sealed class VizierServiceTests(GrpcFixture fixture)
{
    private VizierService.VizierServiceClient Client => fixture.Client;

    [Fact]
    public async Task Conformance_flow_of_section_5_gives_what_the_python_client_expects()
    {
        var owner = TestConfigs.UniqueId("o");

        // 1, 1b: create-or-load on the display name; the second call loads the same study.
        var created = await Client.CreateStudyAsync(WireStudies.Create(owner, "s1", WireStudies.Example()));
        Assert.Equal($"owners/{owner}/studies/s1", created.Name);
        var again = await Client.CreateStudyAsync(WireStudies.Create(owner, "s1", WireStudies.Example()));
        Assert.Equal(created.Name, again.Name);

        // 2, 2b: two ACTIVE trials for w1, ids 1 and 2; asking again returns the same two.
        var suggested = WireStudies.Trials(await Client.SuggestTrialsAsync(new SuggestTrialsRequest { Parent = created.Name, SuggestionCount = 2, ClientId = "w1" }));
        Assert.Equal(["1", "2"], suggested.Trials.Select(t => t.Id));
        Assert.All(suggested.Trials, t =>
        {
            Assert.Equal(Trial.Types.State.Active, t.State);
            Assert.Equal("w1", t.ClientId);
            Assert.Equal($"{created.Name}/trials/{t.Id}", t.Name);
            Assert.Null(t.FinalMeasurement);
            Assert.NotNull(t.StartTime);
            Assert.Equal(["bs", "flag", "layers", "lr", "opt"], t.Parameters.Select(p => p.ParameterId));
        });
        var repeated = WireStudies.Trials(await Client.SuggestTrialsAsync(new SuggestTrialsRequest { Parent = created.Name, SuggestionCount = 2, ClientId = "w1" }));
        Assert.Equal(["1", "2"], repeated.Trials.Select(t => t.Id));

        // 3: an intermediate measurement.
        var measured = await Client.AddTrialMeasurementAsync(new AddTrialMeasurementRequest
        {
            TrialName = $"{created.Name}/trials/1",
            Measurement = WireStudies.Measurement("acc", 0.5, steps: 1, seconds: 1.5),
        });
        Assert.Equal("1", measured.Id);
        Assert.Null(measured.FinalMeasurement);
        Assert.Equal(new Duration { Seconds = 1, Nanos = 500_000_000 }, Assert.Single(measured.Measurements).ElapsedDuration);

        // 4: completion carries the final measurement.
        var completed = await Client.CompleteTrialAsync(new CompleteTrialRequest
        {
            Name = $"{created.Name}/trials/1",
            FinalMeasurement = WireStudies.Measurement("acc", 0.9, steps: 2, seconds: 3.25),
        });
        Assert.Equal(Trial.Types.State.Succeeded, completed.State);
        Assert.Equal(0.9, Assert.Single(completed.FinalMeasurement.Metrics).Value);
        Assert.Equal(2, completed.FinalMeasurement.StepCount);

        // 5, 5b: early stopping answers synchronously for a running trial; a finished one is FAILED_PRECONDITION.
        var check = await Client.CheckTrialEarlyStoppingStateAsync(new CheckTrialEarlyStoppingStateRequest { TrialName = $"{created.Name}/trials/2" });
        Assert.False(check.ShouldStop);
        await AssertStatusAsync(StatusCode.FailedPrecondition, () => Client.CheckTrialEarlyStoppingStateAsync(new CheckTrialEarlyStoppingStateRequest { TrialName = $"{created.Name}/trials/1" }).ResponseAsync);

        // 6: optimal trials.
        var optimal = await Client.ListOptimalTrialsAsync(new ListOptimalTrialsRequest { Parent = created.Name });
        Assert.Equal(["1"], optimal.OptimalTrials.Select(t => t.Id));

        // 7: every trial in one response, in id order.
        var trials = await Client.ListTrialsAsync(new ListTrialsRequest { Parent = created.Name });
        Assert.Equal(["1", "2"], trials.Trials.Select(t => t.Id));
        Assert.Equal([Trial.Types.State.Succeeded, Trial.Types.State.Active], trials.Trials.Select(t => t.State));
        Assert.NotNull(trials.Trials[0].FinalMeasurement);
        Assert.Null(trials.Trials[1].FinalMeasurement);
        Assert.Empty(trials.NextPageToken);

        // 8, 8b, 8c: an aborted study refuses suggestions with FAILED_PRECONDITION and reports INACTIVE.
        await Client.SetStudyStateAsync(new SetStudyStateRequest { Parent = created.Name, State = Study.Types.State.Inactive });
        await AssertStatusAsync(StatusCode.FailedPrecondition, () => Client.SuggestTrialsAsync(new SuggestTrialsRequest { Parent = created.Name, SuggestionCount = 1, ClientId = "w2" }).ResponseAsync);
        var inactive = await Client.GetStudyAsync(new GetStudyRequest { Name = created.Name });
        Assert.Equal(Study.Types.State.Inactive, inactive.State);
        Assert.Equal(2, (await Client.ListTrialsAsync(new ListTrialsRequest { Parent = created.Name })).Trials.Count);

        // 9, 9b: deleted, then NOT_FOUND.
        await Client.DeleteStudyAsync(new DeleteStudyRequest { Name = created.Name });
        await AssertStatusAsync(StatusCode.NotFound, () => Client.GetStudyAsync(new GetStudyRequest { Name = created.Name }).ResponseAsync);
    }

    [Fact]
    public async Task Concurrent_creates_of_one_display_name_all_get_the_same_study()
    {
        var owner = TestConfigs.UniqueId("o");
        var names = await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
            (await Client.CreateStudyAsync(WireStudies.Create(owner, "shared", WireStudies.Small()))).Name));
        Assert.All(names, n => Assert.Equal($"owners/{owner}/studies/shared", n));
        var studies = await Client.ListStudiesAsync(new ListStudiesRequest { Parent = $"owners/{owner}" });
        Assert.Equal([$"owners/{owner}/studies/shared"], studies.Studies.Select(s => s.Name));
    }

    [Fact]
    public async Task Suggested_parameters_always_have_a_kind_that_fits_their_type()
    {
        var study = await Client.CreateStudyAsync(WireStudies.Create(TestConfigs.UniqueId("o"), "kinds", WireStudies.Example()));
        var trials = WireStudies.Trials(await Client.SuggestTrialsAsync(new SuggestTrialsRequest { Parent = study.Name, SuggestionCount = 20, ClientId = "w" })).Trials;
        Assert.Equal(Enumerable.Range(1, 20).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), trials.Select(t => t.Id));
        foreach (var trial in trials)
        {
            var values = trial.Parameters.ToDictionary(p => p.ParameterId, p => p.Value);
            Assert.InRange(values["lr"].NumberValue, 1e-4, 1e-1);
            Assert.Equal(Value.KindOneofCase.NumberValue, values["layers"].KindCase);
            Assert.Equal(Math.Round(values["layers"].NumberValue), values["layers"].NumberValue);
            Assert.Contains(values["bs"].NumberValue, new[] { 16.0, 32, 64 });
            Assert.Contains(values["opt"].StringValue, new[] { "adam", "sgd" });
            Assert.Contains(values["flag"].StringValue, new[] { "False", "True" });
        }
    }

    [Fact]
    public async Task GetStudy_returns_the_spec_as_sent_with_the_current_metadata()
    {
        var spec = WireStudies.Example();
        spec.DefaultStoppingSpec = new StudySpec.Types.DefaultEarlyStoppingSpec();
        spec.ObservationNoise = StudySpec.Types.ObservationNoise.High;
        spec.Metadata.Add(new KeyValue { Key = "note", Value = "hello" });
        var packed = Any.Pack(new Duration { Seconds = 42 });
        spec.Metadata.Add(new KeyValue { Ns = ":user:deep", Key = "proto", Proto = packed });
        var study = await Client.CreateStudyAsync(WireStudies.Create(TestConfigs.UniqueId("o"), "spec", spec));

        var loaded = await Client.GetStudyAsync(new GetStudyRequest { Name = study.Name });
        Assert.Equal(spec, loaded.StudySpec);
        Assert.Equal(Study.Types.State.Active, loaded.State);
        Assert.Equal("spec", loaded.DisplayName);

        // Study and trial metadata: insert or update by (ns, key); a packed message keeps its type URL and bytes.
        var trial = WireStudies.Trials(await Client.SuggestTrialsAsync(new SuggestTrialsRequest { Parent = study.Name, SuggestionCount = 1, ClientId = "w" })).Trials[0];
        var update = new UpdateMetadataRequest { Name = study.Name };
        update.Delta.Add(new UnitMetadataUpdate { Metadatum = new KeyValue { Key = "note", Value = "changed" } });
        update.Delta.Add(new UnitMetadataUpdate { Metadatum = new KeyValue { Ns = ":t", Key = "p", Proto = packed }, TrialId = trial.Id });
        update.Delta.Add(new UnitMetadataUpdate { Metadatum = new KeyValue { Key = "orphan", Value = "x" }, TrialId = "999" });
        var response = await Client.UpdateMetadataAsync(update);
        Assert.Contains("trials/999 does not exist", response.ErrorDetails, StringComparison.Ordinal);

        var after = await Client.GetStudyAsync(new GetStudyRequest { Name = study.Name });
        Assert.Contains(after.StudySpec.Metadata, kv => kv is { Ns: "", Key: "note", Value: "changed" });
        Assert.Contains(after.StudySpec.Metadata, kv => kv.Ns == ":user:deep" && kv.Key == "proto" && kv.Proto.Equals(packed));
        var stored = await Client.GetTrialAsync(new GetTrialRequest { Name = trial.Name });
        var item = Assert.Single(stored.Metadata);
        Assert.Equal((":t", "p", "type.googleapis.com/google.protobuf.Duration"), (item.Ns, item.Key, item.Proto.TypeUrl));
        Assert.Equal(42, item.Proto.Unpack<Duration>().Seconds);
    }

    [Fact]
    public async Task Trials_can_be_added_read_stopped_and_deleted()
    {
        var study = await Client.CreateStudyAsync(WireStudies.Create(TestConfigs.UniqueId("o"), "hand", WireStudies.Example()));

        // The OSS client sends every Python number as a number, booleans included (1.0 -> "True").
        var requested = new Trial { Id = "0", State = Trial.Types.State.Requested };
        requested.Parameters.Add(Parameter("lr", Value.ForNumber(0.01)));
        requested.Parameters.Add(Parameter("layers", Value.ForNumber(3)));
        requested.Parameters.Add(Parameter("opt", Value.ForString("sgd")));
        requested.Parameters.Add(Parameter("bs", Value.ForNumber(32)));
        requested.Parameters.Add(Parameter("flag", Value.ForNumber(1)));
        var queued = await Client.CreateTrialAsync(new CreateTrialRequest { Parent = study.Name, Trial = requested });
        Assert.Equal(("1", Trial.Types.State.Requested), (queued.Id, queued.State));
        Assert.Equal("True", queued.Parameters.Single(p => p.ParameterId == "flag").Value.StringValue);

        var imported = requested.Clone();
        imported.State = Trial.Types.State.Succeeded;
        imported.FinalMeasurement = WireStudies.Measurement("acc", 0.7);
        imported.Measurements.Add(WireStudies.Measurement("acc", 0.5));
        imported.Measurements.Add(WireStudies.Measurement("acc", 0.6));
        var done = await Client.CreateTrialAsync(new CreateTrialRequest { Parent = study.Name, Trial = imported });
        Assert.Equal(("2", Trial.Types.State.Succeeded, 0.7), (done.Id, done.State, done.FinalMeasurement.Metrics[0].Value));

        // As the reference stores the trial it is given: its intermediate measurements too.
        Assert.Equal([0.5, 0.6], (await Client.GetTrialAsync(new GetTrialRequest { Name = done.Name })).Measurements.Select(m => m.Metrics[0].Value));

        // The queued trial is the next one handed out.
        var handed = WireStudies.Trials(await Client.SuggestTrialsAsync(new SuggestTrialsRequest { Parent = study.Name, SuggestionCount = 1, ClientId = "w" })).Trials;
        Assert.Equal(["1"], handed.Select(t => t.Id));

        // Stop: ACTIVE -> STOPPING, and the worker's check says stop; STOPPING again is a no-op.
        var stopping = await Client.StopTrialAsync(new StopTrialRequest { Name = queued.Name });
        Assert.Equal(Trial.Types.State.Stopping, stopping.State);
        Assert.Equal(Trial.Types.State.Stopping, (await Client.StopTrialAsync(new StopTrialRequest { Name = queued.Name })).State);
        Assert.True((await Client.CheckTrialEarlyStoppingStateAsync(new CheckTrialEarlyStoppingStateRequest { TrialName = queued.Name })).ShouldStop);

        // Infeasible completion.
        var infeasible = await Client.CompleteTrialAsync(new CompleteTrialRequest { Name = queued.Name, TrialInfeasible = true, InfeasibleReason = "diverged" });
        Assert.Equal((Trial.Types.State.Infeasible, "diverged"), (infeasible.State, infeasible.InfeasibleReason));
        Assert.Null(infeasible.FinalMeasurement);

        await Client.DeleteTrialAsync(new DeleteTrialRequest { Name = done.Name });
        await AssertStatusAsync(StatusCode.NotFound, () => Client.GetTrialAsync(new GetTrialRequest { Name = done.Name }).ResponseAsync);
        Assert.Equal(["1"], (await Client.ListTrialsAsync(new ListTrialsRequest { Parent = study.Name })).Trials.Select(t => t.Id));
    }

    [Fact]
    public async Task GetOperation_returns_the_trials_the_suggestion_gave()
    {
        var study = await Client.CreateStudyAsync(WireStudies.Create(TestConfigs.UniqueId("o"), "op", WireStudies.Small()));
        var operation = await Client.SuggestTrialsAsync(new SuggestTrialsRequest { Parent = study.Name, SuggestionCount = 3, ClientId = "worker/7" });
        var polled = await Client.GetOperationAsync(new LongRunning.GetOperationRequest { Name = operation.Name });
        Assert.Equal(operation.Name, polled.Name);
        Assert.Equal(WireStudies.Trials(operation).Trials.Select(t => t.Id), WireStudies.Trials(polled).Trials.Select(t => t.Id));
        Assert.All(WireStudies.Trials(polled).Trials, t => Assert.Equal("worker/7", t.ClientId));

        // No count: no trials, as the reference server answers.
        Assert.Empty(WireStudies.Trials(await Client.SuggestTrialsAsync(new SuggestTrialsRequest { Parent = study.Name, ClientId = "default_client_id" })).Trials);
        await AssertStatusAsync(StatusCode.InvalidArgument, () => Client.GetOperationAsync(new LongRunning.GetOperationRequest { Name = "operations/42" }).ResponseAsync);
    }

    [Fact]
    public async Task Suggest_above_the_maximum_count_is_invalid_argument_naming_suggestion_count_and_creates_nothing()
    {
        var study = await Client.CreateStudyAsync(WireStudies.Create(TestConfigs.UniqueId("o"), "many", WireStudies.Small()));
        var e = await AssertStatusAsync(StatusCode.InvalidArgument, () => Client.SuggestTrialsAsync(new SuggestTrialsRequest { Parent = study.Name, SuggestionCount = 1001, ClientId = "w" }).ResponseAsync);
        Assert.Contains("suggestion_count", e.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("1000", e.Status.Detail, StringComparison.Ordinal);
        Assert.Empty((await Client.ListTrialsAsync(new ListTrialsRequest { Parent = study.Name })).Trials);
        Assert.Single(WireStudies.Trials(await Client.SuggestTrialsAsync(new SuggestTrialsRequest { Parent = study.Name, SuggestionCount = 1, ClientId = "w" })).Trials);
    }

    [Fact]
    public async Task Errors_map_onto_the_status_codes_and_name_what_is_wrong()
    {
        var owner = TestConfigs.UniqueId("o");
        var missing = $"owners/{owner}/studies/none";
        await AssertStatusAsync(StatusCode.NotFound, () => Client.GetStudyAsync(new GetStudyRequest { Name = missing }).ResponseAsync);
        await AssertStatusAsync(StatusCode.NotFound, () => Client.ListTrialsAsync(new ListTrialsRequest { Parent = missing }).ResponseAsync);
        await AssertStatusAsync(StatusCode.NotFound, () => Client.GetTrialAsync(new GetTrialRequest { Name = missing + "/trials/1" }).ResponseAsync);
        await AssertStatusAsync(StatusCode.NotFound, () => Client.SuggestTrialsAsync(new SuggestTrialsRequest { Parent = missing, SuggestionCount = 1, ClientId = "w" }).ResponseAsync);
        var bad = await AssertStatusAsync(StatusCode.InvalidArgument, () => Client.GetStudyAsync(new GetStudyRequest { Name = "studies/x" }).ResponseAsync);
        Assert.Contains("name", bad.Status.Detail, StringComparison.Ordinal);
        await AssertStatusAsync(StatusCode.InvalidArgument, () => Client.GetTrialAsync(new GetTrialRequest { Name = missing + "/trials/abc" }).ResponseAsync);

        // A goal of 0 is refused naming the field, and nothing is stored.
        var spec = WireStudies.Small();
        spec.Metrics[0].Goal = StudySpec.Types.MetricSpec.Types.GoalType.Unspecified;
        var goal = await AssertStatusAsync(StatusCode.InvalidArgument, () => Client.CreateStudyAsync(WireStudies.Create(owner, "nogoal", spec)).ResponseAsync);
        Assert.Contains("study.study_spec.metrics[0].goal", goal.Status.Detail, StringComparison.Ordinal);
        var empty = new StudySpec { Metrics = { WireStudies.Small().Metrics }, Parameters = { new StudySpec.Types.ParameterSpec { ParameterId = "p" } } };
        var kind = await AssertStatusAsync(StatusCode.InvalidArgument, () => Client.CreateStudyAsync(WireStudies.Create(owner, "nokind", empty)).ResponseAsync);
        Assert.Contains("study.study_spec.parameters[0]", kind.Status.Detail, StringComparison.Ordinal);
        var unknown = await AssertStatusAsync(StatusCode.InvalidArgument, () => Client.CreateStudyAsync(WireStudies.Create(owner, "algo", WireStudies.Small("NO_SUCH_ALGORITHM"))).ResponseAsync);
        Assert.Contains("NO_SUCH_ALGORITHM", unknown.Status.Detail, StringComparison.Ordinal);
        Assert.Empty((await Client.ListStudiesAsync(new ListStudiesRequest { Parent = $"owners/{owner}" })).Studies);

        // Completing twice: the identical retry is accepted, a different result is FAILED_PRECONDITION.
        var study = await Client.CreateStudyAsync(WireStudies.Create(owner, "twice", WireStudies.Small()));
        var trial = WireStudies.Trials(await Client.SuggestTrialsAsync(new SuggestTrialsRequest { Parent = study.Name, SuggestionCount = 1, ClientId = "w" })).Trials[0];
        var complete = new CompleteTrialRequest { Name = trial.Name, FinalMeasurement = WireStudies.Measurement("loss", 1) };
        await Client.CompleteTrialAsync(complete);
        Assert.Equal(Trial.Types.State.Succeeded, (await Client.CompleteTrialAsync(complete)).State);
        await AssertStatusAsync(StatusCode.FailedPrecondition, () => Client.CompleteTrialAsync(new CompleteTrialRequest { Name = trial.Name, FinalMeasurement = WireStudies.Measurement("loss", 2) }).ResponseAsync);
        var metric = await AssertStatusAsync(StatusCode.InvalidArgument, () => Client.AddTrialMeasurementAsync(new AddTrialMeasurementRequest { TrialName = study.Name + "/trials/1", Measurement = WireStudies.Measurement("nope", double.NaN) }).ResponseAsync);
        Assert.Contains("'nope'", metric.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("NaN", metric.Status.Detail, StringComparison.Ordinal);
        await AssertStatusAsync(StatusCode.InvalidArgument, () => Client.SetStudyStateAsync(new SetStudyStateRequest { Parent = study.Name }).ResponseAsync);
        await AssertStatusAsync(StatusCode.InvalidArgument, () => Client.SuggestTrialsAsync(new SuggestTrialsRequest { Parent = study.Name, SuggestionCount = 1 }).ResponseAsync);
    }

    [Fact]
    public async Task Lists_page_and_a_whole_list_over_the_size_limit_is_refused_clearly()
    {
        var client = fixture.SmallLimitClient;
        var study = await client.CreateStudyAsync(WireStudies.Create(TestConfigs.UniqueId("o"), "big", WireStudies.Small()));
        var padding = new string('p', 1000);
        for (var i = 0; i < 120; i++)
        {
            var trial = new Trial { State = Trial.Types.State.Requested };
            trial.Parameters.Add(Parameter("x", Value.ForNumber(i / 200.0)));
            trial.Parameters.Add(Parameter("opt", Value.ForString("adam")));
            trial.Metadata.Add(new KeyValue { Key = "padding", Value = padding });
            await client.CreateTrialAsync(new CreateTrialRequest { Parent = study.Name, Trial = trial });
        }

        // 120 trials of about 1 KiB are over the 64 KiB limit: the whole list is refused, naming page_size.
        var whole = await AssertStatusAsync(StatusCode.ResourceExhausted, () => client.ListTrialsAsync(new ListTrialsRequest { Parent = study.Name }).ResponseAsync);
        Assert.Contains("page_size", whole.Status.Detail, StringComparison.Ordinal);

        // Pages: at most the page size (capped at 50 here), every id exactly once, in order.
        var ids = new List<string>();
        var token = string.Empty;
        var pages = 0;
        do
        {
            var page = await client.ListTrialsAsync(new ListTrialsRequest { Parent = study.Name, PageSize = 80, PageToken = token });
            Assert.InRange(page.Trials.Count, 1, 50);
            Assert.True(page.CalculateSize() < GrpcFixture.SmallLimit);
            ids.AddRange(page.Trials.Select(t => t.Id));
            token = page.NextPageToken;
            pages++;
        }
        while (token.Length > 0);
        Assert.Equal(Enumerable.Range(1, 120).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), ids);
        Assert.True(pages >= 3);

        // A request over the limit is refused before it reaches the service.
        var huge = new UpdateMetadataRequest { Name = study.Name };
        huge.Delta.Add(new UnitMetadataUpdate { Metadatum = new KeyValue { Key = "huge", Value = new string('h', GrpcFixture.SmallLimit * 2) } });
        await AssertStatusAsync(StatusCode.ResourceExhausted, () => client.UpdateMetadataAsync(huge).ResponseAsync);
        Assert.DoesNotContain((await client.GetStudyAsync(new GetStudyRequest { Name = study.Name })).StudySpec.Metadata, kv => kv.Key == "huge");
    }

    [Fact]
    public async Task Api_keys_limit_callers_to_their_owners()
    {
        var client = fixture.KeyedClient;
        var create = WireStudies.Create("owner-a", TestConfigs.UniqueId("k"), WireStudies.Small());
        await AssertStatusAsync(StatusCode.Unauthenticated, () => client.CreateStudyAsync(create).ResponseAsync);
        await AssertStatusAsync(StatusCode.Unauthenticated, () => client.CreateStudyAsync(create, Key("wrong")).ResponseAsync);

        var study = await client.CreateStudyAsync(create, Key(GrpcFixture.KeyForOwnerA));
        Assert.Equal(Study.Types.State.Active, (await client.GetStudyAsync(new GetStudyRequest { Name = study.Name }, Key(GrpcFixture.KeyForOwnerA))).State);

        var other = WireStudies.Create("owner-b", TestConfigs.UniqueId("k"), WireStudies.Small());
        var denied = await AssertStatusAsync(StatusCode.PermissionDenied, () => client.CreateStudyAsync(other, Key(GrpcFixture.KeyForOwnerA)).ResponseAsync);
        Assert.Contains("owner-b", denied.Status.Detail, StringComparison.Ordinal);
        await AssertStatusAsync(StatusCode.PermissionDenied, () => client.GetTrialAsync(new GetTrialRequest { Name = "owners/owner-b/studies/x/trials/1" }, Key(GrpcFixture.KeyForOwnerA)).ResponseAsync);
        Assert.Equal("owner-b", (await client.CreateStudyAsync(other, Key(GrpcFixture.KeyForAll))).Name.Split('/')[1]);
    }

    [Fact]
    public async Task A_front_door_with_a_certificate_serves_tls_only()
    {
        var study = await fixture.TlsClient.CreateStudyAsync(WireStudies.Create(TestConfigs.UniqueId("o"), "tls", WireStudies.Small()));
        Assert.Equal(["1"], WireStudies.Trials(await fixture.TlsClient.SuggestTrialsAsync(new SuggestTrialsRequest { Parent = study.Name, SuggestionCount = 1, ClientId = "w" })).Trials.Select(t => t.Id));

        // A plaintext HTTP/2 client (the OSS client's insecure channel) cannot talk to the TLS port.
        using var plaintext = global::Grpc.Net.Client.GrpcChannel.ForAddress($"http://localhost:{fixture.TlsPort}");
        var e = await Assert.ThrowsAsync<RpcException>(() => new VizierService.VizierServiceClient(plaintext).GetStudyAsync(new GetStudyRequest { Name = study.Name }).ResponseAsync);
        // The handshake fails one way or the other depending on timing: never an answer.
        Assert.Contains(e.StatusCode, new[] { StatusCode.Unavailable, StatusCode.Internal });
    }

    [Fact]
    public async Task ListStudies_lists_an_owners_studies_in_pages()
    {
        var owner = TestConfigs.UniqueId("o");
        foreach (var id in new[] { "c", "a", "b" })
        {
            await Client.CreateStudyAsync(WireStudies.Create(owner, id, WireStudies.Small()));
        }

        var all = await Client.ListStudiesAsync(new ListStudiesRequest { Parent = $"owners/{owner}" });
        Assert.Equal(["a", "b", "c"], all.Studies.Select(s => s.DisplayName));
        var first = await Client.ListStudiesAsync(new ListStudiesRequest { Parent = $"owners/{owner}", PageSize = 2 });
        Assert.Equal(["a", "b"], first.Studies.Select(s => s.DisplayName));
        var second = await Client.ListStudiesAsync(new ListStudiesRequest { Parent = $"owners/{owner}", PageSize = 2, PageToken = first.NextPageToken });
        Assert.Equal(["c"], second.Studies.Select(s => s.DisplayName));
        Assert.Empty(second.NextPageToken);
    }

    internal static async Task<RpcException> AssertStatusAsync(StatusCode expected, Func<Task> call)
    {
        var e = await Assert.ThrowsAsync<RpcException>(call);
        Assert.True(e.StatusCode == expected, $"expected {expected}, got {e.StatusCode}: {e.Status.Detail}");
        return e;
    }

    private static Trial.Types.Parameter Parameter(string id, Value value) => new() { ParameterId = id, Value = value };

    private static Metadata Key(string key) => new() { { "x-vizier-api-key", key } };

    [Fact]
    public async Task Metrics_the_study_does_not_declare_are_stored_and_ignored_by_the_optimal_trials()
    {
        var study = await Client.CreateStudyAsync(WireStudies.Create(TestConfigs.UniqueId("o"), "extra", WireStudies.Small()));
        var trials = WireStudies.Trials(await Client.SuggestTrialsAsync(new SuggestTrialsRequest { Parent = study.Name, SuggestionCount = 2, ClientId = "w" })).Trials;

        // PyGlove's feedback(reward, metrics={...}) sends metrics next to the objective.
        var intermediate = WireStudies.Measurement("loss", 3, steps: 1);
        intermediate.Metrics.Add(new Measurement.Types.Metric { MetricId = "accuracy", Value = 0.5 });
        var measured = await Client.AddTrialMeasurementAsync(new AddTrialMeasurementRequest { TrialName = trials[0].Name, Measurement = intermediate });
        Assert.Equal(["accuracy", "loss"], measured.Measurements.Single().Metrics.Select(m => m.MetricId).Order());

        var better = WireStudies.Measurement("loss", 1);
        better.Metrics.Add(new Measurement.Types.Metric { MetricId = "accuracy", Value = 0.1 });
        var worse = WireStudies.Measurement("loss", 2);
        worse.Metrics.Add(new Measurement.Types.Metric { MetricId = "accuracy", Value = 0.9 });
        var done = await Client.CompleteTrialAsync(new CompleteTrialRequest { Name = trials[0].Name, FinalMeasurement = better });
        await Client.CompleteTrialAsync(new CompleteTrialRequest { Name = trials[1].Name, FinalMeasurement = worse });
        Assert.Equal(0.1, done.FinalMeasurement.Metrics.Single(m => m.MetricId == "accuracy").Value);

        var optimal = (await Client.ListOptimalTrialsAsync(new ListOptimalTrialsRequest { Parent = study.Name })).OptimalTrials;
        Assert.Equal([trials[0].Id], optimal.Select(t => t.Id));
        var next = WireStudies.Trials(await Client.SuggestTrialsAsync(new SuggestTrialsRequest { Parent = study.Name, SuggestionCount = 1, ClientId = "w" })).Trials;
        Assert.Equal(["3"], next.Select(t => t.Id));
    }
}
