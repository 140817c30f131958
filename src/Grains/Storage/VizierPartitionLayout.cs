using System.Globalization;

namespace VizierOrleans.Grains.Storage;

/// <summary>
/// The Vizier grains' partition layout. A study (<c>owners/{o}/studies/{s}</c>) and every grain keyed under it share
/// the study's group; its trials (<c>.../trials/{id}</c>) share groups by blocks of <see cref="TrialsPerPartition"/>
/// consecutive ids, so the writes of one busy study batch together while no partition grows past a block (Azure caps
/// a partition near 2,000 entities/s, and Azurite gets slower as a partition grows). Any other grain is grouped by its
/// grain type.
/// </summary>
public sealed class VizierPartitionLayout : IStoragePartitionLayout
{
    /// <summary>How many consecutive trial ids of a study share a partition. Stored keys depend on it: never change it.</summary>
    public const int TrialsPerPartition = 500;

    /// <inheritdoc />
    public string PartitionOf(GrainId grainId)
    {
        var parts = grainId.Key.ToString()!.Split('/');
        if (parts.Length < 4 || parts[0] != "owners" || parts[2] != "studies")
        {
            return grainId.Type.ToString()!;
        }

        var study = string.Join('/', parts.Take(4));
        return parts.Length == 6 && parts[4] == "trials" && long.TryParse(parts[5], NumberStyles.Integer, CultureInfo.InvariantCulture, out var id)
            ? TrialPartition(study, id)
            : study;
    }

    /// <summary>The partition group of trial <paramref name="trialId"/> of <paramref name="studyName"/>.</summary>
    public static string TrialPartition(string studyName, long trialId) =>
        string.Create(CultureInfo.InvariantCulture, $"{studyName}|{(trialId - 1) / TrialsPerPartition}");

    /// <summary>The partition groups that hold the trials of <paramref name="studyName"/> with ids 1 up to (excluding) <paramref name="limit"/>.</summary>
    public static IEnumerable<string> TrialPartitions(string studyName, long limit)
    {
        for (long first = 1; first < limit; first += TrialsPerPartition)
        {
            yield return TrialPartition(studyName, first);
        }
    }
}
