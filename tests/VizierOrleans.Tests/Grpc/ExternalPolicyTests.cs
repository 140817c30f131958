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

        var operation = await fixture.Client.SuggestTrialsAsync(new SuggestTrialsRequest { Parent = study.Name, SuggestionCount = 1, ClientId = "w" });
        Assert.True(operation.Done);
        Assert.Equal((int)StatusCode.Unavailable, operation.Error.Code);
        Assert.Contains(endpoint, operation.Error.Message, StringComparison.Ordinal);
        Assert.Empty((await fixture.Client.ListTrialsAsync(new ListTrialsRequest { Parent = study.Name })).Trials);

        // A hand-added trial is still served while the policy service is down.
        var trial = new Trial { State = Trial.Types.State.Requested };
        trial.Parameters.Add(new Trial.Types.Parameter { ParameterId = "x", Value = Google.Protobuf.WellKnownTypes.Value.ForNumber(0.5) });
        trial.Parameters.Add(new Trial.Types.Parameter { ParameterId = "opt", Value = Google.Protobuf.WellKnownTypes.Value.ForString("sgd") });
        await fixture.Client.CreateTrialAsync(new CreateTrialRequest { Parent = study.Name, Trial = trial });
        Assert.Equal(["1"], WireStudies.Trials(await fixture.Client.SuggestTrialsAsync(new SuggestTrialsRequest { Parent = study.Name, SuggestionCount = 1, ClientId = "w" })).Trials.Select(t => t.Id));
    }
}
