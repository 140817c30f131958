using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Grpc.Core;
using VizierOrleans.Grpc.Protocol;
using DomainMeasurement = VizierOrleans.Grains.Interfaces.Model.Measurement;
using VizierOrleans.Tests.Grpc;

namespace VizierOrleans.Tests.Properties;

/// <summary>Random, partly invalid protos against the gRPC service: a result or INVALID_ARGUMENT naming a field, never INTERNAL.</summary>
[Collection(GrpcCollection.Name)]
public sealed partial class GrpcInputProperties(GrpcFixture fixture)
{
    private VizierService.VizierServiceClient Client => fixture.Client;

    [Property(MaxTest = 40)]
    public Property A_spec_creates_a_study_or_is_refused_naming_a_field_and_nothing_is_stored() =>
        Prop.ForAll(InvalidInputs.Specs(), async input =>
        {
            var owner = TestConfigs.UniqueId("gprop");
            Study created;
            try
            {
                created = await Client.CreateStudyAsync(WireStudies.Create(owner, "s", input.Value));
            }
            catch (RpcException e)
            {
                Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
                Assert.False(input.Valid, $"a valid spec was refused: {e.Status.Detail}");
                Assert.Matches(StudyField(), e.Status.Detail);
                Assert.Empty((await Client.ListStudiesAsync(new ListStudiesRequest { Parent = $"owners/{owner}" })).Studies);
                var missing = await Assert.ThrowsAsync<RpcException>(() => Client.GetStudyAsync(new GetStudyRequest { Name = $"owners/{owner}/studies/s" }).ResponseAsync);
                Assert.Equal(StatusCode.NotFound, missing.StatusCode);
                return;
            }

            Assert.True(input.Valid, "an invalid spec created a study");
            Assert.Equal($"owners/{owner}/studies/s", created.Name);
            Assert.Equal(input.Value, created.StudySpec);
        });

    [Property(MaxTest = 40)]
    public Property A_measurement_is_stored_or_refused_as_invalid_and_a_refused_one_changes_nothing() =>
        Prop.ForAll(InvalidInputs.MeasurementPairs(), async measurements =>
        {
            var (intermediate, final) = measurements;
            var study = await Client.CreateStudyAsync(WireStudies.Create(TestConfigs.UniqueId("gprop"), "s", Spec()));
            var trial = WireStudies.Trials(await Client.SuggestTrialsAsync(new SuggestTrialsRequest { Parent = study.Name, SuggestionCount = 1, ClientId = "w" })).Trials.Single();

            var added = await Refused(() => Client.AddTrialMeasurementAsync(new AddTrialMeasurementRequest { TrialName = trial.Name, Measurement = InvalidInputs.ToWire(intermediate) }).ResponseAsync);
            var afterAdd = await Client.GetTrialAsync(new GetTrialRequest { Name = trial.Name });
            Assert.Equal(added ? 0 : 1, afterAdd.Measurements.Count);
            Assert.Equal(IsValid(intermediate), !added);

            var completed = await Refused(() => Client.CompleteTrialAsync(new CompleteTrialRequest { Name = trial.Name, FinalMeasurement = InvalidInputs.ToWire(final) }).ResponseAsync);
            var afterComplete = await Client.GetTrialAsync(new GetTrialRequest { Name = trial.Name });
            // On the wire a final measurement without metrics means "use the last intermediate one".
            Assert.Equal(final.Metrics.IsEmpty ? !added : IsValid(final), !completed);
            Assert.Equal(completed ? Trial.Types.State.Active : Trial.Types.State.Succeeded, afterComplete.State);
        });

    /// <summary>A detail that starts with the path of the offending field (the domain's, or the wire's under "study.").</summary>
    [GeneratedRegex(@"^(Invalid study config: )?(study\.|parameters|metrics|algorithm|observationNoise)")]
    private static partial Regex StudyField();

    private static StudySpec Spec()
    {
        var spec = WireStudies.Small();
        spec.Metrics.Clear();
        spec.Metrics.Add(new StudySpec.Types.MetricSpec { MetricId = "m0", Goal = StudySpec.Types.MetricSpec.Types.GoalType.Minimize });
        spec.Metrics.Add(new StudySpec.Types.MetricSpec { MetricId = "m1", Goal = StudySpec.Types.MetricSpec.Types.GoalType.Maximize });
        spec.Metrics.Add(new StudySpec.Types.MetricSpec { MetricId = "safe", Goal = StudySpec.Types.MetricSpec.Types.GoalType.Maximize, SafetyConfig = new() { SafetyThreshold = 0 } });
        return spec;
    }

    private static async Task<bool> Refused(Func<Task> call)
    {
        try
        {
            await call();
            return false;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.InvalidArgument)
        {
            Assert.Matches("metric|steps|elapsed|measurement", e.Status.Detail);
            return true;
        }
    }

    /// <summary>As the client library's rule; on the wire a non-finite time is sent as no duration (zero seconds).</summary>
    private static bool IsValid(DomainMeasurement m) =>
        m.Metrics.Values.All(double.IsFinite) && m.Steps >= 0 && !(m.ElapsedSeconds < 0);
}
