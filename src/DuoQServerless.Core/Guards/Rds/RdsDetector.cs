using DuoQServerless.Core.CloudTrail;
using DuoQServerless.Core.Detection;
using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Policy;

namespace DuoQServerless.Core.Guards.Rds;

/// <summary>
/// rds-deletion-protection-off (revert: turn it back on) and rds-delete. A delete cannot be
/// stopped once made: the finding records whether a final snapshot exists and, when one does
/// and the policy allows, "revert" restores from it; otherwise it says nothing can be restored.
/// </summary>
public sealed class RdsDetector : Detector
{
    public override Guard Guard => Guard.Rds;
    public override IReadOnlyList<WatchedEvents> Watched { get; } =
        [new("aws.rds", "rds.amazonaws.com", ["ModifyDBInstance", "ModifyDBCluster", "DeleteDBInstance", "DeleteDBCluster"])];
    public override IReadOnlyList<RiskBlock> PolicyBlocks { get; } = [RdsDeleteSettings.DeletionProtectionBlock, RdsDeleteSettings.Block];
    public override IReadOnlyList<string> PlanKinds { get; } = [EnableDeletionProtection.Kind, RestoreFromSnapshot.Kind, NothingToRestore.Kind];
    public override IReadOnlyList<string> LookupActions { get; } = ["rds:ListTagsForResource"];

    protected override DetectionOutcome Inspect(CloudTrailRecord record, GuardPolicy policy, DetectionFacts facts)
    {
        var target = RdsTarget.Read(record);
        if (target.Identifier is null)
            return Benign($"{record.EventName} names no {target.IdentifierField}");
        return record.EventName.StartsWith("Modify", StringComparison.Ordinal)
            ? InspectModify(record, target)
            : InspectDelete(record, target, policy.RdsDelete);
    }

    private static DetectionOutcome InspectModify(CloudTrailRecord record, RdsTarget target)
    {
        var protection = record.RequestParameters.Bool("deletionProtection");
        if (protection != false)
            return Benign(protection == true ? "turns deletion protection on" : "leaves deletion protection as it was");
        return Found(Finding.From(
            record,
            Risk.RdsDeletionProtectionOff,
            Severity.High,
            target.Resource(record),
            $"deletion protection turned off on {target.Noun} {target.Identifier}",
            new EnableDeletionProtection(target.Kind, target.Identifier!),
            new Dictionary<string, string> { [target.IdentifierField] = target.Identifier! }));
    }

    private static DetectionOutcome InspectDelete(CloudTrailRecord record, RdsTarget target, RdsDeleteSettings settings)
    {
        var request = record.RequestParameters;
        var skip = request.Bool("skipFinalSnapshot") ?? false;
        var snapshot = skip ? null : request.Str("finalDBSnapshotIdentifier");
        // DeleteAutomatedBackups defaults to true; clusters keep no separate automated backups after delete.
        var backupsDeleted = target.Kind == DbKind.Cluster || (request.Bool("deleteAutomatedBackups") ?? true);

        RevertPlan plan;
        string summary;
        if (snapshot is not null)
        {
            summary = $"{target.Noun} {target.Identifier} deleted, final snapshot {snapshot}";
            plan = settings.RestoreFromFinalSnapshot
                ? new RestoreFromSnapshot(target.Kind, snapshot, target.Identifier!, target.Engine, target.InstanceClass, target.SubnetGroup)
                : new NothingToRestore($"the policy does not restore deleted databases; final snapshot {snapshot} exists");
        }
        else
        {
            summary = $"{target.Noun} {target.Identifier} deleted without a final snapshot";
            plan = new NothingToRestore(backupsDeleted
                ? "it was deleted without a final snapshot and its automated backups were deleted too; its data is gone"
                : "it was deleted without a final snapshot; its automated backups were kept and can be restored by hand " +
                  "(RestoreDBInstanceToPointInTime) while they are retained");
        }

        var facts = new Dictionary<string, string>
        {
            [target.IdentifierField] = target.Identifier!,
            ["finalSnapshot"] = snapshot ?? "none",
            ["skipFinalSnapshot"] = skip ? "true" : "false",
            ["automatedBackupsDeleted"] = backupsDeleted ? "true" : "false",
        };
        return Found(Finding.From(record, Risk.RdsDelete, Severity.Critical, target.Resource(record), summary, plan, facts));
    }
}
