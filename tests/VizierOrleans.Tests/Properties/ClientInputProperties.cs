using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VizierOrleans.ClientGateway;
using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.Tests.Integration;

namespace VizierOrleans.Tests.Properties;

/// <summary>Random, partly invalid study configs and measurements through the client library, against a test cluster.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClientInputProperties(ClusterFixture fixture)
{
    [Property(MaxTest = 40)]
    public Property A_config_creates_a_working_study_or_is_refused_naming_a_field_and_nothing_is_stored() =>
        Prop.ForAll(InvalidInputs.Configs(), async input =>
        {
            var owner = TestConfigs.UniqueId("prop");
            var valid = input.Valid;
            StudyHandle study;
            try
            {
                study = await fixture.Client.CreateOrLoadStudyAsync(owner, "s", input.Value);
            }
            catch (InvalidStudyConfigException e)
            {
                Assert.False(valid, $"a valid config was refused: {e.Message}");
                Assert.Contains(e.Field, e.Message, StringComparison.Ordinal);
                Assert.False(string.IsNullOrWhiteSpace(e.Field));
                Assert.Empty(await fixture.Client.ListStudiesAsync(owner));
                await Assert.ThrowsAsync<NotFoundException>(() => fixture.Client.Study(owner, "s").GetAsync());
                return;
            }

            Assert.True(valid, "an invalid config created a study");
            Assert.Equal(StudyState.Active, (await study.GetAsync()).State);
            var trials = await study.SuggestAsync(2, "w");
            Assert.NotEmpty(trials);
            Assert.All(trials, t => SearchSpace.Validate(input.Value, t.Parameters, "suggestion"));
        });

    [Property(MaxTest = 40)]
    public Property A_measurement_is_stored_or_refused_as_invalid_and_a_refused_one_changes_nothing() =>
        Prop.ForAll(InvalidInputs.MeasurementPairs(), async measurements =>
        {
            var (intermediate, final) = measurements;
            var study = await fixture.Client.CreateOrLoadStudyAsync(TestConfigs.UniqueId("prop"), "s", Config);
            var trial = (await study.SuggestAsync(1, "w")).Single();

            var added = await Refused(() => trial.AddMeasurementAsync(intermediate));
            var afterAdd = await trial.MaterializeAsync();
            Assert.Equal(added ? 0 : 1, afterAdd.Measurements.Count);
            Assert.Equal(IsValid(intermediate), !added);

            var completed = await Refused(() => trial.CompleteAsync(final));
            var afterComplete = await trial.MaterializeAsync();
            Assert.Equal(IsValid(final), !completed);
            Assert.Equal(completed ? TrialState.Active : TrialState.Succeeded, afterComplete.State);
            Assert.Equal(completed ? null : final, afterComplete.FinalMeasurement);
        });

    private static StudyConfig Config { get; } = new()
    {
        Parameters = [ParameterConfig.Double("x", 0, 1)],
        Metrics = [MetricConfig.Objective("m0", MetricGoal.Minimize), MetricConfig.Objective("m1", MetricGoal.Maximize), new MetricConfig { Name = "safe", SafetyThreshold = 0 }],
        Algorithm = AlgorithmNames.RandomSearch,
    };

    /// <summary>True when the call was refused with INVALID_ARGUMENT (and nothing else went wrong).</summary>
    private static async Task<bool> Refused(Func<Task> call)
    {
        try
        {
            await call();
            return false;
        }
        catch (InvalidArgumentException)
        {
            return true;
        }
    }

    /// <summary>The measurement rules of the study: finite values (undeclared metrics are kept), steps and time not negative.</summary>
    private static bool IsValid(Measurement m) =>
        m.Metrics.Values.All(double.IsFinite) && m.Steps >= 0 && double.IsFinite(m.ElapsedSeconds) && m.ElapsedSeconds >= 0;
}
