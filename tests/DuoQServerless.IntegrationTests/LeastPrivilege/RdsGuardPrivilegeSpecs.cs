using DuoQServerless.Aws;
using DuoQServerless.Aws.Protocol;
using DuoQServerless.IntegrationTests.Clients;
using Xunit.Abstractions;

namespace DuoQServerless.IntegrationTests.LeastPrivilege;

/// <summary>Databases and clusters with deletion protection switched off, and deleted with a final
/// snapshot: the RDS guard turns protection back on and restores from the snapshot.</summary>
public sealed class RdsGuardWorld : GuardWorld
{
    public override GuardCase Case { get; } = new(
        "rds-guard",
        ["rds-deletion-protection-off", "rds-delete"],
        [UnprotectedInstanceAsync, UnprotectedClusterAsync, DeletedInstanceAsync, DeletedClusterAsync],
        [UnprotectedInstanceAsync]);

    /// <summary>The subnet groups the samples' snapshots name: a restore needs them.</summary>
    protected override async Task SeedAsync()
    {
        var subnets = (await Admin.Ec2.DescribeSubnetsAsync(new Amazon.EC2.Model.DescribeSubnetsRequest())).Subnets.Select(s => s.SubnetId).Take(2).ToList();
        foreach (var group in new[] { "orders-db-subnets", "billing-db-subnets" })
            await Admin.Rds.Query.InvokeAsync("CreateDBSubnetGroup", new QueryParameters()
                .Add("DBSubnetGroupName", group).Add("DBSubnetGroupDescription", "least privilege")
                .AddEach("SubnetIds.SubnetIdentifier", subnets, (q, name, id) => q.Add(name, id)));
    }

    private static string Fresh(string name) => $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)];

    private static async Task<string> UnprotectedInstanceAsync(AwsClientFactory admin)
    {
        var name = Fresh("orders-prod");
        await admin.Rds.CreateInstanceAsync(name);
        return GuardCase.Sample("rds/risky-modify-instance-deletion-protection-off.json", new Dictionary<string, string> { ["orders-prod"] = name });
    }

    private static async Task<string> UnprotectedClusterAsync(AwsClientFactory admin)
    {
        var name = Fresh("billing-aurora");
        await admin.Rds.CreateClusterAsync(name, deletionProtection: false);
        return GuardCase.Sample("rds/risky-modify-cluster-deletion-protection-off.json", new Dictionary<string, string> { ["billing-aurora"] = name });
    }

    private static async Task<string> DeletedInstanceAsync(AwsClientFactory admin)
    {
        var name = Fresh("orders-staging");
        await admin.Rds.CreateInstanceAsync(name);
        await admin.Rds.Query.InvokeAsync("DeleteDBInstance", new QueryParameters()
            .Add("DBInstanceIdentifier", name).Add("SkipFinalSnapshot", false).Add("FinalDBSnapshotIdentifier", $"{name}-final-20250314"));
        return GuardCase.Sample("rds/risky-delete-instance-with-final-snapshot.json", new Dictionary<string, string> { ["orders-staging"] = name });
    }

    private static async Task<string> DeletedClusterAsync(AwsClientFactory admin)
    {
        var name = Fresh("billing-aurora-test");
        await admin.Rds.CreateClusterAsync(name, deletionProtection: false);
        // moto keeps a cluster's automated snapshot after the cluster is deleted, and a restore
        // under the same identifier within the minute would reuse its name (AWS deletes it).
        var snapshots = await admin.Rds.Query.InvokeAsync("DescribeDBClusterSnapshots", new QueryParameters().Add("DBClusterIdentifier", name));
        foreach (var id in snapshots.Members("DBClusterSnapshots", "DBClusterSnapshot").Select(s => s.RequiredText("DBClusterSnapshotIdentifier")).Where(id => id.StartsWith("rds:", StringComparison.Ordinal)))
            await admin.Rds.Query.InvokeAsync("DeleteDBClusterSnapshot", new QueryParameters().Add("DBClusterSnapshotIdentifier", id));
        await admin.Rds.Query.InvokeAsync("DeleteDBCluster", new QueryParameters()
            .Add("DBClusterIdentifier", name).Add("SkipFinalSnapshot", false).Add("FinalDBSnapshotIdentifier", $"{name}-final"));
        return GuardCase.Sample("rds/risky-delete-cluster-with-final-snapshot.json", new Dictionary<string, string> { ["billing-aurora-test"] = name });
    }
}

public sealed class RdsGuardPrivilegeSpecs(RdsGuardWorld world, ITestOutputHelper output) : GuardPrivilegeSpecs(world, output), IClassFixture<RdsGuardWorld>
{
    public static IEnumerable<object[]> Actions => GuardWorld.RemovableActions("rds-guard");

    [Fact]
    public Task Every_rds_guard_call_is_allowed_by_its_role_in_template_yaml() => Every_call_is_allowed_by_the_role_in_template_yaml_resources_included();

    [Fact]
    public Task Every_action_of_the_rds_guard_role_is_used() => No_action_the_role_grants_goes_unused();

    [Theory]
    [MemberData(nameof(Actions))]
    public Task Without_one_action_the_rds_guard_is_refused_and_records_and_notifies(string action) => Without_one_action_the_guard_is_refused_records_and_notifies(action);
}
