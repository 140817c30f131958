using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.Grains.Interfaces.Policies;
using VizierOrleans.Grains.Study;
using VizierOrleans.Tests.Integration;

namespace VizierOrleans.Tests.Grains.Study;

public sealed class TrialCurvesTests
{
    [Theory]
    [InlineData(AlgorithmNames.RandomSearch)]
    [InlineData(AlgorithmNames.GaussianProcessBandit)]
    [InlineData(AlgorithmNames.GridSearch)]
    [InlineData(AlgorithmNames.Nsga2)]
    public void A_built_in_algorithm_without_a_stopping_rule_needs_no_curves_in_memory(string algorithm) =>
        Assert.False(TrialCurves.NeededInMemory(TestConfigs.TwoFloats(algorithm)));

    [Fact]
    public void A_stopping_rule_an_external_policy_or_a_hosts_algorithm_needs_the_curves()
    {
        var config = TestConfigs.TwoFloats();
        Assert.True(TrialCurves.NeededInMemory(config with { Stopping = new StoppingConfig { Rule = StoppingRule.Median } }));
        Assert.True(TrialCurves.NeededInMemory(config with { Metadata = Metadata.Empty.With(ExternalPolicy.Namespace, ExternalPolicy.EndpointKey, "localhost:1") }));
        Assert.True(TrialCurves.NeededInMemory(config with { Algorithm = BlockingAlgorithm.Name }));
    }
}
