using System.Collections.Immutable;
using VizierOrleans.Grains.Interfaces;
using VizierOrleans.Grains.State;

namespace VizierOrleans.Grains;

/// <summary>The set of owners that have studies (see <see cref="IOwnerDirectoryGrain"/>).</summary>
public sealed class OwnerDirectoryGrain(
    [PersistentState("owners", StorageNames.Vizier)] IPersistentState<OwnerDirectoryRecord> state) : Grain, IOwnerDirectoryGrain
{
    /// <inheritdoc />
    public async Task AddAsync(string owner)
    {
        if (state.State.Owners.Add(owner))
        {
            await WriteOrUndoAsync(() => state.State.Owners.Remove(owner));
        }
    }

    /// <inheritdoc />
    public async Task RemoveAsync(string owner)
    {
        if (state.State.Owners.Remove(owner))
        {
            await WriteOrUndoAsync(() => state.State.Owners.Add(owner));
        }
    }

    /// <inheritdoc />
    public Task<ImmutableList<string>> ListAsync() => Task.FromResult(state.State.Owners.ToImmutableList());

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
