using System.Collections.Immutable;

namespace VizierOrleans.Grains.Interfaces.Model;

/// <summary>
/// Namespaced key/value metadata. The namespace "" belongs to the user; algorithms keep their state under
/// their own namespace.
/// </summary>
[GenerateSerializer, Immutable, Alias("vizier.Metadata")]
public sealed record Metadata
{
    /// <summary>Empty metadata.</summary>
    public static readonly Metadata Empty = new();

    /// <summary>Namespace -> key -> value.</summary>
    [Id(0)] public ImmutableDictionary<string, ImmutableDictionary<string, string>> Namespaces { get; init; } =
        ImmutableDictionary<string, ImmutableDictionary<string, string>>.Empty;

    /// <summary>The value under (namespace, key), or null.</summary>
    public string? Get(string ns, string key) =>
        Namespaces.TryGetValue(ns, out var values) && values.TryGetValue(key, out var value) ? value : null;

    /// <summary>A copy with (namespace, key) set to <paramref name="value"/>.</summary>
    public Metadata With(string ns, string key, string value)
    {
        var values = Namespaces.TryGetValue(ns, out var existing) ? existing : ImmutableDictionary<string, string>.Empty;
        return new Metadata { Namespaces = Namespaces.SetItem(ns, values.SetItem(key, value)) };
    }

    /// <summary>A copy with every item applied in order.</summary>
    public Metadata With(IEnumerable<MetadataItem> items) =>
        items.Aggregate(this, (metadata, item) => metadata.With(item.Namespace, item.Key, item.Value));

    /// <summary>All items, ordered by namespace and key.</summary>
    public IEnumerable<MetadataItem> Items =>
        from ns in Namespaces.OrderBy(n => n.Key, StringComparer.Ordinal)
        from kv in ns.Value.OrderBy(k => k.Key, StringComparer.Ordinal)
        select new MetadataItem(ns.Key, kv.Key, kv.Value);

    /// <summary>Structural equality (the dictionaries compare by content).</summary>
    public bool Equals(Metadata? other) =>
        other is not null && Items.SequenceEqual(other.Items);

    /// <inheritdoc />
    public override int GetHashCode() => Items.Aggregate(0, (h, i) => HashCode.Combine(h, i));
}
