using System.Collections.Immutable;
using VizierOrleans.Grains.Interfaces;
using VizierOrleans.Grains.State;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains;

/// <summary>The list of one owner's studies.</summary>
[GrainType("owner")]
internal sealed class OwnerGrain : Grain, IOwnerGrain
{
    private readonly CommittedState<OwnerRecord, ImmutableSortedSet<string>> _studyIds;

    /// <summary>Creates the grain over its storage slot.</summary>
    public OwnerGrain([PersistentState("owner", StorageNames.Vizier)] IPersistentState<OwnerRecord> state) =>
        _studyIds = new(state, s => ImmutableSortedSet.CreateRange(StringComparer.Ordinal, s.StudyIds), (s, ids) => s.StudyIds = new SortedSet<string>(ids, StringComparer.Ordinal), DeactivateOnIdle);

    /// <inheritdoc />
    public async Task RegisterAsync(string studyId)
    {
        if (!_studyIds.Value.Contains(studyId))
        {
            await _studyIds.WriteAsync(_studyIds.Value.Add(studyId));
        }

        // Every time, not only for the first study: a retried call after a failed directory write mends it.
        await Directory.AddAsync(this.GetPrimaryKeyString());
    }

    /// <inheritdoc />
    public async Task UnregisterAsync(string studyId)
    {
        if (_studyIds.Value.Contains(studyId))
        {
            await _studyIds.WriteAsync(_studyIds.Value.Remove(studyId));
        }

        if (_studyIds.Value.Count == 0)
        {
            await Directory.RemoveAsync(this.GetPrimaryKeyString());
        }
    }

    /// <inheritdoc />
    public async Task<ImmutableList<StudyInfo>> ListStudiesAsync()
    {
        var owner = this.GetPrimaryKeyString();
        var studies = await Task.WhenAll(_studyIds.Value.Select(async id =>
        {
            try
            {
                return await GrainFactory.GetGrain<IStudyGrain>(ResourceNames.Study(owner, id)).GetAsync();
            }
            catch (NotFoundException)
            {
                // Deleted between listing and reading.
                return null;
            }
        }));
        return [.. studies.OfType<StudyInfo>()];
    }

    private IOwnerDirectoryGrain Directory => GrainFactory.GetGrain<IOwnerDirectoryGrain>(IOwnerDirectoryGrain.Key);
}
