using System.Collections.Immutable;

namespace VizierOrleans.Grains.Interfaces;

/// <summary>
/// The owners that have studies, so that readers (the dashboard) can list every owner's studies. One grain, keyed by
/// <see cref="Key"/>; owner grains keep it current as their first study is registered and their last one removed.
/// </summary>
[Alias("vizier.IOwnerDirectoryGrain")]
public interface IOwnerDirectoryGrain : IGrainWithStringKey
{
    /// <summary>The key of the one directory grain.</summary>
    const string Key = "all";

    /// <summary>Records that <paramref name="owner"/> has studies; repeating it changes nothing.</summary>
    [Alias("Add")]
    Task AddAsync(string owner);

    /// <summary>Forgets <paramref name="owner"/>; repeating it changes nothing.</summary>
    [Alias("Remove")]
    Task RemoveAsync(string owner);

    /// <summary>The owners, in ordinal order.</summary>
    [Alias("List")]
    Task<ImmutableList<string>> ListAsync();
}
