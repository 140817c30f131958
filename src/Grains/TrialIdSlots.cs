namespace VizierOrleans.Grains;

/// <summary>
/// A value per trial id, in an array indexed by id: a study's ids are dense (1, 2, ... never reused), so this holds 4
/// bytes per id where a dictionary holds about 40 per entry.
/// </summary>
internal sealed class TrialIdSlots
{
    // Value + 1 by id; 0: no value.
    private int[] _slots = [];

    /// <summary>The value of <paramref name="id"/>, if set.</summary>
    public bool TryGetValue(long id, out int value)
    {
        value = id >= 0 && id < _slots.Length ? _slots[id] - 1 : -1;
        return value >= 0;
    }

    /// <summary>Sets the (non-negative) value of <paramref name="id"/>.</summary>
    public void Set(long id, int value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        if (id >= _slots.Length)
        {
            Array.Resize(ref _slots, (int)Math.Min(Array.MaxLength, Math.Max(id + 1, Math.Max(16, _slots.Length * 2L))));
        }

        _slots[id] = value + 1;
    }

    /// <summary>Removes every value.</summary>
    public void Clear() => _slots = [];
}
