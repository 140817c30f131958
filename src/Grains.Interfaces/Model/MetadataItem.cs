namespace VizierOrleans.Grains.Interfaces.Model;

/// <summary>One metadata entry.</summary>
/// <param name="Namespace">"" for the user; an algorithm's own namespace otherwise.</param>
/// <param name="Key">The key within the namespace.</param>
/// <param name="Value">The value.</param>
[GenerateSerializer, Immutable, Alias("vizier.MetadataItem")]
public sealed record MetadataItem([property: Id(0)] string Namespace, [property: Id(1)] string Key, [property: Id(2)] string Value);
