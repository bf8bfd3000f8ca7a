using DuoQServerless.Core.Detection;
using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Policy;

namespace DuoQServerless.Tests.Guards;

public class RdsDetection
{
    private static DetectionOutcome Detect(string eventName, string request, string? response = null, GuardPolicy? policy = null) =>
        Detectors.Rds.Detect(TestRecords.Rds(eventName, request, response), policy ?? GuardPolicy.Default);

    private static Finding Found(DetectionOutcome outcome) => Assert.IsType<DetectionOutcome.Detected>(outcome).Finding;

    [Fact]
    public void Turning_deletion_protection_off_is_reverted_by_turning_it_back_on()
    {
        var finding = Found(Detect("ModifyDBInstance", """{"dBInstanceIdentifier": "orders-prod", "deletionProtection": false}"""));
        Assert.Equal(Risk.RdsDeletionProtectionOff, finding.Risk);
        Assert.Equal(new EnableDeletionProtection(DbKind.Instance, "orders-prod"), finding.Revert);
        Assert.Equal("arn:aws:rds:us-east-1:123456789012:db:orders-prod", finding.Resource.Arn);
    }

    [Fact]
    public void The_same_holds_for_clusters()
    {
        var finding = Found(Detect("ModifyDBCluster", """{"dBClusterIdentifier": "billing", "deletionProtection": "false"}"""));
        Assert.Equal(new EnableDeletionProtection(DbKind.Cluster, "billing"), finding.Revert);
        Assert.Equal("AWS::RDS::DBCluster", finding.Resource.Type);
    }

    [Theory]
    [InlineData("""{"dBInstanceIdentifier": "orders-prod", "deletionProtection": true}""")]
    [InlineData("""{"dBInstanceIdentifier": "orders-prod", "allocatedStorage": 200}""")]
    public void A_modify_that_does_not_turn_protection_off_is_benign(string request) =>
        Assert.IsType<DetectionOutcome.Benign>(Detect("ModifyDBInstance", request));

    [Fact]
    public void A_delete_with_a_final_snapshot_is_restored_from_it_with_the_deleted_instance_shape()
    {
        var finding = Found(Detect("DeleteDBInstance",
            """{"dBInstanceIdentifier": "orders", "skipFinalSnapshot": false, "finalDBSnapshotIdentifier": "orders-final"}""",
            """{"dBInstanceIdentifier": "orders", "dBInstanceClass": "db.m5.large", "engine": "postgres", "dBSubnetGroup": {"dBSubnetGroupName": "db-subnets"}}"""));
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Equal(new RestoreFromSnapshot(DbKind.Instance, "orders-final", "orders", "postgres", "db.m5.large", "db-subnets"), finding.Revert);
        Assert.Equal("orders-final", finding.Facts["finalSnapshot"]);
    }

    [Fact]
    public void A_delete_that_skips_the_final_snapshot_says_plainly_that_nothing_can_be_restored()
    {
        var finding = Found(Detect("DeleteDBInstance", """{"dBInstanceIdentifier": "orders", "skipFinalSnapshot": true}"""));
        var plan = Assert.IsType<NothingToRestore>(finding.Revert);
        Assert.Contains("without a final snapshot", plan.Reason);
        Assert.Contains("data is gone", plan.Reason);
        Assert.Equal("DB instance orders deleted without a final snapshot", finding.Summary);
    }

    [Fact]
    public void Kept_automated_backups_are_named_as_the_way_back_when_there_is_no_snapshot()
    {
        var finding = Found(Detect("DeleteDBInstance",
            """{"dBInstanceIdentifier": "orders", "skipFinalSnapshot": true, "deleteAutomatedBackups": false}"""));
        Assert.Contains("RestoreDBInstanceToPointInTime", Assert.IsType<NothingToRestore>(finding.Revert).Reason);
        Assert.Equal("false", finding.Facts["automatedBackupsDeleted"]);
    }

    [Fact]
    public void A_policy_that_does_not_restore_keeps_the_snapshot_but_plans_nothing()
    {
        var policy = Assert.IsType<PolicyLoad.Loaded>(GuardPolicy.Parse("risks: { rds-delete: { restoreFromFinalSnapshot: false } }")).Policy;
        var finding = Found(Detect("DeleteDBInstance",
            """{"dBInstanceIdentifier": "orders", "finalDBSnapshotIdentifier": "orders-final"}""", policy: policy));
        Assert.Contains("orders-final", Assert.IsType<NothingToRestore>(finding.Revert).Reason);
    }

    [Fact]
    public void A_cluster_restore_carries_the_engine_from_the_delete_response()
    {
        var finding = Found(Detect("DeleteDBCluster",
            """{"dBClusterIdentifier": "billing", "finalDBSnapshotIdentifier": "billing-final"}""",
            """{"dBClusterIdentifier": "billing", "engine": "aurora-postgresql", "dBSubnetGroup": "billing-subnets", "dBClusterArn": "arn:aws:rds:us-east-1:123456789012:cluster:billing"}"""));
        Assert.Equal(new RestoreFromSnapshot(DbKind.Cluster, "billing-final", "billing", "aurora-postgresql", null, "billing-subnets"), finding.Revert);
    }

    [Fact]
    public void A_refused_delete_is_a_failed_call()
    {
        var outcome = Detectors.Rds.Detect(TestRecords.Rds("DeleteDBInstance", """{"dBInstanceIdentifier": "orders", "skipFinalSnapshot": true}""",
            errorCode: "InvalidParameterCombination"), GuardPolicy.Default);
        Assert.Equal(Risk.RdsDelete, Assert.IsType<DetectionOutcome.FailedCall>(outcome).Attempted.Risk);
    }

    [Fact]
    public void A_record_without_an_identifier_is_benign_not_a_crash() =>
        Assert.IsType<DetectionOutcome.Benign>(Detect("DeleteDBInstance", """{"skipFinalSnapshot": true}"""));
}
