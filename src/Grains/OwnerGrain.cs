using System.Collections.Immutable;
using VizierOrleans.Grains.Interfaces;
using VizierOrleans.Grains.State;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains;

/// <summary>The list of one owner's studies.</summary>
internal sealed class OwnerGrain(
    [PersistentState("owner", StorageNames.Vizier)] IPersistentState<OwnerRecord> state) : Grain, IOwnerGrain
{
    /// <inheritdoc />
    public async Task RegisterAsync(string studyId)
    {
        if (state.State.StudyIds.Add(studyId))
        {
            await WriteOrUndoAsync(() => state.State.StudyIds.Remove(studyId));
        }

        // Every time, not only for the first study: a retried call after a failed directory write mends it.
        await Directory.AddAsync(this.GetPrimaryKeyString());
    }

    /// <inheritdoc />
    public async Task UnregisterAsync(string studyId)
    {
        if (state.State.StudyIds.Remove(studyId))
        {
            await WriteOrUndoAsync(() => state.State.StudyIds.Add(studyId));
        }

        if (state.State.StudyIds.Count == 0)
        {
            await Directory.RemoveAsync(this.GetPrimaryKeyString());
        }
    }

    /// <inheritdoc />
    public async Task<ImmutableList<StudyInfo>> ListStudiesAsync()
    {
        var owner = this.GetPrimaryKeyString();
        var studies = await Task.WhenAll(state.State.StudyIds.Select(async id =>
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

    private async Task WriteOrUndoAsync(Action undo)
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            undo();
            throw;
        }
    }
}
