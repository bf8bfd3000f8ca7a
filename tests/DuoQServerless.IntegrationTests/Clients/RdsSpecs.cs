using DuoQServerless.Aws.Protocol;
using DuoQServerless.Aws.Rds;
using DuoQServerless.IntegrationTests.Harness;

namespace DuoQServerless.IntegrationTests.Clients;

public sealed class RdsSpecs(MotoFixture moto) : ClientSpec(moto)
{
    [Fact]
    public async Task DescribeDBInstances_returns_an_instance_with_its_deletion_protection()
    {
        var arn = await Aws.Rds.CreateInstanceAsync("orders-db", deletionProtection: false);
        await Aws.Rds.CreateInstanceAsync("billing-db", deletionProtection: true);

        var orders = await Aws.Rds.DescribeDBInstancesAsync(new DescribeDBInstancesRequest("orders-db")).SingleAsync();
        var all = await Aws.Rds.DescribeDBInstancesAsync(new DescribeDBInstancesRequest()).ToListAsync();

        Assert.Equal(("orders-db", arn, "postgres", "db.t3.micro", false), (orders.DBInstanceIdentifier, orders.DBInstanceArn, orders.Engine, orders.DBInstanceClass, orders.DeletionProtection));
        Assert.Equal($"arn:aws:rds:us-east-1:{TestCredentials.AccountId}:db:orders-db", orders.DBInstanceArn);
        Assert.Equal(["billing-db", "orders-db"], all.Select(i => i.DBInstanceIdentifier).Order());
        Assert.True(all.Single(i => i.DBInstanceIdentifier == "billing-db").DeletionProtection);
    }

    [Fact]
    public async Task DescribeDBInstances_pages_through_more_instances_than_one_page_holds()
    {
        var created = Enumerable.Range(1, 25).Select(i => $"db-{i:D2}").ToArray();
        foreach (var name in created) await Aws.Rds.CreateInstanceAsync(name);
        Calls.Clear();

        var listed = await Aws.Rds.DescribeDBInstancesAsync(new DescribeDBInstancesRequest { PageSize = 20 }).ToListAsync();

        Assert.Equal(created, listed.Select(i => i.DBInstanceIdentifier).Order());
        Assert.Equal(2, Calls.Calls.Count(c => c.Action == "rds:DescribeDBInstances"));
    }

    [Fact]
    public async Task An_instance_that_does_not_exist_is_DBInstanceNotFound()
    {
        var error = await Assert.ThrowsAsync<AwsApiException>(() =>
            Aws.Rds.DescribeDBInstancesAsync(new DescribeDBInstancesRequest("deleted-db")).ToListAsync().AsTask());

        Assert.Equal(AwsErrorCodes.DBInstanceNotFound, error.ErrorCode);
        Assert.Equal("rds:DescribeDBInstances", error.Action);
    }

    [Fact]
    public async Task ModifyDBInstance_turns_deletion_protection_back_on()
    {
        await Aws.Rds.CreateInstanceAsync("orders-db", deletionProtection: false);

        var modified = await Aws.Rds.ModifyDBInstanceAsync(new ModifyDBInstanceRequest("orders-db") { DeletionProtection = true, ApplyImmediately = true });

        var described = await Aws.Rds.DescribeDBInstancesAsync(new DescribeDBInstancesRequest("orders-db")).SingleAsync();
        Assert.True(modified.DeletionProtection);
        Assert.True(described.DeletionProtection);
    }

    [Fact]
    public async Task CreateDBSnapshot_takes_a_manual_snapshot_that_DescribeDBSnapshots_finds()
    {
        await Aws.Rds.CreateInstanceAsync("orders-db");
        await Aws.Rds.CreateInstanceAsync("billing-db");
        RdsTag[] tags = [new("duoq:reason", "deletion protection turned off by agent+1")];

        var snapshot = await Aws.Rds.CreateDBSnapshotAsync(new CreateDBSnapshotRequest("orders-db-before-change", "orders-db") { Tags = tags });
        await Aws.Rds.CreateDBSnapshotAsync(new CreateDBSnapshotRequest("billing-db-snap", "billing-db"));

        var ofOrders = await Aws.Rds.DescribeDBSnapshotsAsync(new DescribeDBSnapshotsRequest { DBInstanceIdentifier = "orders-db", SnapshotType = "manual" }).ToListAsync();
        Assert.Equal(("orders-db-before-change", "orders-db"), (snapshot.DBSnapshotIdentifier, snapshot.DBInstanceIdentifier));
        var found = Assert.Single(ofOrders);
        Assert.Equal(("orders-db-before-change", snapshot.DBSnapshotArn, "manual"), (found.DBSnapshotIdentifier, found.DBSnapshotArn, found.SnapshotType));
        Assert.Equal(tags, await Aws.Rds.ListTagsForResourceAsync(new ListTagsForResourceRequest(snapshot.DBSnapshotArn)));
    }

    [Fact]
    public async Task A_second_snapshot_with_the_same_name_is_DBSnapshotAlreadyExists()
    {
        await Aws.Rds.CreateInstanceAsync("orders-db");
        await Aws.Rds.CreateDBSnapshotAsync(new CreateDBSnapshotRequest("final", "orders-db"));

        var error = await Assert.ThrowsAsync<AwsApiException>(() => Aws.Rds.CreateDBSnapshotAsync(new CreateDBSnapshotRequest("final", "orders-db")));

        Assert.Equal(AwsErrorCodes.DBSnapshotAlreadyExists, error.ErrorCode);
    }

    [Fact]
    public async Task RestoreDBInstanceFromDBSnapshot_brings_back_a_new_instance_from_the_snapshot()
    {
        await Aws.Rds.CreateInstanceAsync("orders-db");
        await Aws.Rds.CreateDBSnapshotAsync(new CreateDBSnapshotRequest("orders-final", "orders-db"));

        var restored = await Aws.Rds.RestoreDBInstanceFromDBSnapshotAsync(new RestoreDBInstanceFromDBSnapshotRequest("orders-db-restored", "orders-final")
        {
            DeletionProtection = true,
            Tags = [new RdsTag("duoq:restored-from", "orders-final")],
        });

        var described = await Aws.Rds.DescribeDBInstancesAsync(new DescribeDBInstancesRequest("orders-db-restored")).SingleAsync();
        Assert.Equal(("orders-db-restored", "postgres", true), (restored.DBInstanceIdentifier, restored.Engine, restored.DeletionProtection));
        Assert.True(described.DeletionProtection);
        Assert.Contains(new RdsTag("duoq:restored-from", "orders-final"), await Aws.Rds.ListTagsForResourceAsync(new ListTagsForResourceRequest(described.DBInstanceArn)));
    }

    [Fact]
    public async Task AddTagsToResource_adds_tags_that_ListTagsForResource_returns_unchanged()
    {
        var arn = await Aws.Rds.CreateInstanceAsync("orders-db");
        RdsTag[] tags = [new("duoq:exempt", "true"), new("owner team", "Équipe données + ops/東京 = 100%")];

        await Aws.Rds.AddTagsToResourceAsync(new AddTagsToResourceRequest(arn, tags));

        Assert.Equal(tags, await Aws.Rds.ListTagsForResourceAsync(new ListTagsForResourceRequest(arn)));
    }

    [Fact]
    public async Task DescribeDBClusters_returns_a_cluster_with_its_deletion_protection()
    {
        var arn = await Aws.Rds.CreateClusterAsync("orders-cluster", deletionProtection: true);
        await Aws.Rds.CreateClusterAsync("scratch-cluster", deletionProtection: false);

        var clusters = await Aws.Rds.DescribeDBClustersAsync(new DescribeDBClustersRequest()).ToListAsync();
        var orders = await Aws.Rds.DescribeDBClustersAsync(new DescribeDBClustersRequest("orders-cluster")).SingleAsync();

        Assert.Equal(["orders-cluster", "scratch-cluster"], clusters.Select(c => c.DBClusterIdentifier).Order());
        Assert.Equal(("orders-cluster", arn, "aurora-postgresql", true), (orders.DBClusterIdentifier, orders.DBClusterArn, orders.Engine, orders.DeletionProtection));
    }

    [Fact]
    public async Task ModifyDBCluster_turns_deletion_protection_back_on()
    {
        await Aws.Rds.CreateClusterAsync("orders-cluster", deletionProtection: false);

        var modified = await Aws.Rds.ModifyDBClusterAsync(new ModifyDBClusterRequest("orders-cluster") { DeletionProtection = true, ApplyImmediately = true });

        var described = await Aws.Rds.DescribeDBClustersAsync(new DescribeDBClustersRequest("orders-cluster")).SingleAsync();
        Assert.True(modified.DeletionProtection);
        Assert.True(described.DeletionProtection);
    }

    [Fact]
    public async Task A_cluster_that_does_not_exist_is_DBClusterNotFoundFault()
    {
        var error = await Assert.ThrowsAsync<AwsApiException>(() =>
            Aws.Rds.DescribeDBClustersAsync(new DescribeDBClustersRequest("gone")).ToListAsync().AsTask());

        Assert.Equal(AwsErrorCodes.DBClusterNotFound, error.ErrorCode);
    }
}
