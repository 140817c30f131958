namespace VizierOrleans.Grains.Storage;

/// <summary>
/// Which grains' states share a storage partition. Grain storage providers that have partitions (Azure Tables) ask it,
/// so the layout belongs to the grains that know their keys, not to the provider.
/// </summary>
public interface IStoragePartitionLayout
{
    /// <summary>
    /// The partition group of <paramref name="grainId"/>'s state: states of one group share a partition (and may share a
    /// transaction). Changing the answer for a stored grain orphans its stored state.
    /// </summary>
    string PartitionOf(GrainId grainId);
}
