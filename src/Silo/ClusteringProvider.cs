namespace VizierOrleans.Silo;

/// <summary>How silos find each other (<c>Vizier:Clustering</c>).</summary>
public enum ClusteringProvider
{
    /// <summary>Orleans' Azure Table membership table: several silos form one cluster, clients read the gateway list.</summary>
    AzureTable,

    /// <summary>One silo on this machine, no storage (development).</summary>
    Localhost,
}
