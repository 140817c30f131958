using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Tests.Model;

public sealed class MeasurementValidatorTests
{
    private static readonly StudyConfig Config = TestConfigs.TwoFloats();

    [Theory]
    [InlineData(double.NaN, "metric 'loss' is NaN")]
    [InlineData(double.PositiveInfinity, "metric 'loss' is Infinity")]
    public void Non_finite_values_are_refused_naming_the_metric(double value, string expected)
    {
        var e = Assert.Throws<InvalidArgumentException>(() => MeasurementValidator.Validate(Config, Measurement.Of("loss", value), "trial 3's measurement"));
        Assert.StartsWith("trial 3's measurement: ", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Negative_steps_and_elapsed_time_are_refused_and_a_good_measurement_passes()
    {
        Assert.Contains("steps", Assert.Throws<InvalidArgumentException>(() => MeasurementValidator.Validate(Config, Measurement.Of("loss", 1, steps: -1), "m")).Message);
        Assert.Contains("elapsed", Assert.Throws<InvalidArgumentException>(() => MeasurementValidator.Validate(Config, Measurement.Of("loss", 1, elapsedSeconds: -2), "m")).Message);
        MeasurementValidator.Validate(Config, Measurement.Of("loss", 1, steps: 4, elapsedSeconds: 2), "m");
    }
}
