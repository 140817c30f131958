using System.Collections.Immutable;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using VizierOrleans.Grains.Interfaces.Model;
using Wire = VizierOrleans.Grpc.Protocol;

namespace VizierOrleans.Grpc.Mapping;

/// <summary>
/// Metadata between the wire's <c>KeyValue</c> and the service's string metadata. A wire namespace is "" or an
/// encoded path starting with ':'; it is stored without that colon, so the algorithms' own namespaces (for example
/// "cmaes") appear on the wire as ":cmaes". A bare namespace ("fake") is read as OSS Vizier reads it, the same as
/// ":fake". Packed messages (<c>proto</c>) are stored as a marked string that keeps
/// the type URL and the bytes, and come back verbatim.
/// </summary>
internal static class MetadataMapper
{
    /// <summary>Where the front door keeps what the wire needs but the domain model has no field for.</summary>
    public const string ReservedNamespace = "vizier_orleans.grpc";

    private const string AnyMarker = "\u0001any:";

    /// <summary>The stored namespace for a wire namespace; <paramref name="field"/> names the field in errors.</summary>
    public static string NamespaceFromWire(string ns, string field)
    {
        if (ns.Length == 0)
        {
            return ns;
        }

        if (ns == ":")
        {
            throw new InvalidArgumentException($"{field}.ns: ':' is not an encoded namespace (empty, or a path such as ':a:b').");
        }

        var stored = ns[0] == ':' ? ns[1..] : ns;
        if (stored == ReservedNamespace)
        {
            throw new InvalidArgumentException($"{field}.ns: ':{ReservedNamespace}' is reserved by the service.");
        }

        return stored;
    }

    /// <summary>The wire namespace for a stored one.</summary>
    public static string NamespaceToWire(string ns) => ns.Length == 0 ? ns : ":" + ns;

    /// <summary>One stored item from a wire <c>KeyValue</c>.</summary>
    public static MetadataItem FromWire(Wire.KeyValue kv, string field)
    {
        var ns = NamespaceFromWire(kv.Ns, field);
        if (string.IsNullOrEmpty(kv.Key))
        {
            throw new InvalidArgumentException($"{field}.key is empty.");
        }

        var value = kv.AValueCase switch
        {
            Wire.KeyValue.AValueOneofCase.Proto => AnyMarker + kv.Proto.TypeUrl + "\n" + kv.Proto.Value.ToBase64(),
            _ when kv.Value.StartsWith('\u0001') => throw new InvalidArgumentException($"{field}.value: a string value may not start with U+0001."),
            _ => kv.Value,
        };
        return new MetadataItem(ns, kv.Key, value);
    }

    /// <summary>Stored items from wire items.</summary>
    public static ImmutableList<MetadataItem> FromWire(IEnumerable<Wire.KeyValue> items, string field) =>
        [.. items.Select((kv, i) => FromWire(kv, $"{field}[{i}]"))];

    /// <summary>The wire form of stored metadata, without the service's reserved namespace.</summary>
    public static IEnumerable<Wire.KeyValue> ToWire(Metadata metadata) =>
        metadata.Items.Where(i => i.Namespace != ReservedNamespace).Select(ToWire);

    /// <summary>The wire form of one stored item.</summary>
    public static Wire.KeyValue ToWire(MetadataItem item)
    {
        var kv = new Wire.KeyValue { Key = item.Key, Ns = NamespaceToWire(item.Namespace) };
        if (item.Value.StartsWith(AnyMarker, StringComparison.Ordinal))
        {
            var body = item.Value.AsSpan(AnyMarker.Length);
            var split = body.IndexOf('\n');
            kv.Proto = new Any { TypeUrl = body[..split].ToString(), Value = ByteString.FromBase64(body[(split + 1)..].ToString()) };
        }
        else
        {
            kv.Value = item.Value;
        }

        return kv;
    }
}
