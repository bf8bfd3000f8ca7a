namespace DuoQServerless.Aws.Rds;

// One record per RDS operation: what the caller asks for, and what the call observer sees.

/// <param name="DBInstanceIdentifier">One instance, or every instance when null.</param>
public sealed record DescribeDBInstancesRequest(string? DBInstanceIdentifier = null)
{
    /// <summary>Items per page (RDS's MaxRecords, 20 to 100); the service default when null.</summary>
    public int? PageSize { get; init; }
}

public sealed record DescribeDBClustersRequest(string? DBClusterIdentifier = null)
{
    public int? PageSize { get; init; }
}

/// <summary>Changes an instance; only the members that are set are sent.</summary>
public sealed record ModifyDBInstanceRequest(string DBInstanceIdentifier)
{
    public bool? DeletionProtection { get; init; }

    public bool? ApplyImmediately { get; init; }

    public int? BackupRetentionPeriod { get; init; }

    public bool? PubliclyAccessible { get; init; }
}

public sealed record ModifyDBClusterRequest(string DBClusterIdentifier)
{
    public bool? DeletionProtection { get; init; }

    public bool? ApplyImmediately { get; init; }
}

public sealed record DescribeDBSnapshotsRequest
{
    public string? DBInstanceIdentifier { get; init; }

    public string? DBSnapshotIdentifier { get; init; }

    /// <summary><c>automated</c>, <c>manual</c>, <c>shared</c>, <c>public</c> or <c>awsbackup</c>.</summary>
    public string? SnapshotType { get; init; }

    public int? PageSize { get; init; }
}

public sealed record CreateDBSnapshotRequest(string DBSnapshotIdentifier, string DBInstanceIdentifier)
{
    public IReadOnlyList<RdsTag>? Tags { get; init; }
}

public sealed record RestoreDBInstanceFromDBSnapshotRequest(string DBInstanceIdentifier, string DBSnapshotIdentifier)
{
    public string? DBInstanceClass { get; init; }

    public string? DBSubnetGroupName { get; init; }

    public IReadOnlyList<string>? VpcSecurityGroupIds { get; init; }

    public bool? MultiAZ { get; init; }

    public bool? PubliclyAccessible { get; init; }

    public bool? DeletionProtection { get; init; }

    public IReadOnlyList<RdsTag>? Tags { get; init; }
}

public sealed record DescribeDBClusterSnapshotsRequest
{
    public string? DBClusterIdentifier { get; init; }

    public string? DBClusterSnapshotIdentifier { get; init; }

    /// <summary><c>automated</c>, <c>manual</c>, <c>shared</c>, <c>public</c> or <c>awsbackup</c>.</summary>
    public string? SnapshotType { get; init; }

    public int? PageSize { get; init; }
}

/// <param name="Engine">Required by RDS: the engine of the snapshot's cluster, e.g. <c>aurora-postgresql</c>.</param>
public sealed record RestoreDBClusterFromSnapshotRequest(string DBClusterIdentifier, string SnapshotIdentifier, string Engine)
{
    public string? DBSubnetGroupName { get; init; }

    public IReadOnlyList<string>? VpcSecurityGroupIds { get; init; }

    public bool? DeletionProtection { get; init; }

    public IReadOnlyList<RdsTag>? Tags { get; init; }
}

/// <param name="ResourceName">The ARN of the instance, cluster or snapshot.</param>
public sealed record AddTagsToResourceRequest(string ResourceName, IReadOnlyList<RdsTag> Tags);

public sealed record ListTagsForResourceRequest(string ResourceName);
