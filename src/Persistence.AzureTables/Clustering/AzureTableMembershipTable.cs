using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace VizierOrleans.Persistence.AzureTables.Clustering;

/// <summary>
/// Orleans cluster membership on Azure Table Storage: one partition per cluster id, a row per silo and a version row.
/// Every change writes the version row (If-Match its ETag) and the silo row in one entity-group transaction, which is
/// what makes membership changes atomic.
/// </summary>
internal sealed partial class AzureTableMembershipTable(
    IOptions<AzureTableClusteringOptions> options,
    IOptions<ClusterOptions> cluster,
    ILogger<AzureTableMembershipTable> logger) : IMembershipTable
{
    private readonly TableClient _table = options.Value.CreateTableClient();
    private readonly string _partition = TableKeys.Escape(cluster.Value.ClusterId);

    /// <inheritdoc />
    public async Task InitializeMembershipTable(bool tryInitTableVersion)
    {
        options.Value.Validate("Membership table");
        await _table.CreateIfNotExistsAsync();
        if (tryInitTableVersion)
        {
            try
            {
                await _table.AddEntityAsync(new TableEntity(_partition, MembershipRow.VersionRowKey) { [MembershipRow.VersionProperty] = 0 });
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                // Another silo created it first.
            }
        }

        LogInitialized(logger, options.Value.TableName, cluster.Value.ClusterId);
    }

    /// <inheritdoc />
    public async Task DeleteMembershipTableEntries(string clusterId)
    {
        var partition = TableKeys.Escape(clusterId);
        var rows = new List<TableEntity>();
        await foreach (var row in _table.QueryAsync<TableEntity>(r => r.PartitionKey == partition, select: ["PartitionKey", "RowKey"]))
        {
            rows.Add(row);
        }

        foreach (var chunk in rows.Chunk(AzureTableLimits.MaxBatchOperations))
        {
            await _table.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r, ETag.All)));
        }
    }

    /// <inheritdoc />
    public async Task CleanupDefunctSiloEntries(DateTimeOffset beforeDate)
    {
        var (entries, _) = await ReadPartitionAsync();
        foreach (var (entry, etag) in entries.Where(e => e.Entry.Status == SiloStatus.Dead && e.Entry.IAmAliveTime < beforeDate.UtcDateTime))
        {
            try
            {
                await _table.DeleteEntityAsync(_partition, MembershipRow.RowKey(entry.SiloAddress), new ETag(etag));
                LogDefunctRemoved(logger, entry.SiloAddress);
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
                // Changed or removed meanwhile.
            }
        }
    }

    /// <inheritdoc />
    public async Task<MembershipTableData> ReadRow(SiloAddress key)
    {
        var (entries, version) = await ReadPartitionAsync();
        return new MembershipTableData([.. entries.Where(e => e.Entry.SiloAddress.Equals(key)).Select(e => Tuple.Create(e.Entry, e.ETag))], version);
    }

    /// <inheritdoc />
    public async Task<MembershipTableData> ReadAll()
    {
        var (entries, version) = await ReadPartitionAsync();
        return new MembershipTableData([.. entries.Select(e => Tuple.Create(e.Entry, e.ETag))], version);
    }

    /// <inheritdoc />
    public Task<bool> InsertRow(MembershipEntry entry, TableVersion tableVersion) =>
        WriteWithVersionAsync(new TableTransactionAction(TableTransactionActionType.Add, MembershipRow.ToEntity(_partition, entry)), tableVersion, entry);

    /// <inheritdoc />
    public Task<bool> UpdateRow(MembershipEntry entry, string etag, TableVersion tableVersion) =>
        WriteWithVersionAsync(
            new TableTransactionAction(TableTransactionActionType.UpdateReplace, MembershipRow.ToEntity(_partition, entry), new ETag(etag)), tableVersion, entry);

    /// <inheritdoc />
    public async Task UpdateIAmAlive(MembershipEntry entry)
    {
        var row = new TableEntity(_partition, MembershipRow.RowKey(entry.SiloAddress))
        {
            ["IAmAliveTime"] = entry.IAmAliveTime.ToUniversalTime().ToString("o", System.Globalization.CultureInfo.InvariantCulture),
        };
        await _table.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Merge);
    }

    private async Task<bool> WriteWithVersionAsync(TableTransactionAction rowAction, TableVersion tableVersion, MembershipEntry entry)
    {
        var version = new TableEntity(_partition, MembershipRow.VersionRowKey) { [MembershipRow.VersionProperty] = tableVersion.Version };
        var versionAction = new TableTransactionAction(TableTransactionActionType.UpdateReplace, version, new ETag(tableVersion.VersionEtag));
        try
        {
            await _table.SubmitTransactionAsync([versionAction, rowAction]);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status is 404 or 409 or 412)
        {
            LogWriteLost(logger, entry.SiloAddress, entry.Status, e.Status);
            return false;
        }
    }

    private async Task<(List<(MembershipEntry Entry, string ETag)> Entries, TableVersion Version)> ReadPartitionAsync()
    {
        var entries = new List<(MembershipEntry, string)>();
        TableVersion? version = null;
        await foreach (var row in _table.QueryAsync<TableEntity>(r => r.PartitionKey == _partition))
        {
            if (row.RowKey == MembershipRow.VersionRowKey)
            {
                version = new TableVersion(row.GetInt32(MembershipRow.VersionProperty) ?? 0, row.ETag.ToString());
            }
            else
            {
                entries.Add((MembershipRow.FromEntity(row), row.ETag.ToString()));
            }
        }

        return (entries, version ?? new TableVersion(0, ETag.All.ToString()));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Membership table {Table}, cluster {ClusterId}")]
    private static partial void LogInitialized(ILogger logger, string table, string clusterId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed defunct membership entry {Silo}")]
    private static partial void LogDefunctRemoved(ILogger logger, SiloAddress silo);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Membership write for {Silo} ({Status}) lost a race (status {HttpStatus})")]
    private static partial void LogWriteLost(ILogger logger, SiloAddress silo, SiloStatus status, int httpStatus);
}
