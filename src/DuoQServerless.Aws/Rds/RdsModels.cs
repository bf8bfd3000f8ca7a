using System.Xml.Linq;
using DuoQServerless.Aws.Protocol;

namespace DuoQServerless.Aws.Rds;

public sealed record RdsTag(string Key, string Value)
{
    internal static IReadOnlyList<RdsTag> ReadAll(XElement parent) =>
        parent.Members("TagList", "Tag").Select(t => new RdsTag(t.RequiredText("Key"), t.Text("Value") ?? string.Empty)).ToArray();

    internal static void Write(QueryParameters query, string prefix, RdsTag tag) =>
        query.Add($"{prefix}.Key", tag.Key).Add($"{prefix}.Value", tag.Value);
}

/// <summary>A DB instance as DescribeDBInstances, ModifyDBInstance and RestoreDBInstanceFromDBSnapshot return it.</summary>
public sealed record DbInstance(
    string DBInstanceIdentifier,
    string DBInstanceArn,
    string DBInstanceClass,
    string Engine,
    string DBInstanceStatus,
    bool DeletionProtection,
    bool PubliclyAccessible,
    bool StorageEncrypted,
    string? DBClusterIdentifier,
    int? BackupRetentionPeriod,
    string? EndpointAddress,
    IReadOnlyList<RdsTag> Tags)
{
    internal static DbInstance Read(XElement instance) => new(
        instance.RequiredText("DBInstanceIdentifier"),
        instance.Text("DBInstanceArn") ?? string.Empty,
        instance.Text("DBInstanceClass") ?? string.Empty,
        instance.Text("Engine") ?? string.Empty,
        instance.Text("DBInstanceStatus") ?? string.Empty,
        instance.Bool("DeletionProtection") ?? false,
        instance.Bool("PubliclyAccessible") ?? false,
        instance.Bool("StorageEncrypted") ?? false,
        instance.Text("DBClusterIdentifier"),
        instance.Int("BackupRetentionPeriod"),
        instance.Child("Endpoint")?.Text("Address"),
        RdsTag.ReadAll(instance));
}

public sealed record DbCluster(
    string DBClusterIdentifier,
    string DBClusterArn,
    string Engine,
    string Status,
    bool DeletionProtection,
    IReadOnlyList<string> MemberInstanceIdentifiers,
    IReadOnlyList<RdsTag> Tags)
{
    internal static DbCluster Read(XElement cluster) => new(
        cluster.RequiredText("DBClusterIdentifier"),
        cluster.Text("DBClusterArn") ?? string.Empty,
        cluster.Text("Engine") ?? string.Empty,
        cluster.Text("Status") ?? string.Empty,
        cluster.Bool("DeletionProtection") ?? false,
        cluster.Members("DBClusterMembers", "DBClusterMember").Select(m => m.RequiredText("DBInstanceIdentifier")).ToArray(),
        RdsTag.ReadAll(cluster));
}

public sealed record DbSnapshot(
    string DBSnapshotIdentifier,
    string DBInstanceIdentifier,
    string DBSnapshotArn,
    string Status,
    string? SnapshotType,
    string? Engine,
    DateTimeOffset? SnapshotCreateTime,
    IReadOnlyList<RdsTag> Tags)
{
    internal static DbSnapshot Read(XElement snapshot) => new(
        snapshot.RequiredText("DBSnapshotIdentifier"),
        snapshot.Text("DBInstanceIdentifier") ?? string.Empty,
        snapshot.Text("DBSnapshotArn") ?? string.Empty,
        snapshot.Text("Status") ?? string.Empty,
        snapshot.Text("SnapshotType"),
        snapshot.Text("Engine"),
        snapshot.Date("SnapshotCreateTime"),
        RdsTag.ReadAll(snapshot));
}

public sealed record DbClusterSnapshot(
    string DBClusterSnapshotIdentifier,
    string DBClusterIdentifier,
    string DBClusterSnapshotArn,
    string Status,
    string? SnapshotType,
    string? Engine,
    DateTimeOffset? SnapshotCreateTime,
    IReadOnlyList<RdsTag> Tags)
{
    internal static DbClusterSnapshot Read(XElement snapshot) => new(
        snapshot.RequiredText("DBClusterSnapshotIdentifier"),
        snapshot.Text("DBClusterIdentifier") ?? string.Empty,
        snapshot.Text("DBClusterSnapshotArn") ?? string.Empty,
        snapshot.Text("Status") ?? string.Empty,
        snapshot.Text("SnapshotType"),
        snapshot.Text("Engine"),
        snapshot.Date("SnapshotCreateTime"),
        RdsTag.ReadAll(snapshot));
}
