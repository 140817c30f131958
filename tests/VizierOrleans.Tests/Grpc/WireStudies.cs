using Google.Protobuf.WellKnownTypes;
using VizierOrleans.Grpc.Protocol;
using Spec = VizierOrleans.Grpc.Protocol.StudySpec.Types;

namespace VizierOrleans.Tests.Grpc;

/// <summary>Study specs as the OSS Python client sends them (section 5 of the protocol specification).</summary>
internal static class WireStudies
{
    /// <summary>Metric acc MAXIMIZE; lr DOUBLE log, layers INTEGER, opt CATEGORICAL, bs DISCRETE, flag boolean.</summary>
    public static StudySpec Example(string algorithm = "RANDOM_SEARCH")
    {
        var spec = new StudySpec { Algorithm = algorithm };
        spec.Metrics.Add(new Spec.MetricSpec { MetricId = "acc", Goal = Spec.MetricSpec.Types.GoalType.Maximize });
        spec.Parameters.Add(new Spec.ParameterSpec
        {
            ParameterId = "lr",
            DoubleValueSpec = new() { MinValue = 1e-4, MaxValue = 1e-1 },
            ScaleType = Spec.ParameterSpec.Types.ScaleType.UnitLogScale,
        });
        spec.Parameters.Add(new Spec.ParameterSpec { ParameterId = "layers", IntegerValueSpec = new() { MinValue = 1, MaxValue = 5 } });
        var opt = new Spec.ParameterSpec { ParameterId = "opt", CategoricalValueSpec = new() };
        opt.CategoricalValueSpec.Values.Add(["adam", "sgd"]);
        spec.Parameters.Add(opt);
        var bs = new Spec.ParameterSpec
        {
            ParameterId = "bs",
            DiscreteValueSpec = new(),
            ScaleType = Spec.ParameterSpec.Types.ScaleType.UnitLinearScale,
            ExternalType = Spec.ParameterSpec.Types.ExternalType.AsInteger,
        };
        bs.DiscreteValueSpec.Values.Add([16, 32, 64]);
        spec.Parameters.Add(bs);
        var flag = new Spec.ParameterSpec { ParameterId = "flag", CategoricalValueSpec = new(), ExternalType = Spec.ParameterSpec.Types.ExternalType.AsBoolean };
        flag.CategoricalValueSpec.Values.Add(["False", "True"]);
        spec.Parameters.Add(flag);
        return spec;
    }

    /// <summary>One float x in [0, 1] and a categorical opt; metric loss MINIMIZE.</summary>
    public static StudySpec Small(string algorithm = "RANDOM_SEARCH")
    {
        var spec = new StudySpec { Algorithm = algorithm };
        spec.Metrics.Add(new Spec.MetricSpec { MetricId = "loss", Goal = Spec.MetricSpec.Types.GoalType.Minimize });
        spec.Parameters.Add(new Spec.ParameterSpec { ParameterId = "x", DoubleValueSpec = new() { MinValue = 0, MaxValue = 1 }, ScaleType = Spec.ParameterSpec.Types.ScaleType.UnitLinearScale });
        var opt = new Spec.ParameterSpec { ParameterId = "opt", CategoricalValueSpec = new() };
        opt.CategoricalValueSpec.Values.Add(["adam", "sgd"]);
        spec.Parameters.Add(opt);
        return spec;
    }

    public static CreateStudyRequest Create(string owner, string studyId, StudySpec spec) =>
        new() { Parent = $"owners/{owner}", Study = new Study { DisplayName = studyId, StudySpec = spec } };

    public static Measurement Measurement(string metric, double value, long steps = 0, double seconds = 0) => new()
    {
        StepCount = steps,
        ElapsedDuration = Duration.FromTimeSpan(TimeSpan.FromSeconds(seconds)),
        Metrics = { new Measurement.Types.Metric { MetricId = metric, Value = value } },
    };

    public static SuggestTrialsResponse Trials(VizierOrleans.Grpc.Protocol.LongRunning.Operation operation)
    {
        Assert.True(operation.Done);
        Assert.NotEmpty(operation.Name);
        Assert.Null(operation.Error);
        return operation.Response.Unpack<SuggestTrialsResponse>();
    }
}
