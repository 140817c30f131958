using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grains.Algorithms;

/// <summary>An algorithm that can only search some spaces; the study checks a config against it at creation.</summary>
public interface ISearchSpaceRequirement
{
    /// <summary>Throws <see cref="InvalidStudyConfigException"/> naming the parameter the algorithm cannot handle.</summary>
    void Check(StudyConfig config);
}
