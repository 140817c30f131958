using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using VizierOrleans.Grpc;
using VizierOrleans.Grpc.Mapping;
using VizierOrleans.Grains.Interfaces.Model;
using Wire = VizierOrleans.Grpc.Protocol;

namespace VizierOrleans.Tests.Grpc;

/// <summary>The wire mapping without a server: namespaces, packed metadata, specs kept verbatim, operation names.</summary>
public sealed class MappingTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData(":service", "service")]
    [InlineData(":a:b\\:c", "a:b\\:c")]
    public void Namespaces_lose_and_regain_their_leading_colon(string wire, string stored)
    {
        Assert.Equal(stored, MetadataMapper.NamespaceFromWire(wire, "m"));
        Assert.Equal(wire, MetadataMapper.NamespaceToWire(stored));
    }

    [Theory]
    [InlineData("service", "service")]
    [InlineData("fake:deep", "fake:deep")]
    [InlineData(":fake", "fake")]
    public void A_bare_namespace_is_read_as_the_reference_reads_it(string wire, string stored)
    {
        Assert.Equal(stored, MetadataMapper.NamespaceFromWire(wire, "metadata[0]"));
        Assert.Equal(":" + stored, MetadataMapper.NamespaceToWire(stored));
    }

    [Theory]
    [InlineData("vizier_orleans.grpc")]
    [InlineData(":")]
    [InlineData(":vizier_orleans.grpc")]
    public void Malformed_or_reserved_namespaces_are_refused_naming_the_field(string wire)
    {
        var e = Assert.Throws<InvalidArgumentException>(() => MetadataMapper.NamespaceFromWire(wire, "study.study_spec.metadata[3]"));
        Assert.StartsWith("study.study_spec.metadata[3].ns", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_packed_message_comes_back_with_its_type_url_and_bytes()
    {
        var any = new Any { TypeUrl = "type.googleapis.com/some.Unknown", Value = ByteString.CopyFrom(0, 1, 2, 255) };
        var item = MetadataMapper.FromWire(new Wire.KeyValue { Ns = ":x", Key = "k", Proto = any }, "m");
        var back = MetadataMapper.ToWire(item);
        Assert.Equal((":x", "k", any), (back.Ns, back.Key, back.Proto));
        Assert.Throws<InvalidArgumentException>(() => MetadataMapper.FromWire(new Wire.KeyValue { Key = "k", Value = "\u0001any:x" }, "m"));
    }

    [Fact]
    public void A_spec_with_fields_the_model_lacks_survives_the_round_trip()
    {
        var spec = WireStudies.Example();
        spec.Parameters[1].ScaleType = Wire.StudySpec.Types.ParameterSpec.Types.ScaleType.Unspecified;

        // An unknown field (number 15) as a newer client might send it.
        var bytes = spec.ToByteArray().Concat(new byte[] { (15 << 3) | 2, 3, (byte)'n', (byte)'e', (byte)'w' }).ToArray();
        var received = Wire.StudySpec.Parser.ParseFrom(bytes);
        var config = StudyMapper.FromWire(received);
        Assert.Equal(["lr", "layers", "opt", "bs", "flag"], config.Parameters.Select(p => p.Name));
        Assert.Equal((ScaleType.Log, ParameterType.Discrete), (config.Parameters[0].Scale, config.Parameters[3].Type));
        Assert.Equal(AlgorithmNames.RandomSearch, config.Algorithm);

        var study = StudyMapper.ToWire(new StudyInfo { Name = "owners/o/studies/s", Config = config, State = StudyState.Active, Metadata = config.Metadata });
        Assert.Equal(bytes, study.StudySpec.ToByteArray());
    }

    [Fact]
    public void A_max_trials_metadatum_in_the_vizier_orleans_namespace_sets_the_trial_budget()
    {
        var spec = WireStudies.Small();
        Assert.Null(StudyMapper.FromWire(spec).MaxTrials);
        spec.Metadata.Add(new Wire.KeyValue { Ns = ":vizier_orleans", Key = "max_trials", Value = "12" });
        Assert.Equal(12, StudyMapper.FromWire(spec).MaxTrials);

        spec.Metadata.Add(new Wire.KeyValue { Ns = "", Key = "max_trials", Value = "x" });
        Assert.Equal(12, StudyMapper.FromWire(spec).MaxTrials);
        var made = StudyMapper.FromWire(WireStudies.Small()) with { MaxTrials = 7 };
        var wire = StudyMapper.ToWire(new StudyInfo { Name = "owners/o/studies/s", Config = made, State = StudyState.Active, Metadata = made.Metadata });
        Assert.Equal("7", Assert.Single(wire.StudySpec.Metadata, kv => kv.Ns == ":vizier_orleans" && kv.Key == "max_trials").Value);

        spec.Metadata[0].Value = "0";
        var e = Assert.Throws<InvalidStudyConfigException>(() => StudyMapper.FromWire(spec));
        Assert.Contains("study.study_spec.metadata[0]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_max_trials_metadatum_in_the_bare_vizier_orleans_namespace_sets_the_budget_it_is_stored_under()
    {
        // A bare namespace is stored as the colon one (as OSS Vizier reads it), so GetStudy shows it as :vizier_orleans/max_trials.
        var spec = WireStudies.Small();
        spec.Metadata.Add(new Wire.KeyValue { Ns = "vizier_orleans", Key = "max_trials", Value = "9" });
        var config = StudyMapper.FromWire(spec);
        Assert.Equal(9, config.MaxTrials);
        Assert.Equal("9", config.Metadata.Get("vizier_orleans", "max_trials"));

        spec.Metadata[0].Value = "-1";
        var e = Assert.Throws<InvalidStudyConfigException>(() => StudyMapper.FromWire(spec));
        Assert.Contains("study.study_spec.metadata[0]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unspecified_algorithm_names_mean_the_default()
    {
        Assert.Equal(AlgorithmNames.Default, StudyMapper.FromWire(WireStudies.Small("ALGORITHM_UNSPECIFIED")).Algorithm);
        Assert.Equal(AlgorithmNames.Default, StudyMapper.FromWire(WireStudies.Small("")).Algorithm);
    }

    [Fact]
    public void Operation_names_carry_the_study_and_the_trial_ids()
    {
        var name = OperationNames.Suggestion("owners/o/studies/s", "worker/1 a", [3, 4]);
        Assert.Equal("owners/o/operations/suggestion/s/worker%2F1%20a/3,4", name);
        var (study, ids, _) = OperationNames.Parse(name);
        Assert.Equal("owners/o/studies/s", study);
        Assert.Equal([3L, 4L], ids);
        Assert.Empty(OperationNames.Parse(OperationNames.Suggestion("owners/o/studies/s", "w", [])).TrialIds);
        Assert.Throws<InvalidArgumentException>(() => OperationNames.Parse("owners/o/operations/suggestion/s/w/1,x"));
    }
}
