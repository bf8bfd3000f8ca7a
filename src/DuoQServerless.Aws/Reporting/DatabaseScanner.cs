using DuoQServerless.Aws.Protocol;
using DuoQServerless.Aws.Rds;
using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Reporting;

namespace DuoQServerless.Aws.Reporting;

/// <summary>
/// RDS instances and clusters that can be deleted in one call: deletion protection off. An
/// instance that belongs to a cluster is protected (or not) by its cluster, so only the cluster is
/// listed. Resources tagged exempt or approved (the rds-deletion-protection-off block's tag) are
/// listed apart. <paramref name="rdsFor"/> gives the client of a region.
/// </summary>
public sealed class DatabaseScanner(
    Func<string, RdsClient> rdsFor,
    AcceptancePolicy? acceptance = null,
    int? pageSize = null) : IAccountScanner
{
    private readonly AcceptancePolicy _acceptance = acceptance ?? AcceptancePolicy.Default;

    public string Name => "databases";

    public ScanReach Reach => ScanReach.Regional;

    public async Task<ScanFindings> ScanAsync(string region, CancellationToken cancellationToken)
    {
        var rds = rdsFor(region);
        var exposed = new List<UnprotectedDatabase>();
        var accepted = new List<AcceptedResource>();
        void Judge(string identifier, DbKind kind, string engine, IReadOnlyList<RdsTag> tags)
        {
            var database = new UnprotectedDatabase(identifier, kind, engine.Length == 0 ? null : engine, region);
            if (_acceptance.Accept(Tags(tags)) is { } accept)
                accepted.Add(accept.For(ExposureKind.UnprotectedDatabase, identifier, null, region, kind == DbKind.Cluster ? "DB cluster without deletion protection" : "DB instance without deletion protection"));
            else
                exposed.Add(database);
        }

        try
        {
            await foreach (var instance in rds.DescribeDBInstancesAsync(new DescribeDBInstancesRequest { PageSize = pageSize }, cancellationToken))
                if (!instance.DeletionProtection && instance.DBClusterIdentifier is null)
                    Judge(instance.DBInstanceIdentifier, DbKind.Instance, instance.Engine, instance.Tags);
            await foreach (var cluster in rds.DescribeDBClustersAsync(new DescribeDBClustersRequest { PageSize = pageSize }, cancellationToken))
                if (!cluster.DeletionProtection)
                    Judge(cluster.DBClusterIdentifier, DbKind.Cluster, cluster.Engine, cluster.Tags);
        }
        // Our RDS client's errors carry the action and code; the report lists them as a gap.
        catch (AwsApiException e)
        {
            throw new ScanFailedException($"{e.Action} failed with {e.ErrorCode}: {e.ErrorMessage}", e);
        }
        // An answer the client could not read is a gap too, not a failed report.
        catch (FormatException e)
        {
            throw new ScanFailedException($"RDS answered something unreadable: {e.Message}", e);
        }
        return new ScanFindings { Exposed = new ExposedNow { UnprotectedDatabases = exposed }, Accepted = accepted };
    }

    private static IReadOnlyDictionary<string, string> Tags(IReadOnlyList<RdsTag> tags)
    {
        var byKey = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in tags) byKey[tag.Key] = tag.Value;
        return byKey;
    }
}
