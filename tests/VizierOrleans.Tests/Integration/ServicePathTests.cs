using VizierOrleans.Bbob;
using VizierOrleans.Grains.Algorithms;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Tests.Integration;

/// <summary>The benchmark's library path and service path agree: same seed, same suggestions.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ServicePathTests(ClusterFixture fixture)
{
    [Theory]
    [InlineData(AlgorithmNames.GaussianProcessBandit)]
    [InlineData(AlgorithmNames.RegularizedEvolution)]
    [InlineData(AlgorithmNames.QuasiRandomSearch)]
    public async Task Service_suggests_what_the_library_suggests(string algorithm)
    {
        var problem = new BbobProblem("RosenbrockRotated", 3, seed: 5);
        var studyId = TestConfigs.UniqueId("path");
        var serviceCurve = await ServiceRunner.RunAsync(fixture.Client, studyId, algorithm, problem, trials: 12, seed: 5);
        var libraryCurve = AlgorithmRunner.Run(AlgorithmRegistry.Create(algorithm), problem, trials: 12, seed: 5);
        Assert.Equal(libraryCurve, serviceCurve);
    }
}
