using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Tests.Model;

public sealed class MeasurementValidatorTests
{
    private static readonly StudyConfig Config = TestConfigs.TwoFloats();

    [Theory]
    [InlineData(double.NaN, "metric 'loss' (a metric of the study) is NaN")]
    [InlineData(double.PositiveInfinity, "metric 'loss' (a metric of the study) is Infinity")]
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

    [Fact]
    public void A_metric_the_study_does_not_declare_is_accepted_when_finite()
    {
        MeasurementValidator.Validate(Config, Measurement.Of([new("loss", 1), new("feedback", 0.5)]), "m");
        var e = Assert.Throws<InvalidArgumentException>(() => MeasurementValidator.Validate(Config, Measurement.Of("feedback", double.NaN), "m"));
        Assert.Contains("metric 'feedback' (a metric the study does not declare) is NaN", e.Message);
    }
}
