using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using VizierOrleans.Grains.Interfaces.Model;
using VizierOrleans.Grpc.Mapping;
using Wire = VizierOrleans.Grpc.Protocol;

namespace VizierOrleans.Tests.Properties;

/// <summary>Every wire mapping round-trips exactly: proto -> domain model -> proto gives the proto back.</summary>
public sealed class WireMappingProperties
{
    [Property(MaxTest = 200)]
    public Property A_study_spec_comes_back_from_the_model_unchanged() =>
        Prop.ForAll(WireGenerators.Specs().ToArbitrary(), spec =>
        {
            var model = StudyMapper.FromWire(spec);

            // Rebuild from the model alone: without the copy of the spec the front door keeps for GetStudy.
            var rebuilt = StudyMapper.SpecOf(model with { Metadata = Metadata.Empty });
            rebuilt.Metadata.AddRange(MetadataMapper.ToWire(model.Metadata));
            Assert.Equal(spec, rebuilt);
        });

    [Property(MaxTest = 300)]
    public Property A_measurement_comes_back_from_the_model_unchanged() =>
        Prop.ForAll(WireGenerators.Measurements().ToArbitrary(), measurement =>
            Assert.Equal(measurement, MeasurementMapper.ToWire(MeasurementMapper.FromWire(measurement))));

    [Property(MaxTest = 300)]
    public Property A_metadata_item_comes_back_from_the_model_unchanged() =>
        Prop.ForAll(WireGenerators.KeyValues().ToArbitrary(), kv =>
            Assert.Equal(kv, MetadataMapper.ToWire(MetadataMapper.FromWire(kv, "metadata"))));

    [Property(MaxTest = 200)]
    public Property Trial_parameters_come_back_from_the_model_unchanged() =>
        Prop.ForAll(StudyGenerators.Studies(Gen.Constant(AlgorithmNames.RandomSearch)), study =>
        {
            var random = new Random(unchecked((int)study.Seed));
            var wire = new Wire.Trial();
            wire.Parameters.AddRange(StudyGenerators.Assignment(study.Config, p => WireGenerators.AnyFeasible(p, random))
                .OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => new Wire.Trial.Types.Parameter
                {
                    ParameterId = p.Key,
                    Value = p.Value.Text is { } text ? Value.ForString(text) : Value.ForNumber(p.Value.AsDouble()),
                }));
            var parameters = TrialMapper.ParametersFromWire(wire.Parameters, study.Config, "trial.parameters");
            SearchSpace.Validate(study.Config, parameters, "round trip");
            var back = TrialMapper.ToWire(new Trial { StudyName = "owners/o/studies/s", Id = 1, Parameters = parameters });
            Assert.Equal(wire.Parameters, back.Parameters);
        });
}

/// <summary>Generators of protocol messages in their canonical form (the form the service itself writes).</summary>
internal static class WireGenerators
{
    private static readonly string[] Algorithms =
        [AlgorithmNames.Default, AlgorithmNames.RandomSearch, AlgorithmNames.GridSearch, AlgorithmNames.Nsga2, "SOME_EXTERNAL_ALGORITHM"];

    /// <summary>A spec built from a random valid config, with random metadata in namespace and key order.</summary>
    public static Gen<Wire.StudySpec> Specs() =>
        from config in StudyGenerators.Configs(Gen.Elements(Algorithms))
        from count in Gen.Choose(0, 4)
        from items in Gen.ArrayOf(KeyValues(), count)
        select WithMetadata(StudyMapper.SpecOf(config), items);

    /// <summary>Unique metric ids in name order, any double values, steps and a duration of whole ticks (the model's precision).</summary>
    public static Gen<Wire.Measurement> Measurements() =>
        from count in Gen.Choose(0, 4)
        from values in Gen.ArrayOf(Doubles(), count)
        from steps in Gen.Choose(0, int.MaxValue).Select(s => (long)s * 3)
        from seconds in Gen.Choose(0, 1_000_000)
        from ticks in Gen.Choose(0, 9_999_999)
        select Measurement(values, steps, seconds, ticks);

    /// <summary>A metadata item: the root namespace or an encoded one, a string (not starting with U+0001) or a packed message.</summary>
    public static Gen<Wire.KeyValue> KeyValues() =>
        from ns in Gen.Elements("", ":a", ":cmaes", ":a:b", ":gp_bandit")
        from key in Gen.Elements("k", "key", "x y", "ключ", "k:1")
        from packed in Gen.Elements(false, true)
        from text in Gen.Elements("", "v", "{\"json\": [1, 2]}", "line\nbreak", "\u00e9t\u00e9")
        from bytes in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b))
        select packed
            ? new Wire.KeyValue { Ns = ns, Key = key, Proto = new Any { TypeUrl = "type.googleapis.com/x." + key.Length, Value = ByteString.CopyFrom(bytes) } }
            : new Wire.KeyValue { Ns = ns, Key = key, Value = text };

    /// <summary>A uniformly random feasible value of a parameter.</summary>
    public static ParameterValue AnyFeasible(ParameterConfig p, Random random) => p.Type switch
    {
        ParameterType.Double => ParameterValue.Of(p.Min + (random.NextDouble() * (p.Max - p.Min))),
        ParameterType.Integer => ParameterValue.Of(random.NextInt64((long)p.Min, (long)p.Max + 1)),
        ParameterType.Discrete => ParameterValue.Of(p.FeasibleValues[random.Next(p.FeasibleValues.Count)]),
        _ => ParameterValue.Of(p.Categories[random.Next(p.Categories.Count)]),
    };

    private static Gen<double> Doubles() => Gen.Frequency(
        (6, StudyGenerators.Between(-1e6, 1e6)),
        (1, Gen.Elements(0.0, -0.0, double.Epsilon, double.MaxValue, double.MinValue, 1e-300, double.NaN, double.PositiveInfinity, double.NegativeInfinity)));

    private static Wire.StudySpec WithMetadata(Wire.StudySpec spec, Wire.KeyValue[] items)
    {
        // One value per (namespace, key), in the order the service lists metadata.
        spec.Metadata.AddRange(items.GroupBy(kv => (kv.Ns, kv.Key)).Select(g => g.Last())
            .OrderBy(kv => kv.Ns, StringComparer.Ordinal).ThenBy(kv => kv.Key, StringComparer.Ordinal));
        return spec;
    }

    private static Wire.Measurement Measurement(double[] values, long steps, int seconds, int ticks)
    {
        var m = new Wire.Measurement { StepCount = steps, ElapsedDuration = new Duration { Seconds = seconds, Nanos = ticks * 100 } };
        m.Metrics.AddRange(values.Select((v, i) => new Wire.Measurement.Types.Metric { MetricId = $"m{i}", Value = v }));
        return m;
    }
}
