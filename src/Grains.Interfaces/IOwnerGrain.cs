using System.Collections.Immutable;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains.Interfaces;

/// <summary>The index of one owner's studies, keyed by the owner.</summary>
[Alias("vizier.IOwnerGrain")]
public interface IOwnerGrain : IGrainWithStringKey
{
    /// <summary>Records that the study exists.</summary>
    [Alias("Register")]
    Task RegisterAsync(string studyId);

    /// <summary>Forgets the study.</summary>
    [Alias("Unregister")]
    Task UnregisterAsync(string studyId);

    /// <summary>The owner's studies, by study id.</summary>
    [Alias("ListStudies")]
    Task<ImmutableList<StudyInfo>> ListStudiesAsync();
}
