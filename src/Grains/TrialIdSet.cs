namespace VizierOrleans.Grains;

/// <summary>A set of trial ids as a bit per id (a study's ids are dense): 1 bit per id where a hash set holds about 20 bytes per entry.</summary>
internal sealed class TrialIdSet
{
    private ulong[] _bits = [];

    /// <summary>True when <paramref name="id"/> is in the set.</summary>
    public bool Contains(long id) => id >= 0 && (id >> 6) < _bits.Length && (_bits[id >> 6] & (1UL << (int)(id & 63))) != 0;

    /// <summary>Adds <paramref name="id"/>.</summary>
    public void Add(long id)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        var word = id >> 6;
        if (word >= _bits.Length)
        {
            Array.Resize(ref _bits, (int)Math.Max(word + 1, Math.Max(4, _bits.Length * 2L)));
        }

        _bits[word] |= 1UL << (int)(id & 63);
    }

    /// <summary>Removes <paramref name="id"/>.</summary>
    public void Remove(long id)
    {
        if (id >= 0 && (id >> 6) < _bits.Length)
        {
            _bits[id >> 6] &= ~(1UL << (int)(id & 63));
        }
    }

    /// <summary>Removes every id.</summary>
    public void Clear() => _bits = [];
}
