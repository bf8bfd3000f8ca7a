using System.Xml.Linq;
using DuoQServerless.Aws.Protocol;

namespace DuoQServerless.Aws.Rds;

/// <summary>
/// The RDS operations the RDS guard uses, over the Query protocol (2014-10-31). Listings page
/// through Marker lazily. Errors are <see cref="AwsApiException"/> with RDS's codes
/// (DBInstanceNotFound, DBSnapshotAlreadyExists...).
/// </summary>
public sealed class RdsClient
{
    internal RdsClient(QueryProtocolClient query) => Query = query;

    /// <summary>The underlying Query client, for actions without a typed operation (test and demo set-up).</summary>
    public QueryProtocolClient Query { get; }

    public IAsyncEnumerable<DbInstance> DescribeDBInstancesAsync(DescribeDBInstancesRequest request, CancellationToken cancellationToken = default) =>
        Pagination.All(async (marker, token) =>
        {
            var parameters = new QueryParameters()
                .Add("DBInstanceIdentifier", request.DBInstanceIdentifier)
                .Add("MaxRecords", request.PageSize)
                .Add("Marker", marker);
            var result = await Query.InvokeAsync("DescribeDBInstances", parameters, request, token);
            return Page(result, result.Members("DBInstances", "DBInstance").Select(DbInstance.Read));
        }, cancellationToken);

    public IAsyncEnumerable<DbCluster> DescribeDBClustersAsync(DescribeDBClustersRequest request, CancellationToken cancellationToken = default) =>
        Pagination.All(async (marker, token) =>
        {
            var parameters = new QueryParameters()
                .Add("DBClusterIdentifier", request.DBClusterIdentifier)
                .Add("MaxRecords", request.PageSize)
                .Add("Marker", marker);
            var result = await Query.InvokeAsync("DescribeDBClusters", parameters, request, token);
            return Page(result, result.Members("DBClusters", "DBCluster").Select(DbCluster.Read));
        }, cancellationToken);

    public async Task<DbInstance> ModifyDBInstanceAsync(ModifyDBInstanceRequest request, CancellationToken cancellationToken = default)
    {
        var parameters = new QueryParameters()
            .Add("DBInstanceIdentifier", request.DBInstanceIdentifier)
            .Add("DeletionProtection", request.DeletionProtection)
            .Add("ApplyImmediately", request.ApplyImmediately)
            .Add("BackupRetentionPeriod", request.BackupRetentionPeriod)
            .Add("PubliclyAccessible", request.PubliclyAccessible);
        var result = await Query.InvokeAsync("ModifyDBInstance", parameters, request, cancellationToken);
        return DbInstance.Read(Required(result, "DBInstance"));
    }

    public async Task<DbCluster> ModifyDBClusterAsync(ModifyDBClusterRequest request, CancellationToken cancellationToken = default)
    {
        var parameters = new QueryParameters()
            .Add("DBClusterIdentifier", request.DBClusterIdentifier)
            .Add("DeletionProtection", request.DeletionProtection)
            .Add("ApplyImmediately", request.ApplyImmediately);
        var result = await Query.InvokeAsync("ModifyDBCluster", parameters, request, cancellationToken);
        return DbCluster.Read(Required(result, "DBCluster"));
    }

    public IAsyncEnumerable<DbSnapshot> DescribeDBSnapshotsAsync(DescribeDBSnapshotsRequest request, CancellationToken cancellationToken = default) =>
        Pagination.All(async (marker, token) =>
        {
            var parameters = new QueryParameters()
                .Add("DBInstanceIdentifier", request.DBInstanceIdentifier)
                .Add("DBSnapshotIdentifier", request.DBSnapshotIdentifier)
                .Add("SnapshotType", request.SnapshotType)
                .Add("MaxRecords", request.PageSize)
                .Add("Marker", marker);
            var result = await Query.InvokeAsync("DescribeDBSnapshots", parameters, request, token);
            return Page(result, result.Members("DBSnapshots", "DBSnapshot").Select(DbSnapshot.Read));
        }, cancellationToken);

    public async Task<DbSnapshot> CreateDBSnapshotAsync(CreateDBSnapshotRequest request, CancellationToken cancellationToken = default)
    {
        var parameters = new QueryParameters()
            .Add("DBSnapshotIdentifier", request.DBSnapshotIdentifier)
            .Add("DBInstanceIdentifier", request.DBInstanceIdentifier)
            .AddEach("Tags.Tag", request.Tags, RdsTag.Write);
        var result = await Query.InvokeAsync("CreateDBSnapshot", parameters, request, cancellationToken);
        return DbSnapshot.Read(Required(result, "DBSnapshot"));
    }

    public async Task<DbInstance> RestoreDBInstanceFromDBSnapshotAsync(RestoreDBInstanceFromDBSnapshotRequest request, CancellationToken cancellationToken = default)
    {
        var parameters = new QueryParameters()
            .Add("DBInstanceIdentifier", request.DBInstanceIdentifier)
            .Add("DBSnapshotIdentifier", request.DBSnapshotIdentifier)
            .Add("DBInstanceClass", request.DBInstanceClass)
            .Add("DBSubnetGroupName", request.DBSubnetGroupName)
            .Add("MultiAZ", request.MultiAZ)
            .Add("PubliclyAccessible", request.PubliclyAccessible)
            .Add("DeletionProtection", request.DeletionProtection)
            .AddEach("VpcSecurityGroupIds.VpcSecurityGroupId", request.VpcSecurityGroupIds, (query, name, id) => query.Add(name, id))
            .AddEach("Tags.Tag", request.Tags, RdsTag.Write);
        var result = await Query.InvokeAsync("RestoreDBInstanceFromDBSnapshot", parameters, request, cancellationToken);
        return DbInstance.Read(Required(result, "DBInstance"));
    }

    public IAsyncEnumerable<DbClusterSnapshot> DescribeDBClusterSnapshotsAsync(DescribeDBClusterSnapshotsRequest request, CancellationToken cancellationToken = default) =>
        Pagination.All(async (marker, token) =>
        {
            var parameters = new QueryParameters()
                .Add("DBClusterIdentifier", request.DBClusterIdentifier)
                .Add("DBClusterSnapshotIdentifier", request.DBClusterSnapshotIdentifier)
                .Add("SnapshotType", request.SnapshotType)
                .Add("MaxRecords", request.PageSize)
                .Add("Marker", marker);
            var result = await Query.InvokeAsync("DescribeDBClusterSnapshots", parameters, request, token);
            return Page(result, result.Members("DBClusterSnapshots", "DBClusterSnapshot").Select(DbClusterSnapshot.Read));
        }, cancellationToken);

    /// <summary>Brings back a cluster (not its DB instances, which are added afterwards) from a cluster snapshot.</summary>
    public async Task<DbCluster> RestoreDBClusterFromSnapshotAsync(RestoreDBClusterFromSnapshotRequest request, CancellationToken cancellationToken = default)
    {
        var parameters = new QueryParameters()
            .Add("DBClusterIdentifier", request.DBClusterIdentifier)
            .Add("SnapshotIdentifier", request.SnapshotIdentifier)
            .Add("Engine", request.Engine)
            .Add("DBSubnetGroupName", request.DBSubnetGroupName)
            .Add("DeletionProtection", request.DeletionProtection)
            .AddEach("VpcSecurityGroupIds.VpcSecurityGroupId", request.VpcSecurityGroupIds, (query, name, id) => query.Add(name, id))
            .AddEach("Tags.Tag", request.Tags, RdsTag.Write);
        var result = await Query.InvokeAsync("RestoreDBClusterFromSnapshot", parameters, request, cancellationToken);
        return DbCluster.Read(Required(result, "DBCluster"));
    }

    public Task AddTagsToResourceAsync(AddTagsToResourceRequest request, CancellationToken cancellationToken = default) =>
        Query.InvokeAsync("AddTagsToResource", new QueryParameters()
            .Add("ResourceName", request.ResourceName)
            .AddEach("Tags.Tag", request.Tags, RdsTag.Write), request, cancellationToken);

    public async Task<IReadOnlyList<RdsTag>> ListTagsForResourceAsync(ListTagsForResourceRequest request, CancellationToken cancellationToken = default)
    {
        var result = await Query.InvokeAsync("ListTagsForResource", new QueryParameters().Add("ResourceName", request.ResourceName), request, cancellationToken);
        return RdsTag.ReadAll(result);
    }

    private static Page<T> Page<T>(XElement result, IEnumerable<T> items) => new(items.ToArray(), result.Text("Marker") is { Length: > 0 } marker ? marker : null);

    private static XElement Required(XElement result, string name) =>
        result.Child(name) ?? throw new FormatException($"<{result.Name.LocalName}> has no <{name}>");
}
