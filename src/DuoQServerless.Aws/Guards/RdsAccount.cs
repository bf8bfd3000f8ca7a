using DuoQServerless.Core.Approval;
using DuoQServerless.Aws.Protocol;
using DuoQServerless.Aws.Rds;
using DuoQServerless.Core.Detection;
using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Notifications;

namespace DuoQServerless.Aws.Guards;

/// <summary>
/// What the RDS guard reads and changes: DB instances and clusters. Every revert reads the
/// database's current state first (an event can arrive late or twice, the database may be gone),
/// and no AWS error escapes: it becomes <see cref="ActionResult.Failed"/> with AWS's code.
/// </summary>
public sealed class RdsAccount(RdsClient rds) : IGuardAccount
{
    /// <summary>Set on a database the guard restored, naming the snapshot it came from.</summary>
    public const string RestoredFromTag = "duoq:restored-from";

    /// <summary>Set on a database whose risky change a person approved, naming the approval.</summary>

    private const string Available = "available";
    private const string Deleting = "deleting";
    private static readonly IReadOnlyDictionary<string, string> NoTags = new Dictionary<string, string>();

    /// <summary>
    /// The database's tags. A database that is gone has none. When its tags cannot be read (no
    /// permission, throttled after retries) it throws: acting then would ignore an exemption
    /// silently (a restore creates a database someone exempted), so the guard records and
    /// notifies the finding with the refusal instead.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> TagsOfAsync(AffectedResource resource, CancellationToken cancellationToken)
    {
        try
        {
            if (resource.Arn is { Length: > 0 } arn)
                return ToDictionary(await rds.ListTagsForResourceAsync(new ListTagsForResourceRequest(arn), cancellationToken));
            // No ARN to ask for: the description carries the tags too.
            return await DescribeAsync(KindOf(resource), resource.Id, cancellationToken) is { } db ? ToDictionary(db.Tags) : NoTags;
        }
        // A database that is gone has no tags. A refusal or throttling is not caught: the guard
        // then records and notifies the finding without acting, since exemptions went unchecked.
        catch (AwsApiException e) when (IsGone(e))
        {
            return NoTags;
        }
    }

    /// <summary>The RDS detector asks for no facts: everything it judges is in the event.</summary>
    public Task<DetectionFacts> LookUpAsync(IReadOnlyList<FactRequest> requests, CancellationToken cancellationToken) =>
        Task.FromResult(DetectionFacts.None);

    public async Task<ActionResult> RevertAsync(RevertPlan plan, CancellationToken cancellationToken)
    {
        try
        {
            return plan switch
            {
                EnableDeletionProtection protect => await ProtectAsync(protect, cancellationToken),
                RestoreFromSnapshot restore => await RestoreAsync(restore, cancellationToken),
                // Nothing can be undone: no change was made, and the notification says plainly why.
                NothingToRestore => new ActionResult.NotTaken(),
                _ => new ActionResult.Failed($"the RDS guard does not carry out {plan.KindName} plans"),
            };
        }
        // AWS refused (no permission, throttled after retries, a state that forbids the change): the finding stays open.
        catch (AwsApiException e)
        {
            return Failed(e);
        }
        // RDS did not answer: the finding stays open and the approval workflow may retry.
        catch (HttpRequestException e)
        {
            return new ActionResult.Failed($"RDS unreachable: {e.Message}");
        }
    }

    /// <summary>Tags the database <c>duoq:approved=&lt;approval id&gt;</c>; a deleted database cannot
    /// be tagged (the usual case for an approved delete) and answers NotTaken.</summary>
    public async Task<ActionResult> MarkApprovedAsync(AffectedResource resource, string approvalId, CancellationToken cancellationToken)
    {
        var kind = KindOf(resource);
        try
        {
            if (await DescribeAsync(kind, resource.Id, cancellationToken) is not { } db)
                return new ActionResult.NotTaken();
            var arn = db.Arn is { Length: > 0 } described ? described : resource.Arn ?? "";
            await rds.AddTagsToResourceAsync(new AddTagsToResourceRequest(arn, [new RdsTag(ApprovalTag.Key, approvalId)]), cancellationToken);
            return new ActionResult.Done($"tagged {Noun(kind)} {resource.Id} {ApprovalTag.Key}={approvalId}");
        }
        // Deleted between the read and the tagging.
        catch (AwsApiException e) when (IsGone(e))
        {
            return new ActionResult.NotTaken();
        }
        // Refused or throttled after retries: the workflow retries, then notifies.
        catch (AwsApiException e)
        {
            return Failed(e);
        }
        // RDS did not answer: the same.
        catch (HttpRequestException e)
        {
            return new ActionResult.Failed($"RDS unreachable: {e.Message}");
        }
    }

    private async Task<ActionResult> ProtectAsync(EnableDeletionProtection plan, CancellationToken cancellationToken)
    {
        var (kind, id) = (plan.DbKind, plan.Identifier);
        var db = await DescribeAsync(kind, id, cancellationToken);
        if (db is null)
            return new ActionResult.AlreadyDone($"{Noun(kind)} {id} no longer exists: there is nothing left to protect");
        if (db.Status == Deleting)
            return new ActionResult.AlreadyDone($"{Noun(kind)} {id} is being deleted: deletion protection can no longer stop it");
        if (db.DeletionProtection)
            return new ActionResult.AlreadyDone($"deletion protection is already on for {Noun(kind)} {id}");
        try
        {
            if (kind == DbKind.Cluster)
                await rds.ModifyDBClusterAsync(new ModifyDBClusterRequest(id) { DeletionProtection = true, ApplyImmediately = true }, cancellationToken);
            else
                await rds.ModifyDBInstanceAsync(new ModifyDBInstanceRequest(id) { DeletionProtection = true, ApplyImmediately = true }, cancellationToken);
        }
        // Deleted between the read and the change.
        catch (AwsApiException e) when (IsGone(e))
        {
            return new ActionResult.AlreadyDone($"{Noun(kind)} {id} no longer exists: there is nothing left to protect");
        }
        return new ActionResult.Done($"deletion protection turned back on for {Noun(kind)} {id}");
    }

    private async Task<ActionResult> RestoreAsync(RestoreFromSnapshot plan, CancellationToken cancellationToken)
    {
        var (kind, snapshotId, target) = (plan.DbKind, plan.SnapshotId, plan.TargetId);
        var snapshot = await SnapshotAsync(kind, snapshotId, cancellationToken);
        if (snapshot is null)
            return new ActionResult.Failed(
                $"final snapshot {snapshotId} does not exist: nothing restored. RDS writes it while {Noun(kind)} {target} is being deleted; " +
                "if the delete has finished, the snapshot was removed and cannot be restored from");
        if (snapshot.Value.Status != Available)
            return new ActionResult.Failed($"snapshot not available yet: {snapshotId} is {snapshot.Value.Status}; nothing restored, try again once it is available");

        if (await DescribeAsync(kind, target, cancellationToken) is { } existing)
        {
            if (existing.Status == Deleting)
                return new ActionResult.Failed($"{Noun(kind)} {target} is still being deleted: it can be restored from {snapshotId} once it is gone");
            return new ActionResult.AlreadyDone(existing.Tags.Any(tag => tag.Key == RestoredFromTag && tag.Value == snapshotId)
                ? $"{Noun(kind)} {target} was already restored from snapshot {snapshotId}"
                : $"a {Noun(kind)} named {target} exists already ({existing.Status}): nothing restored; snapshot {snapshotId} is kept");
        }

        var engine = plan.Engine ?? snapshot.Value.Engine;
        if (kind == DbKind.Cluster && engine is null)
            return new ActionResult.Failed($"the engine of snapshot {snapshotId} is unknown, and restoring a cluster needs it: nothing restored");

        RdsTag[] tags = [new(RestoredFromTag, snapshotId)];
        try
        {
            if (kind == DbKind.Cluster)
            {
                var cluster = await rds.RestoreDBClusterFromSnapshotAsync(
                    new RestoreDBClusterFromSnapshotRequest(target, snapshotId, engine!)
                    {
                        DBSubnetGroupName = plan.SubnetGroupName, DeletionProtection = true, Tags = tags,
                    }, cancellationToken);
                return new ActionResult.Done(
                    $"restoring {Noun(kind)} {target} from final snapshot {snapshotId} ({cluster.Status}), deletion protection on, tagged {RestoredFromTag}={snapshotId}. " +
                    "A restored cluster has no DB instances yet: add them, and check its security groups and parameter group, which a restore sets to defaults");
            }
            var instance = await rds.RestoreDBInstanceFromDBSnapshotAsync(new RestoreDBInstanceFromDBSnapshotRequest(target, snapshotId)
            {
                DBInstanceClass = plan.InstanceClass, DBSubnetGroupName = plan.SubnetGroupName, DeletionProtection = true, Tags = tags,
            }, cancellationToken);
            return new ActionResult.Done(
                $"restoring {Noun(kind)} {target} from final snapshot {snapshotId} ({instance.DBInstanceStatus}), deletion protection on, tagged {RestoredFromTag}={snapshotId}. " +
                "Check its security groups and parameter group, which a restore sets to defaults");
        }
        // Another delivery or a person restored it between the read and the restore.
        catch (AwsApiException e) when (e.ErrorCode is AwsErrorCodes.DBInstanceAlreadyExists or AwsErrorCodes.DBClusterAlreadyExists)
        {
            return new ActionResult.AlreadyDone($"a {Noun(kind)} named {target} exists already: nothing restored; snapshot {snapshotId} is kept");
        }
    }

    /// <summary>The database as it is now, or null when it does not exist.</summary>
    private async Task<DbState?> DescribeAsync(DbKind kind, string id, CancellationToken cancellationToken)
    {
        try
        {
            if (kind == DbKind.Cluster)
                return await rds.DescribeDBClustersAsync(new DescribeDBClustersRequest(id), cancellationToken).FirstOrDefaultAsync(cancellationToken) is { } cluster
                    ? new DbState(cluster.DBClusterArn, cluster.Status, cluster.DeletionProtection, cluster.Tags)
                    : null;
            return await rds.DescribeDBInstancesAsync(new DescribeDBInstancesRequest(id), cancellationToken).FirstOrDefaultAsync(cancellationToken) is { } instance
                ? new DbState(instance.DBInstanceArn, instance.DBInstanceStatus, instance.DeletionProtection, instance.Tags)
                : null;
        }
        // RDS answers "not found" for a database that does not exist: that is the answer, not a failure.
        catch (AwsApiException e) when (IsGone(e))
        {
            return null;
        }
    }

    /// <summary>The snapshot's status and engine, or null when it does not exist.</summary>
    private async Task<(string Status, string? Engine)?> SnapshotAsync(DbKind kind, string id, CancellationToken cancellationToken)
    {
        try
        {
            if (kind == DbKind.Cluster)
                return await rds.DescribeDBClusterSnapshotsAsync(new DescribeDBClusterSnapshotsRequest { DBClusterSnapshotIdentifier = id }, cancellationToken)
                    .FirstOrDefaultAsync(cancellationToken) is { } cluster ? (cluster.Status, cluster.Engine) : null;
            return await rds.DescribeDBSnapshotsAsync(new DescribeDBSnapshotsRequest { DBSnapshotIdentifier = id }, cancellationToken)
                .FirstOrDefaultAsync(cancellationToken) is { } instance ? (instance.Status, instance.Engine) : null;
        }
        // "Not found" is an answer: the revert reports it in words.
        catch (AwsApiException e) when (e.ErrorCode is AwsErrorCodes.DBSnapshotNotFound or AwsErrorCodes.DBClusterSnapshotNotFound)
        {
            return null;
        }
    }

    private static bool IsGone(AwsApiException e) => e.ErrorCode is AwsErrorCodes.DBInstanceNotFound or AwsErrorCodes.DBClusterNotFound;

    private static ActionResult.Failed Failed(AwsApiException e) => new($"{e.ErrorCode}: {e.ErrorMessage}");

    private static DbKind KindOf(AffectedResource resource) => resource.Type == "AWS::RDS::DBCluster" ? DbKind.Cluster : DbKind.Instance;

    private static string Noun(DbKind kind) => kind == DbKind.Cluster ? "DB cluster" : "DB instance";

    private static Dictionary<string, string> ToDictionary(IEnumerable<RdsTag> tags) =>
        tags.GroupBy(tag => tag.Key, StringComparer.Ordinal).ToDictionary(group => group.Key, group => group.Last().Value, StringComparer.Ordinal);

    private sealed record DbState(string Arn, string Status, bool DeletionProtection, IReadOnlyList<RdsTag> Tags);
}
