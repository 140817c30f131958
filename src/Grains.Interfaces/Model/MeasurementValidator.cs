namespace VizierOrleans.Grains.Interfaces.Model;

/// <summary>
/// The rules a measurement must satisfy to be stored on a trial of a study; shared by the study grain, the client
/// library and the gRPC layer so that all three refuse the same input with the same message.
/// </summary>
public static class MeasurementValidator
{
    /// <summary>
    /// Throws <see cref="InvalidArgumentException"/> naming <paramref name="what"/> and the metric when
    /// <paramref name="measurement"/> carries a value that is not finite (for a declared metric or one the study does
    /// not declare, which is otherwise stored and ignored by the algorithms), or has negative steps or elapsed time.
    /// </summary>
    public static void Validate(StudyConfig config, Measurement measurement, string what)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(measurement);
        // Metrics the study does not declare (PyGlove's extra feedback metrics) are stored and ignored by the algorithms.
        foreach (var (name, value) in measurement.Metrics)
        {
            if (!double.IsFinite(value))
            {
                var declared = config.Metrics.Any(m => m.Name == name) ? "a metric of the study" : "a metric the study does not declare";
                throw new InvalidArgumentException($"{what}: metric '{name}' ({declared}) is {value}; values must be finite (report infeasibility explicitly).");
            }
        }

        if (measurement.Steps < 0)
        {
            throw new InvalidArgumentException($"{what}: steps must not be negative, was {measurement.Steps}.");
        }

        if (!double.IsFinite(measurement.ElapsedSeconds) || measurement.ElapsedSeconds < 0)
        {
            throw new InvalidArgumentException($"{what}: elapsed seconds must be a finite non-negative number, was {measurement.ElapsedSeconds}.");
        }
    }
}
