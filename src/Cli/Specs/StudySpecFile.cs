using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using VizierOrleans.Grpc.Protocol;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using ParameterSpec = VizierOrleans.Grpc.Protocol.StudySpec.Types.ParameterSpec;

namespace VizierOrleans.Cli.Specs;

/// <summary>
/// A study spec file (JSON, or YAML: the same schema), documented in src/Cli/README.md; every error names the
/// file and the field's path.
/// </summary>
internal sealed class StudySpecFile
{
    /// <summary>The metadata namespace (wire form) and key of the trial budget, as the service reads it.</summary>
    public const string BudgetNamespace = ":vizier_orleans";

    public const string BudgetKey = "max_trials";

    private static readonly string[] TopFields = ["owner", "study_id", "algorithm", "max_trials", "observation_noise", "automated_stopping", "metrics", "parameters", "metadata"];
    private static readonly string[] MetricFields = ["name", "goal", "safety_threshold", "desired_min_safe_trials_fraction"];
    private static readonly string[] ParameterFields = ["name", "type", "min", "max", "values", "scale", "default", "children"];
    private static readonly string[] ChildFields = ["parent_values", "parameters"];

    private readonly string _file;

    private StudySpecFile(string file) => _file = file;

    public string? Owner { get; private set; }

    public string? StudyId { get; private set; }

    public StudySpec Spec { get; } = new();

    /// <summary>Reads a .json, .yaml or .yml file (anything else is tried as YAML, which JSON also is).</summary>
    public static StudySpecFile Read(string path)
    {
        if (!File.Exists(path))
        {
            throw CliException.Usage($"--spec: {path} does not exist.");
        }

        var text = File.ReadAllText(path);
        JsonNode? root;
        try
        {
            root = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? JsonNode.Parse(text) : FromYaml(text);
        }
        catch (Exception e) when (e is JsonException or YamlException)
        {
            throw CliException.Usage($"{path}: not valid {(path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? "JSON" : "YAML")}: {e.Message}");
        }

        var file = new StudySpecFile(path);
        file.ReadRoot(root as JsonObject ?? throw file.Error("", "the file must hold one object (a mapping)."));
        return file;
    }

    private void ReadRoot(JsonObject root)
    {
        RequireKnown(root, "", TopFields);
        Owner = OptionalString(root, "owner", "owner");
        StudyId = OptionalString(root, "study_id", "study_id");
        Spec.Algorithm = OptionalString(root, "algorithm", "algorithm") ?? "DEFAULT";
        if (root["observation_noise"] is { } noise)
        {
            Spec.ObservationNoise = Enum(noise, "observation_noise", ["LOW", "HIGH"]) == "LOW" ? StudySpec.Types.ObservationNoise.Low : StudySpec.Types.ObservationNoise.High;
        }

        if (root["automated_stopping"] is { } stopping && Bool(stopping, "automated_stopping"))
        {
            Spec.DefaultStoppingSpec = new StudySpec.Types.DefaultEarlyStoppingSpec();
        }

        var metrics = Array(root, "metrics", "metrics", required: true);
        if (metrics.Count == 0)
        {
            throw Error("metrics", "needs at least one metric.");
        }

        for (var i = 0; i < metrics.Count; i++)
        {
            Spec.Metrics.Add(Metric(Object(metrics[i], $"metrics[{i}]"), $"metrics[{i}]"));
        }

        var parameters = Array(root, "parameters", "parameters", required: true);
        for (var i = 0; i < parameters.Count; i++)
        {
            Spec.Parameters.Add(Parameter(Object(parameters[i], $"parameters[{i}]"), $"parameters[{i}]"));
        }

        switch (root["metadata"])
        {
            case null:
                break;
            case JsonObject map:
                foreach (var (key, value) in map)
                {
                    Spec.Metadata.Add(new KeyValue { Key = key, Value = Scalar(value, $"metadata.{key}") });
                }

                break;
            case JsonArray list:
                for (var i = 0; i < list.Count; i++)
                {
                    var item = Object(list[i], $"metadata[{i}]");
                    RequireKnown(item, $"metadata[{i}]", ["ns", "key", "value"]);
                    var ns = OptionalString(item, "ns", $"metadata[{i}].ns") ?? string.Empty;
                    Spec.Metadata.Add(new KeyValue
                    {
                        Ns = ns.Length == 0 || ns.StartsWith(':') ? ns : ":" + ns,
                        Key = RequiredString(item, "key", $"metadata[{i}].key"),
                        Value = Scalar(item["value"], $"metadata[{i}].value"),
                    });
                }

                break;
            default:
                throw Error("metadata", "must be a mapping of key: value, or a list of {ns, key, value}.");
        }

        if (root["max_trials"] is { } max)
        {
            var budget = Integer(max, "max_trials");
            if (budget <= 0)
            {
                throw Error("max_trials", $"must be a positive number of trials, was {budget}.");
            }

            Spec.Metadata.Add(new KeyValue { Ns = BudgetNamespace, Key = BudgetKey, Value = budget.ToString(CultureInfo.InvariantCulture) });
        }
    }

    private StudySpec.Types.MetricSpec Metric(JsonObject m, string path)
    {
        RequireKnown(m, path, MetricFields);
        var metric = new StudySpec.Types.MetricSpec
        {
            MetricId = RequiredString(m, "name", path + ".name"),
            Goal = Enum(m["goal"] ?? throw Error(path + ".goal", "is missing (MAXIMIZE or MINIMIZE)."), path + ".goal", ["MAXIMIZE", "MINIMIZE"]) == "MAXIMIZE"
                ? StudySpec.Types.MetricSpec.Types.GoalType.Maximize
                : StudySpec.Types.MetricSpec.Types.GoalType.Minimize,
        };
        if (m["safety_threshold"] is { } threshold)
        {
            metric.SafetyConfig = new StudySpec.Types.MetricSpec.Types.SafetyMetricConfig { SafetyThreshold = Double(threshold, path + ".safety_threshold") };
            if (m["desired_min_safe_trials_fraction"] is { } fraction)
            {
                metric.SafetyConfig.DesiredMinSafeTrialsFraction = Double(fraction, path + ".desired_min_safe_trials_fraction");
            }
        }
        else if (m["desired_min_safe_trials_fraction"] is not null)
        {
            throw Error(path + ".desired_min_safe_trials_fraction", "needs safety_threshold.");
        }

        return metric;
    }

    private ParameterSpec Parameter(JsonObject p, string path)
    {
        RequireKnown(p, path, ParameterFields);
        var type = Enum(p["type"] ?? throw Error(path + ".type", "is missing (DOUBLE, INTEGER, DISCRETE, CATEGORICAL or BOOLEAN)."), path + ".type", ["DOUBLE", "INTEGER", "DISCRETE", "CATEGORICAL", "BOOLEAN"]);
        var spec = new ParameterSpec { ParameterId = RequiredString(p, "name", path + ".name") };
        var defaultValue = p["default"];
        switch (type)
        {
            case "DOUBLE":
                spec.DoubleValueSpec = new ParameterSpec.Types.DoubleValueSpec { MinValue = Double(Required(p, "min", path), path + ".min"), MaxValue = Double(Required(p, "max", path), path + ".max") };
                if (defaultValue is not null)
                {
                    spec.DoubleValueSpec.DefaultValue = Double(defaultValue, path + ".default");
                }

                break;
            case "INTEGER":
                spec.IntegerValueSpec = new ParameterSpec.Types.IntegerValueSpec { MinValue = Integer(Required(p, "min", path), path + ".min"), MaxValue = Integer(Required(p, "max", path), path + ".max") };
                if (defaultValue is not null)
                {
                    spec.IntegerValueSpec.DefaultValue = Integer(defaultValue, path + ".default");
                }

                break;
            case "DISCRETE":
                spec.DiscreteValueSpec = new ParameterSpec.Types.DiscreteValueSpec();
                var numbers = Array(p, "values", path + ".values", required: true);
                spec.DiscreteValueSpec.Values.AddRange(numbers.Select((v, i) => Double(v, $"{path}.values[{i}]")));
                if (defaultValue is not null)
                {
                    spec.DiscreteValueSpec.DefaultValue = Double(defaultValue, path + ".default");
                }

                break;
            case "CATEGORICAL":
                spec.CategoricalValueSpec = new ParameterSpec.Types.CategoricalValueSpec();
                var categories = Array(p, "values", path + ".values", required: true);
                spec.CategoricalValueSpec.Values.AddRange(categories.Select((v, i) => Scalar(v, $"{path}.values[{i}]")));
                if (defaultValue is not null)
                {
                    spec.CategoricalValueSpec.DefaultValue = Scalar(defaultValue, path + ".default");
                }

                break;
            default:
                spec.CategoricalValueSpec = new ParameterSpec.Types.CategoricalValueSpec { Values = { "False", "True" } };
                spec.ExternalType = ParameterSpec.Types.ExternalType.AsBoolean;
                if (defaultValue is not null)
                {
                    spec.CategoricalValueSpec.DefaultValue = Bool(defaultValue, path + ".default") ? "True" : "False";
                }

                break;
        }

        if (p["scale"] is { } scale)
        {
            if (type is not ("DOUBLE" or "INTEGER" or "DISCRETE"))
            {
                throw Error(path + ".scale", $"a {type} parameter has no scale.");
            }

            spec.ScaleType = Enum(scale, path + ".scale", ["LINEAR", "LOG", "REVERSE_LOG"]) switch
            {
                "LOG" => ParameterSpec.Types.ScaleType.UnitLogScale,
                "REVERSE_LOG" => ParameterSpec.Types.ScaleType.UnitReverseLogScale,
                _ => ParameterSpec.Types.ScaleType.UnitLinearScale,
            };
        }

        var children = Array(p, "children", path + ".children", required: false);
        for (var i = 0; i < children.Count; i++)
        {
            var childPath = $"{path}.children[{i}]";
            var child = Object(children[i], childPath);
            RequireKnown(child, childPath, ChildFields);
            var values = Array(child, "parent_values", childPath + ".parent_values", required: true);
            var condition = new ParameterSpec.Types.ConditionalParameterSpec();
            switch (type)
            {
                case "DISCRETE":
                    condition.ParentDiscreteValues = new() { Values = { values.Select((v, j) => Double(v, $"{childPath}.parent_values[{j}]")) } };
                    break;
                case "INTEGER":
                    condition.ParentIntValues = new() { Values = { values.Select((v, j) => Integer(v, $"{childPath}.parent_values[{j}]")) } };
                    break;
                case "CATEGORICAL":
                    condition.ParentCategoricalValues = new() { Values = { values.Select((v, j) => Scalar(v, $"{childPath}.parent_values[{j}]")) } };
                    break;
                case "BOOLEAN":
                    condition.ParentCategoricalValues = new() { Values = { values.Select((v, j) => Bool(v!, $"{childPath}.parent_values[{j}]") ? "True" : "False") } };
                    break;
                default:
                    throw Error(childPath, "a DOUBLE parameter cannot have children; use DISCRETE, INTEGER, CATEGORICAL or BOOLEAN.");
            }

            var childParameters = Array(child, "parameters", childPath + ".parameters", required: true);
            for (var j = 0; j < childParameters.Count; j++)
            {
                var c = condition.Clone();
                c.ParameterSpec = Parameter(Object(childParameters[j], $"{childPath}.parameters[{j}]"), $"{childPath}.parameters[{j}]");
                spec.ConditionalParameterSpecs.Add(c);
            }
        }

        return spec;
    }

    private CliException Error(string path, string message) => CliException.Usage(path.Length == 0 ? $"{_file}: {message}" : $"{_file}: {path}: {message}");

    private void RequireKnown(JsonObject node, string path, string[] known)
    {
        foreach (var (key, _) in node)
        {
            if (!known.Contains(key))
            {
                throw Error(path.Length == 0 ? key : $"{path}.{key}", $"unknown field; the known ones are {string.Join(", ", known)}.");
            }
        }
    }

    private JsonNode Required(JsonObject node, string field, string path) => node[field] ?? throw Error($"{path}.{field}", "is missing.");

    private JsonObject Object(JsonNode? node, string path) => node as JsonObject ?? throw Error(path, "must be a mapping.");

    private JsonArray Array(JsonObject node, string field, string path, bool required) => node[field] switch
    {
        JsonArray a => a,
        null when !required => [],
        null => throw Error(path, "is missing."),
        _ => throw Error(path, "must be a list."),
    };

    private string RequiredString(JsonObject node, string field, string path) =>
        OptionalString(node, field, path) is { Length: > 0 } s ? s : throw Error(path, "is missing or empty.");

    private string? OptionalString(JsonObject node, string field, string path) => node[field] is { } value ? Scalar(value, path) : null;

    private string Scalar(JsonNode? node, string path) => node is JsonValue v
        ? v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.Number => v.ToJsonString(),
            JsonValueKind.True => "True",
            JsonValueKind.False => "False",
            _ => throw Error(path, "must be a string."),
        }
        : throw Error(path, "must be a string.");

    private string Enum(JsonNode node, string path, string[] names)
    {
        var value = Scalar(node, path).ToUpperInvariant();
        return names.Contains(value) ? value : throw Error(path, $"'{Scalar(node, path)}' is not one of {string.Join(", ", names)}.");
    }

    private double Double(JsonNode? node, string path) =>
        Number(node) ?? throw Error(path, $"must be a number, was {node?.ToJsonString() ?? "nothing"}.");

    private long Integer(JsonNode? node, string path) =>
        node is JsonValue v && v.TryGetValue<long>(out var l) ? l
        : Number(node) is double d && double.IsInteger(d) && Math.Abs(d) < 9e15 ? (long)d
        : throw Error(path, $"must be a whole number, was {node?.ToJsonString() ?? "nothing"}.");

    /// <summary>A number, whether parsed from JSON or converted from YAML (where it is a long or a double).</summary>
    private static double? Number(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
        ? v.TryGetValue<double>(out var d) ? d : v.TryGetValue<long>(out var l) ? l : null
        : null;

    private bool Bool(JsonNode node, string path) => node switch
    {
        JsonValue v when v.GetValueKind() is JsonValueKind.True => true,
        JsonValue v when v.GetValueKind() is JsonValueKind.False => false,
        JsonValue v when v.GetValueKind() is JsonValueKind.String && string.Equals(v.GetValue<string>(), "true", StringComparison.OrdinalIgnoreCase) => true,
        JsonValue v when v.GetValueKind() is JsonValueKind.String && string.Equals(v.GetValue<string>(), "false", StringComparison.OrdinalIgnoreCase) => false,
        _ => throw Error(path, $"must be true or false, was {node.ToJsonString()}."),
    };

    /// <summary>YAML as the same JSON tree: plain scalars that read as numbers, booleans or null become those; quoted ones stay strings.</summary>
    private static JsonNode? FromYaml(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode);
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value ?? string.Empty, Convert(kv.Value)))),
        YamlSequenceNode list => new JsonArray([.. list.Children.Select(Convert)]),
        YamlScalarNode { Style: ScalarStyle.Plain } s => PlainScalar(s.Value ?? string.Empty),
        YamlScalarNode s => JsonValue.Create(s.Value ?? string.Empty),
        _ => null,
    };

    private static JsonNode? PlainScalar(string value) => value switch
    {
        "" or "~" or "null" or "Null" or "NULL" => null,
        "true" or "True" or "TRUE" => JsonValue.Create(true),
        "false" or "False" or "FALSE" => JsonValue.Create(false),
        _ when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
        _ when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
        _ => JsonValue.Create(value),
    };
}
