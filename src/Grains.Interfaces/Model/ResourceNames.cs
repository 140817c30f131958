namespace VizierOrleans.Grains.Interfaces.Model;

/// <summary>Formats and parses the resource names of studies and trials.</summary>
public static class ResourceNames
{
    /// <summary><c>owners/{owner}/studies/{studyId}</c>.</summary>
    public static string Study(string owner, string studyId)
    {
        ValidateSegment(owner, "owner");
        ValidateSegment(studyId, "studyId");
        return $"owners/{owner}/studies/{studyId}";
    }

    /// <summary><c>owners/{owner}/studies/{studyId}/trials/{id}</c>.</summary>
    public static string Trial(string studyName, long trialId) => $"{studyName}/trials/{trialId}";

    /// <summary>Splits a study name into owner and study id.</summary>
    public static (string Owner, string StudyId) ParseStudy(string name)
    {
        var parts = name.Split('/');
        if (parts.Length != 4 || parts[0] != "owners" || parts[2] != "studies" || parts[1].Length == 0 || parts[3].Length == 0)
        {
            throw new InvalidArgumentException($"'{name}' is not a study name (owners/{{owner}}/studies/{{studyId}}).");
        }

        return (parts[1], parts[3]);
    }

    /// <summary>Splits a trial name into study name and trial id.</summary>
    public static (string StudyName, long TrialId) ParseTrial(string name)
    {
        var index = name.LastIndexOf("/trials/", StringComparison.Ordinal);
        if (index < 0 || !long.TryParse(name.AsSpan(index + 8), out var id) || id <= 0)
        {
            throw new InvalidArgumentException($"'{name}' is not a trial name (owners/{{owner}}/studies/{{studyId}}/trials/{{id}}).");
        }

        var studyName = name[..index];
        ParseStudy(studyName);
        return (studyName, id);
    }

    private static void ValidateSegment(string value, string field)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Contains('/'))
        {
            throw new InvalidArgumentException($"{field} '{value}' must be non-empty and contain no '/'.");
        }
    }
}
