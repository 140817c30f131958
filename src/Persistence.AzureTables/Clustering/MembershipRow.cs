using System.Globalization;
using System.Net;
using Azure.Data.Tables;

namespace VizierOrleans.Persistence.AzureTables.Clustering;

/// <summary>Maps a <see cref="MembershipEntry"/> to a table row and back.</summary>
internal static class MembershipRow
{
    /// <summary>The row key of the row that carries the table version.</summary>
    public const string VersionRowKey = "VersionRow";

    public const string VersionProperty = "MembershipVersion";

    private const string Format = "o";

    public static string RowKey(SiloAddress silo) => TableKeys.Escape(silo.ToParsableString());

    public static TableEntity ToEntity(string partition, MembershipEntry e) => new(partition, RowKey(e.SiloAddress))
    {
        ["Address"] = e.SiloAddress.Endpoint.Address.ToString(),
        ["Port"] = e.SiloAddress.Endpoint.Port,
        ["Generation"] = e.SiloAddress.Generation,
        ["Status"] = (int)e.Status,
        ["ProxyPort"] = e.ProxyPort,
        ["HostName"] = e.HostName ?? "",
        ["SiloName"] = e.SiloName ?? "",
        ["RoleName"] = e.RoleName ?? "",
        ["UpdateZone"] = e.UpdateZone,
        ["FaultZone"] = e.FaultZone,
        ["StartTime"] = e.StartTime.ToUniversalTime().ToString(Format, CultureInfo.InvariantCulture),
        ["IAmAliveTime"] = e.IAmAliveTime.ToUniversalTime().ToString(Format, CultureInfo.InvariantCulture),
        ["SuspectTimes"] = string.Join(";", (e.SuspectTimes ?? []).Select(s => $"{s.Item1.ToParsableString()}|{s.Item2.ToUniversalTime().ToString(Format, CultureInfo.InvariantCulture)}")),
    };

    public static MembershipEntry FromEntity(TableEntity row)
    {
        var endpoint = new IPEndPoint(IPAddress.Parse(row.GetString("Address")), row.GetInt32("Port")!.Value);
        var suspects = row.GetString("SuspectTimes") is { Length: > 0 } text
            ? text.Split(';').Select(s => s.Split('|')).Select(p => Tuple.Create(SiloAddress.FromParsableString(p[0]), ParseTime(p[1]))).ToList()
            : [];
        return new MembershipEntry
        {
            SiloAddress = SiloAddress.New(endpoint, row.GetInt32("Generation")!.Value),
            Status = (SiloStatus)row.GetInt32("Status")!.Value,
            ProxyPort = row.GetInt32("ProxyPort")!.Value,
            HostName = row.GetString("HostName"),
            SiloName = row.GetString("SiloName"),
            RoleName = row.GetString("RoleName"),
            UpdateZone = row.GetInt32("UpdateZone")!.Value,
            FaultZone = row.GetInt32("FaultZone")!.Value,
            StartTime = ParseTime(row.GetString("StartTime")),
            IAmAliveTime = ParseTime(row.GetString("IAmAliveTime")),
            SuspectTimes = suspects,
        };
    }

    public static DateTime ParseTime(string text) =>
        DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
}
