using System.Collections.Immutable;
using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using VizierOrleans.Grains.Interfaces.Model;
using Wire = VizierOrleans.Grpc.Protocol;

namespace VizierOrleans.Grpc.Mapping;

/// <summary>Trials between the wire and the domain model.</summary>
internal static class TrialMapper
{
    /// <summary>
    /// The wire form of a trial. Only a SUCCEEDED trial carries a final measurement: the OSS client takes its mere
    /// presence to mean "completed". Every parameter value has a kind: numbers for numeric parameters, strings for
    /// categories.
    /// </summary>
    public static Wire.Trial ToWire(Trial trial)
    {
        var wire = new Wire.Trial
        {
            Name = trial.Name,
            Id = trial.Id.ToString(CultureInfo.InvariantCulture),
            State = (Wire.Trial.Types.State)(int)trial.State,
            StartTime = Timestamp.FromDateTimeOffset(trial.StartTime ?? trial.CreateTime),
            ClientId = trial.ClientId ?? string.Empty,
            InfeasibleReason = trial.State == TrialState.Infeasible ? trial.InfeasibleReason ?? string.Empty : string.Empty,
        };
        wire.Parameters.AddRange(trial.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new Wire.Trial.Types.Parameter
        {
            ParameterId = p.Key,
            Value = p.Value.Text is { } text ? Value.ForString(text) : Value.ForNumber(p.Value.AsDouble()),
        }));
        if (trial.State == TrialState.Succeeded && trial.FinalMeasurement is { } final)
        {
            wire.FinalMeasurement = MeasurementMapper.ToWire(final);
        }

        if (trial.EndTime is { } end)
        {
            wire.EndTime = Timestamp.FromDateTimeOffset(end);
        }

        wire.Measurements.AddRange(trial.Measurements.Select(MeasurementMapper.ToWire));
        wire.Metadata.AddRange(MetadataMapper.ToWire(trial.Metadata));
        return wire;
    }

    /// <summary>
    /// A hand-made trial from CreateTrial: SUCCEEDED with a final measurement (or, lacking one, its last intermediate
    /// measurement) imports a result; INFEASIBLE imports an infeasible one; anything else is queued as REQUESTED.
    /// </summary>
    public static TrialRequest RequestFromWire(Wire.Trial trial, StudyConfig config)
    {
        var parameters = ParametersFromWire(trial.Parameters, config, "trial.parameters");
        var metadata = Metadata.Empty.With(MetadataMapper.FromWire(trial.Metadata, "trial.metadata"));
        return trial.State switch
        {
            Wire.Trial.Types.State.Succeeded => new TrialRequest
            {
                Parameters = parameters,
                Metadata = metadata,
                Measurements = [.. trial.Measurements.Select(MeasurementMapper.FromWire)],
                FinalMeasurement = trial.FinalMeasurement is { Metrics.Count: > 0 } final ? MeasurementMapper.FromWire(final)
                    : trial.Measurements.LastOrDefault() is { } last ? MeasurementMapper.FromWire(last)
                    : throw new InvalidArgumentException("trial.final_measurement: a SUCCEEDED trial needs a final measurement with metrics."),
            },
            Wire.Trial.Types.State.Infeasible => new TrialRequest
            {
                Parameters = parameters,
                Metadata = metadata,
                Measurements = [.. trial.Measurements.Select(MeasurementMapper.FromWire)],
                InfeasibleReason = string.IsNullOrEmpty(trial.InfeasibleReason) ? "infeasible" : trial.InfeasibleReason,
            },
            _ => new TrialRequest { Parameters = parameters, Metadata = metadata },
        };
    }

    /// <summary>
    /// Parameter values from the wire, read by each parameter's type: the OSS client sends every number (booleans
    /// included) as a number, and categories as strings.
    /// </summary>
    public static ImmutableDictionary<string, ParameterValue> ParametersFromWire(IEnumerable<Wire.Trial.Types.Parameter> parameters, StudyConfig config, string field)
    {
        var specs = SearchSpace.Flatten(config.Parameters).ToDictionary(p => p.Name);
        var result = ImmutableDictionary.CreateBuilder<string, ParameterValue>();
        foreach (var (p, i) in parameters.Select((p, i) => (p, i)))
        {
            var path = $"{field}[{i}]";
            if (result.ContainsKey(p.ParameterId))
            {
                throw new InvalidArgumentException($"{path}: duplicate parameter '{p.ParameterId}'.");
            }

            var spec = specs.GetValueOrDefault(p.ParameterId);
            var categorical = spec?.Type == ParameterType.Categorical;
            result[p.ParameterId] = p.Value?.KindCase switch
            {
                Value.KindOneofCase.NumberValue when categorical => ParameterValue.Of(FormatCategory(p.Value.NumberValue, spec!)),
                Value.KindOneofCase.NumberValue => ParameterValue.Of(p.Value.NumberValue),
                Value.KindOneofCase.StringValue => ParameterValue.Of(p.Value.StringValue),
                Value.KindOneofCase.BoolValue => categorical ? ParameterValue.Of(p.Value.BoolValue ? "True" : "False") : ParameterValue.Of(p.Value.BoolValue ? 1 : 0),
                _ => throw new InvalidArgumentException($"{path}: parameter '{p.ParameterId}' has no number or string value."),
            };
        }

        return result.ToImmutable();
    }

    // The OSS client sends a Python bool as the number 1 or 0; a boolean parameter's categories are "False" and "True".
    private static string FormatCategory(double number, ParameterConfig spec) =>
        spec.Categories is ["False", "True"] && number is 0 or 1
            ? (number == 1 ? "True" : "False")
            : number.ToString("R", CultureInfo.InvariantCulture);
}
