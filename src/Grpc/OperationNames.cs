using System.Globalization;
using VizierOrleans.Grains.Interfaces.Model;

namespace VizierOrleans.Grpc;

/// <summary>
/// Names of suggestion operations. A suggestion done before the call returns carries what it produced in its name,
/// <c>owners/{o}/operations/suggestion/{s}/{client}/{ids}</c>: GetOperation answers from the trials themselves on any
/// front door, after any restart. One still running (a slow policy) is named by the study's operation id,
/// <c>.../{client}/op-{id}</c>, and GetOperation asks the study for it.
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

    /// <summary>The operation name for a suggestion the study is still computing.</summary>
    public static string Running(string studyName, string clientId, long operationId)
    {
        var (owner, studyId) = ResourceNames.ParseStudy(studyName);
        return $"owners/{owner}/operations/suggestion/{studyId}/{Uri.EscapeDataString(clientId)}/op-{operationId.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>
    /// The study name, and either the trial ids of a finished suggestion operation or the study's id of a running one.
    /// </summary>
    public static (string StudyName, IReadOnlyList<long> TrialIds, long? OperationId) Parse(string name)
    {
        var parts = name.Split('/');
        if (parts.Length != 7 || parts[0] != "owners" || parts[2] != "operations" || parts[3] != "suggestion")
        {
            throw new InvalidArgumentException($"'{name}' is not a suggestion operation name (owners/{{owner}}/operations/suggestion/{{study}}/{{client}}/{{ids}}).");
        }

        var studyName = ResourceNames.Study(parts[1], parts[4]);
        if (parts[6] == "-")
        {
            return (studyName, [], null);
        }

        if (parts[6].StartsWith("op-", StringComparison.Ordinal))
        {
            return long.TryParse(parts[6].AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out var operationId)
                ? (studyName, [], operationId)
                : throw new InvalidArgumentException($"'{name}' is not a suggestion operation name: '{parts[6]}' is not an operation id.");
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

        return (studyName, ids, null);
    }
}
