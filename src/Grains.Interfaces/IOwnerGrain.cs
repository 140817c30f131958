using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains.Interfaces;

/// <summary>
/// One owner's studies, keyed by the owner: a summary per study that the studies keep current, so listing activates no
/// study. Summaries are split across storage rows of bounded size, so an owner of thousands of studies stays within
/// Azure's 1 MiB entity limit.
/// </summary>
[Alias("vizier.IOwnerGrain")]
public interface IOwnerGrain : IGrainWithStringKey
{
    /// <summary>
    /// Stores a study's summary, or its removal, unless a higher version is stored. Returns the version the owner holds
    /// afterwards: <see cref="StudySummaryUpdate.Version"/> when taken (or already held), a higher one when refused.
    /// Safe to retry.
    /// </summary>
    [Alias("Publish")]
    Task<long> PublishAsync(StudySummaryUpdate update);

    /// <summary>
    /// Up to <paramref name="pageSize"/> studies (all when 0) with ids after <paramref name="pageToken"/> (from the
    /// start when null or empty), in ordinal id order. A study that exists through the whole paging is on exactly one page.
    /// </summary>
    [Alias("ListStudiesPaged")]
    Task<StudySummaryPage> ListStudiesAsync(string? pageToken, int pageSize);
}
