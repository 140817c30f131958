using System.Collections.Immutable;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using VizierOrleans.Grains.Interfaces.Model;
using Wire = VizierOrleans.Grpc.Protocol;
using Spec = VizierOrleans.Grpc.Protocol.StudySpec.Types;

namespace VizierOrleans.Grpc.Mapping;

/// <summary>
/// Studies between the wire and the domain model. The spec a client sent is also kept as received (without its
/// metadata, which lives in the study's metadata), so that GetStudy returns it verbatim: fields the domain model has
/// no place for (external types, an unset scale, unknown fields) survive the round trip, as the OSS client expects.
/// </summary>
internal static class StudyMapper
{
    /// <summary>The reserved metadata key under which the received spec is kept.</summary>
    public const string SpecKey = "study_spec";

    /// <summary>
    /// The metadata namespace (wire form <c>:vizier_orleans</c>) and key of a study's trial budget: the protocol's
    /// StudySpec has no field for it, so a client that wants one (the <c>vizier</c> tool's <c>max_trials</c>) sends it
    /// as study metadata.
    /// </summary>
    public const string BudgetNamespace = "vizier_orleans";

    /// <summary>The key of the trial budget in <see cref="BudgetNamespace"/>.</summary>
    public const string BudgetKey = "max_trials";

    /// <summary>Wire algorithm names that mean "the service's default".</summary>
    private static readonly HashSet<string> DefaultAlgorithmNames = ["", "ALGORITHM_UNSPECIFIED", AlgorithmNames.Default];

    /// <summary>A study config from a wire spec; <paramref name="field"/> prefixes the field paths in errors.</summary>
    public static StudyConfig FromWire(Wire.StudySpec spec, string field = "study.study_spec")
    {
        var items = MetadataMapper.FromWire(spec.Metadata, $"{field}.metadata");
        var metadata = Metadata.Empty.With(items);
        var stored = spec.Clone();
        stored.Metadata.Clear();
        metadata = metadata.With(MetadataMapper.ReservedNamespace, SpecKey, stored.ToByteString().ToBase64());

        return new StudyConfig
        {
            Metrics = [.. spec.Metrics.Select((m, i) => Metric(m, $"{field}.metrics[{i}]"))],
            Parameters = [.. spec.Parameters.Select((p, i) => Parameter(p, $"{field}.parameters[{i}]"))],
            Algorithm = DefaultAlgorithmNames.Contains(spec.Algorithm) ? AlgorithmNames.Default : spec.Algorithm,
            ObservationNoise = spec.ObservationNoise switch
            {
                Spec.ObservationNoise.Low => ObservationNoise.Low,
                Spec.ObservationNoise.High => ObservationNoise.High,
                Spec.ObservationNoise.Unspecified => ObservationNoise.Unspecified,
                var other => throw new InvalidArgumentException($"{field}.observation_noise: unknown value {(int)other}."),
            },
            // The protocol's "default stopping spec" asks for the service's default rule; ours is the median rule.
            Stopping = spec.DefaultStoppingSpec is null ? new StoppingConfig() : new StoppingConfig { Rule = StoppingRule.Median },
            MaxTrials = Budget(items, field),
            Metadata = metadata,
        };
    }

    /// <summary>The wire form of a study: the spec as received (or built from the config), with current metadata.</summary>
    public static Wire.Study ToWire(StudyInfo study)
    {
        var spec = SpecOf(study.Config);
        spec.Metadata.Clear();
        spec.Metadata.AddRange(MetadataMapper.ToWire(study.Metadata));
        if (study.Config.MaxTrials is int max && study.Metadata.Get(BudgetNamespace, BudgetKey) is null)
        {
            // A study made by the client library has its budget in the config only; gRPC clients read it from metadata.
            spec.Metadata.Add(MetadataMapper.ToWire(new MetadataItem(BudgetNamespace, BudgetKey, max.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        }

        return new Wire.Study
        {
            Name = study.Name,
            DisplayName = study.StudyId,
            StudySpec = spec,
            State = study.State switch
            {
                StudyState.Active => Wire.Study.Types.State.Active,
                StudyState.Inactive => Wire.Study.Types.State.Inactive,
                _ => Wire.Study.Types.State.Completed,
            },
            CreateTime = Timestamp.FromDateTimeOffset(study.CreateTime),
            InactiveReason = study.State == StudyState.Active ? string.Empty : study.StateReason ?? string.Empty,
        };
    }

    /// <summary>The wire spec of a config: the one a client sent, if the study was created over gRPC, else built from the config.</summary>
    public static Wire.StudySpec SpecOf(StudyConfig config)
    {
        if (StoredSpec(config) is { } stored)
        {
            return stored;
        }

        var spec = new Wire.StudySpec
        {
            Algorithm = config.Algorithm,
            ObservationNoise = (Spec.ObservationNoise)(int)config.ObservationNoise,
        };
        spec.Metrics.AddRange(config.Metrics.Select(MetricToWire));
        spec.Parameters.AddRange(config.Parameters.Select(ParameterToWire));
        if (config.Stopping.Rule != StoppingRule.None)
        {
            spec.DefaultStoppingSpec = new Spec.DefaultEarlyStoppingSpec();
        }

        return spec;
    }

    private static Wire.StudySpec? StoredSpec(StudyConfig config) =>
        config.Metadata.Get(MetadataMapper.ReservedNamespace, SpecKey) is { } base64
            ? Wire.StudySpec.Parser.ParseFrom(ByteString.FromBase64(base64))
            : null;

    /// <summary>
    /// The budget from the stored items (namespaces already read as the metadata mapper reads them, so a bare
    /// <c>vizier_orleans</c> is <c>:vizier_orleans</c>); the last one counts, as it does in the metadata.
    /// </summary>
    private static int? Budget(ImmutableList<MetadataItem> items, string field)
    {
        var i = items.FindLastIndex(item => item is { Namespace: BudgetNamespace, Key: BudgetKey });
        if (i < 0)
        {
            return null;
        }

        return int.TryParse(items[i].Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var max) && max > 0
            ? max
            : throw new InvalidStudyConfigException($"{field}.metadata[{i}]", $"{MetadataMapper.NamespaceToWire(BudgetNamespace)}/{BudgetKey} '{items[i].Value}' is not a positive whole number of trials.");
    }

    private static MetricConfig Metric(Spec.MetricSpec m, string field) => new()
    {
        Name = m.MetricId,
        Goal = m.Goal switch
        {
            Spec.MetricSpec.Types.GoalType.Maximize => MetricGoal.Maximize,
            Spec.MetricSpec.Types.GoalType.Minimize => MetricGoal.Minimize,
            _ => throw new InvalidStudyConfigException($"{field}.goal", $"metric '{m.MetricId}' needs goal MAXIMIZE (1) or MINIMIZE (2), was {(int)m.Goal}."),
        },
        SafetyThreshold = m.SafetyConfig?.SafetyThreshold,
        DesiredMinSafeTrialsFraction = m.SafetyConfig is { HasDesiredMinSafeTrialsFraction: true } s ? s.DesiredMinSafeTrialsFraction : null,
    };

    private static ParameterConfig Parameter(Spec.ParameterSpec p, string field)
    {
        var scale = p.ScaleType switch
        {
            Spec.ParameterSpec.Types.ScaleType.UnitLogScale => ScaleType.Log,
            Spec.ParameterSpec.Types.ScaleType.UnitReverseLogScale => ScaleType.ReverseLog,
            Spec.ParameterSpec.Types.ScaleType.UnitLinearScale or Spec.ParameterSpec.Types.ScaleType.Unspecified => ScaleType.Linear,
            var other => throw new InvalidStudyConfigException($"{field}.scale_type", $"unknown scale type {(int)other}."),
        };
        var config = p.ParameterValueSpecCase switch
        {
            Spec.ParameterSpec.ParameterValueSpecOneofCase.DoubleValueSpec => ParameterConfig.Double(p.ParameterId, p.DoubleValueSpec.MinValue, p.DoubleValueSpec.MaxValue, scale)
                with { Default = p.DoubleValueSpec.DefaultValue is double d ? ParameterValue.Of(d) : null },
            Spec.ParameterSpec.ParameterValueSpecOneofCase.IntegerValueSpec => ParameterConfig.Integer(p.ParameterId, p.IntegerValueSpec.MinValue, p.IntegerValueSpec.MaxValue, scale)
                with { Default = p.IntegerValueSpec.DefaultValue is long l ? ParameterValue.Of(l) : null },
            Spec.ParameterSpec.ParameterValueSpecOneofCase.DiscreteValueSpec => ParameterConfig.Discrete(p.ParameterId, p.DiscreteValueSpec.Values, scale)
                with { Default = p.DiscreteValueSpec.DefaultValue is double v ? ParameterValue.Of(v) : null },
            Spec.ParameterSpec.ParameterValueSpecOneofCase.CategoricalValueSpec => ParameterConfig.Categorical(p.ParameterId, p.CategoricalValueSpec.Values)
                with { Default = p.CategoricalValueSpec.DefaultValue is { } c ? ParameterValue.Of(c) : null },
            _ => throw new InvalidStudyConfigException($"{field}", $"parameter '{p.ParameterId}' sets none of double_value_spec, integer_value_spec, categorical_value_spec, discrete_value_spec."),
        };
        return config with
        {
            Children = [.. p.ConditionalParameterSpecs.Select((c, i) => Child(c, $"{field}.conditional_parameter_specs[{i}]"))],
        };
    }

    private static ConditionalParameter Child(Spec.ParameterSpec.Types.ConditionalParameterSpec c, string field)
    {
        ImmutableList<ParameterValue> parentValues = c.ParentValueConditionCase switch
        {
            Spec.ParameterSpec.Types.ConditionalParameterSpec.ParentValueConditionOneofCase.ParentDiscreteValues => [.. c.ParentDiscreteValues.Values.Select(ParameterValue.Of)],
            Spec.ParameterSpec.Types.ConditionalParameterSpec.ParentValueConditionOneofCase.ParentIntValues => [.. c.ParentIntValues.Values.Select(v => ParameterValue.Of(v))],
            Spec.ParameterSpec.Types.ConditionalParameterSpec.ParentValueConditionOneofCase.ParentCategoricalValues => [.. c.ParentCategoricalValues.Values.Select(ParameterValue.Of)],
            _ => throw new InvalidStudyConfigException(field, "sets none of parent_discrete_values, parent_int_values, parent_categorical_values."),
        };
        if (c.ParameterSpec is null)
        {
            throw new InvalidStudyConfigException($"{field}.parameter_spec", "is missing.");
        }

        return new ConditionalParameter { ParentValues = parentValues, Parameter = Parameter(c.ParameterSpec, $"{field}.parameter_spec") };
    }

    private static Spec.MetricSpec MetricToWire(MetricConfig m)
    {
        var wire = new Spec.MetricSpec
        {
            MetricId = m.Name,
            Goal = m.Goal == MetricGoal.Maximize ? Spec.MetricSpec.Types.GoalType.Maximize : Spec.MetricSpec.Types.GoalType.Minimize,
        };
        if (m.SafetyThreshold is double threshold)
        {
            wire.SafetyConfig = new Spec.MetricSpec.Types.SafetyMetricConfig { SafetyThreshold = threshold };
            if (m.DesiredMinSafeTrialsFraction is double fraction)
            {
                wire.SafetyConfig.DesiredMinSafeTrialsFraction = fraction;
            }
        }

        return wire;
    }

    private static Spec.ParameterSpec ParameterToWire(ParameterConfig p)
    {
        var wire = new Spec.ParameterSpec { ParameterId = p.Name };
        switch (p.Type)
        {
            case ParameterType.Double:
                wire.DoubleValueSpec = new() { MinValue = p.Min, MaxValue = p.Max, DefaultValue = p.Default?.Number };
                break;
            case ParameterType.Integer:
                wire.IntegerValueSpec = new() { MinValue = (long)p.Min, MaxValue = (long)p.Max, DefaultValue = p.Default is { } d ? d.AsInt64() : null };
                break;
            case ParameterType.Discrete:
                wire.DiscreteValueSpec = new() { DefaultValue = p.Default?.Number };
                wire.DiscreteValueSpec.Values.AddRange(p.FeasibleValues);
                break;
            default:
                wire.CategoricalValueSpec = new() { DefaultValue = p.Default?.Text };
                wire.CategoricalValueSpec.Values.AddRange(p.Categories);
                break;
        }

        if (p.Type != ParameterType.Categorical)
        {
            wire.ScaleType = p.Scale switch
            {
                ScaleType.Log => Spec.ParameterSpec.Types.ScaleType.UnitLogScale,
                ScaleType.ReverseLog => Spec.ParameterSpec.Types.ScaleType.UnitReverseLogScale,
                _ => Spec.ParameterSpec.Types.ScaleType.UnitLinearScale,
            };
        }

        foreach (var child in p.Children)
        {
            var c = new Spec.ParameterSpec.Types.ConditionalParameterSpec { ParameterSpec = ParameterToWire(child.Parameter) };
            switch (p.Type)
            {
                case ParameterType.Categorical:
                    c.ParentCategoricalValues = new();
                    c.ParentCategoricalValues.Values.AddRange(child.ParentValues.Select(v => v.AsString()));
                    break;
                case ParameterType.Integer:
                    c.ParentIntValues = new();
                    c.ParentIntValues.Values.AddRange(child.ParentValues.Select(v => v.AsInt64()));
                    break;
                default:
                    c.ParentDiscreteValues = new();
                    c.ParentDiscreteValues.Values.AddRange(child.ParentValues.Select(v => v.AsDouble()));
                    break;
            }

            wire.ConditionalParameterSpecs.Add(c);
        }

        return wire;
    }
}
