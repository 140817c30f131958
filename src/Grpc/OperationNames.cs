using System.Globalization;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grpc;

/// <summary>
/// Names of suggestion operations. Every suggestion completes before the call returns, so the name carries what the
/// operation produced, <c>owners/{o}/operations/suggestion/{s}/{client}/{ids}</c>: GetOperation can answer from the
/// trials themselves on any front door, after any restart, without storing operations.
/// </summary>
internal static class OperationNames
{
    /// <summary>The operation name for trials handed to <paramref name="clientId"/>.</summary>
    public static string Suggestion(string studyName, string clientId, IEnumerable<long> trialIds)
    {
        var (owner, studyId) = ResourceNames.ParseStudy(studyName);
        var ids = string.Join(',', trialIds.Select(id => id.ToString(CultureInfo.InvariantCulture)));
        return $"owners/{owner}/operations/suggestion/{studyId}/{Uri.EscapeDataString(clientId)}/{(ids.Length == 0 ? "-" : ids)}";
    }

    /// <summary>The study name and trial ids of a suggestion operation.</summary>
    public static (string StudyName, IReadOnlyList<long> TrialIds) Parse(string name)
    {
        var parts = name.Split('/');
        if (parts.Length != 7 || parts[0] != "owners" || parts[2] != "operations" || parts[3] != "suggestion")
        {
            throw new InvalidArgumentException($"'{name}' is not a suggestion operation name (owners/{{owner}}/operations/suggestion/{{study}}/{{client}}/{{ids}}).");
        }

        var studyName = ResourceNames.Study(parts[1], parts[4]);
        if (parts[6] == "-")
        {
            return (studyName, []);
        }

        var ids = new List<long>();
        foreach (var id in parts[6].Split(','))
        {
            if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var trialId) || trialId <= 0)
            {
                throw new InvalidArgumentException($"'{name}' is not a suggestion operation name: '{id}' is not a trial id.");
            }

            ids.Add(trialId);
        }

        return (studyName, ids);
    }
}
