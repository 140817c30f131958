namespace VizierOrleans.Grains.Storage;

/// <summary>
/// Reads the stored states of many grains of one partition group with one range query, instead of activating each
/// grain. A grain storage provider that can do it registers it as a keyed service under its provider name; the grains
/// fall back to grain calls when the provider has none (memory storage). It must decode exactly what the provider's
/// <c>ReadStateAsync</c> would.
/// </summary>
public interface IGrainStatePartitionReader
{
    /// <summary>
    /// Every state named <paramref name="stateName"/> of grains of type <paramref name="grainType"/> stored in
    /// <paramref name="partitionGroup"/> (as <see cref="IStoragePartitionLayout.PartitionOf"/> names it), paged as the
    /// store pages; grains whose state was cleared are left out.
    /// </summary>
    IAsyncEnumerable<(GrainId Grain, T State)> ReadPartitionAsync<T>(string partitionGroup, string stateName, GrainType grainType, CancellationToken cancellationToken);
}
