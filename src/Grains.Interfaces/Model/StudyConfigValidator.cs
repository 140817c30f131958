namespace VizierOrleans.Grains.Interfaces.Model;

/// <summary>Checks every rule a study config must satisfy; the first broken rule is thrown with the field's path.</summary>
public static class StudyConfigValidator
{
    /// <summary>
    /// Throws <see cref="InvalidStudyConfigException"/> naming the field of the first broken rule.
    /// <paramref name="knownAlgorithms"/> is the set of algorithm names the service can run (null: any name).
    /// </summary>
    public static void Validate(StudyConfig config, IReadOnlySet<string>? knownAlgorithms = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Parameters.IsEmpty)
        {
            throw new InvalidStudyConfigException("parameters", "the search space is empty; add at least one parameter.");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < config.Parameters.Count; i++)
        {
            ValidateParameter(config.Parameters[i], $"parameters[{i}]", names);
        }

        if (config.Metrics.IsEmpty)
        {
            throw new InvalidStudyConfigException("metrics", "no metric; add at least one metric to optimize.");
        }

        var metricNames = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < config.Metrics.Count; i++)
        {
            var m = config.Metrics[i];
            var path = $"metrics[{i}]";
            if (string.IsNullOrWhiteSpace(m.Name))
            {
                throw new InvalidStudyConfigException($"{path}.name", "metric name is empty.");
            }

            if (!metricNames.Add(m.Name))
            {
                throw new InvalidStudyConfigException($"{path}.name", $"duplicate metric name '{m.Name}'.");
            }

            if (m.Goal is not (MetricGoal.Maximize or MetricGoal.Minimize))
            {
                throw new InvalidStudyConfigException($"{path}.goal", $"metric '{m.Name}' needs goal MAXIMIZE or MINIMIZE.");
            }

            if (m.SafetyThreshold is double t && !double.IsFinite(t))
            {
                throw new InvalidStudyConfigException($"{path}.safetyThreshold", $"metric '{m.Name}' has a non-finite safety threshold.");
            }

            if (m.DesiredMinSafeTrialsFraction is double f && (!m.IsSafety || !(f >= 0 && f <= 1)))
            {
                throw new InvalidStudyConfigException($"{path}.desiredMinSafeTrialsFraction", $"metric '{m.Name}': must be in [0, 1] and needs a safety threshold.");
            }
        }

        if (!config.Objectives.Any())
        {
            throw new InvalidStudyConfigException("metrics", "every metric is a safety metric; at least one objective is needed.");
        }

        if (string.IsNullOrWhiteSpace(config.Algorithm))
        {
            throw new InvalidStudyConfigException("algorithm", "algorithm name is empty.");
        }

        if (knownAlgorithms is not null && !knownAlgorithms.Contains(config.Algorithm))
        {
            throw new InvalidStudyConfigException("algorithm", $"unknown algorithm '{config.Algorithm}'; known: {string.Join(", ", knownAlgorithms.Order())}.");
        }

        if (config.ObservationNoise is not (ObservationNoise.Unspecified or ObservationNoise.Low or ObservationNoise.High))
        {
            throw new InvalidStudyConfigException("observationNoise", $"unknown observation noise {(int)config.ObservationNoise}.");
        }

        if (config.MaxTrials is int max && max <= 0)
        {
            throw new InvalidStudyConfigException("maxTrials", $"must be positive, was {max}.");
        }

        if (config.TrialLease is { } lease && lease <= TimeSpan.Zero)
        {
            throw new InvalidStudyConfigException("trialLease", $"must be positive, was {lease}.");
        }

        if (config.Stopping.MinSteps < 0)
        {
            throw new InvalidStudyConfigException("stopping.minSteps", "must not be negative.");
        }

        if (config.Stopping.MinCompletedTrials < 0)
        {
            throw new InvalidStudyConfigException("stopping.minCompletedTrials", "must not be negative.");
        }

        if (config.Stopping.Rule is not (StoppingRule.None or StoppingRule.Median or StoppingRule.LearningCurve))
        {
            throw new InvalidStudyConfigException("stopping.rule", $"unknown stopping rule {config.Stopping.Rule}.");
        }
    }

    private static void ValidateParameter(ParameterConfig p, string path, HashSet<string> names)
    {
        if (string.IsNullOrWhiteSpace(p.Name))
        {
            throw new InvalidStudyConfigException($"{path}.name", "parameter name is empty.");
        }

        if (!names.Add(p.Name))
        {
            throw new InvalidStudyConfigException($"{path}.name", $"duplicate parameter name '{p.Name}'.");
        }

        var at = $"{path} ('{p.Name}')";
        switch (p.Type)
        {
            case ParameterType.Double:
            case ParameterType.Integer:
                if (!double.IsFinite(p.Min) || !double.IsFinite(p.Max))
                {
                    throw new InvalidStudyConfigException($"{path}.min/max", $"'{p.Name}' has a NaN or infinite bound.");
                }

                if (p.Min > p.Max)
                {
                    throw new InvalidStudyConfigException($"{path}.min", $"'{p.Name}' has min {p.Min} > max {p.Max}.");
                }

                if (p.Type == ParameterType.Integer && (p.Min != Math.Round(p.Min) || p.Max != Math.Round(p.Max)))
                {
                    throw new InvalidStudyConfigException($"{path}.min/max", $"INTEGER '{p.Name}' needs whole-number bounds.");
                }

                break;
            case ParameterType.Discrete:
                if (p.FeasibleValues.IsEmpty)
                {
                    throw new InvalidStudyConfigException($"{path}.feasibleValues", $"DISCRETE '{p.Name}' has no values.");
                }

                for (var i = 0; i < p.FeasibleValues.Count; i++)
                {
                    if (!double.IsFinite(p.FeasibleValues[i]))
                    {
                        throw new InvalidStudyConfigException($"{path}.feasibleValues[{i}]", $"'{p.Name}' has a NaN or infinite value.");
                    }

                    if (i > 0 && p.FeasibleValues[i] == p.FeasibleValues[i - 1])
                    {
                        throw new InvalidStudyConfigException($"{path}.feasibleValues[{i}]", $"'{p.Name}' has duplicate value {p.FeasibleValues[i]}.");
                    }

                    if (i > 0 && p.FeasibleValues[i] < p.FeasibleValues[i - 1])
                    {
                        throw new InvalidStudyConfigException($"{path}.feasibleValues[{i}]", $"'{p.Name}' values must be sorted ascending.");
                    }
                }

                break;
            case ParameterType.Categorical:
                if (p.Categories.IsEmpty)
                {
                    throw new InvalidStudyConfigException($"{path}.categories", $"CATEGORICAL '{p.Name}' has no categories.");
                }

                var seen = new HashSet<string>(StringComparer.Ordinal);
                for (var i = 0; i < p.Categories.Count; i++)
                {
                    if (string.IsNullOrEmpty(p.Categories[i]) || !seen.Add(p.Categories[i]))
                    {
                        throw new InvalidStudyConfigException($"{path}.categories[{i}]", $"'{p.Name}' has an empty or duplicate category '{p.Categories[i]}'.");
                    }
                }

                if (p.Scale != ScaleType.Linear)
                {
                    throw new InvalidStudyConfigException($"{path}.scale", $"CATEGORICAL '{p.Name}' cannot have a scale.");
                }

                break;
            default:
                throw new InvalidStudyConfigException($"{path}.type", $"'{p.Name}' has unknown type {p.Type}.");
        }

        if (p.Scale is not (ScaleType.Linear or ScaleType.Log or ScaleType.ReverseLog))
        {
            throw new InvalidStudyConfigException($"{path}.scale", $"'{p.Name}' has unknown scale {(int)p.Scale}.");
        }

        if (p.Scale is ScaleType.Log or ScaleType.ReverseLog && p.LowerBound <= 0)
        {
            throw new InvalidStudyConfigException($"{path}.scale", $"{at}: {p.Scale} scale needs min > 0, min is {p.LowerBound}.");
        }

        if (p.Default is { } def && !p.IsFeasible(def))
        {
            throw new InvalidStudyConfigException($"{path}.default", $"'{p.Name}' default {def} is not feasible ({SearchSpace.Describe(p)}).");
        }

        for (var c = 0; c < p.Children.Count; c++)
        {
            var child = p.Children[c];
            var childPath = $"{path}.children[{c}]";
            if (p.Type == ParameterType.Double)
            {
                throw new InvalidStudyConfigException(childPath, $"DOUBLE '{p.Name}' cannot have conditional children; use INTEGER, DISCRETE or CATEGORICAL.");
            }

            if (child.ParentValues.IsEmpty)
            {
                throw new InvalidStudyConfigException($"{childPath}.parentValues", $"child '{child.Parameter.Name}' of '{p.Name}' lists no parent values.");
            }

            for (var v = 0; v < child.ParentValues.Count; v++)
            {
                if (!p.IsFeasible(child.ParentValues[v]))
                {
                    throw new InvalidStudyConfigException($"{childPath}.parentValues[{v}]", $"child '{child.Parameter.Name}' needs parent '{p.Name}' = {child.ParentValues[v]}, which is not feasible ({SearchSpace.Describe(p)}).");
                }
            }

            ValidateParameter(child.Parameter, $"{childPath}.parameter", names);
        }
    }
}
