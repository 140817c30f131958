using System.Globalization;

namespace VizierOrleans.Cli;

/// <summary>The forms a study or trial can be named in on the command line, turned into the protocol's resource names.</summary>
internal static class StudyNames
{
    /// <summary>
    /// <c>owners/O/studies/S</c>, <c>O/S</c>, or <c>S</c> with a default owner (<c>--owner</c> / <c>VIZIER_OWNER</c>);
    /// <paramref name="argument"/> names the argument in errors.
    /// </summary>
    public static string Study(string value, string? owner, string argument)
    {
        var parts = value.Split('/');
        var name = parts switch
        {
            ["owners", { Length: > 0 } o, "studies", { Length: > 0 } s] => $"owners/{o}/studies/{s}",
            [{ Length: > 0 } o, { Length: > 0 } s] => $"owners/{o}/studies/{s}",
            [{ Length: > 0 } s] when !string.IsNullOrEmpty(owner) => $"owners/{owner}/studies/{s}",
            [{ Length: > 0 }] => throw CliException.Usage($"{argument}: '{value}' names no owner; write OWNER/STUDY or owners/OWNER/studies/STUDY, or give --owner (VIZIER_OWNER)."),
            _ => throw CliException.Usage($"{argument}: '{value}' is not a study (OWNER/STUDY or owners/OWNER/studies/STUDY)."),
        };
        return name;
    }

    /// <summary>The owner part of a study resource name.</summary>
    public static string OwnerOf(string studyName) => studyName.Split('/')[1];

    /// <summary>The study id (display name) part of a study resource name.</summary>
    public static string IdOf(string studyName) => studyName.Split('/')[3];

    /// <summary>A trial of <paramref name="studyName"/> from its id (a positive whole number).</summary>
    public static string Trial(string studyName, string id, string argument) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? $"{studyName}/trials/{n.ToString(CultureInfo.InvariantCulture)}"
            : throw CliException.Usage($"{argument}: '{id}' is not a trial id (a positive whole number).");
}
