namespace DuoQServerless.Core.Findings;

/// <summary>
/// The IAM actions a reverter needs for each kind of plan: the calls that change the account
/// (<see cref="Writes"/>) and the reads it makes first, because an event can arrive late or twice
/// and the resource may already be back or gone (<see cref="Reads"/>). Detectors derive the
/// actions they declare from the plans they produce, so roles in template.yaml follow from here.
/// </summary>
public sealed record RevertPermissions(IReadOnlyList<string> Writes, IReadOnlyList<string> Reads)
{
    public static readonly IReadOnlyList<string> AllKinds =
    [
        RevokeIngressRules.Kind, EnableDeletionProtection.Kind, RestoreFromSnapshot.Kind, NothingToRestore.Kind,
        DetachPolicy.Kind, ReattachPolicy.Kind, DeleteInlinePolicy.Kind, DeactivateAccessKey.Kind,
        DeleteLoginProfile.Kind, RestoreTrustPolicy.Kind, RestoreDefaultPolicyVersion.Kind,
        RestoreMaxSessionDuration.Kind, StopInstances.Kind, EnableRule.Kind,
    ];

    public static RevertPermissions For(string planKind) => planKind switch
    {
        RevokeIngressRules.Kind => new(
            ["ec2:RevokeSecurityGroupIngress"],
            ["ec2:DescribeSecurityGroupRules", "ec2:DescribeSecurityGroups"]),
        EnableDeletionProtection.Kind => new(
            ["rds:ModifyDBInstance", "rds:ModifyDBCluster"],
            ["rds:DescribeDBInstances", "rds:DescribeDBClusters"]),
        // A restore tags the database duoq:restored-from, and RDS authorizes tags on create as
        // rds:AddTagsToResource; the RDS guard's approval mark (duoq:approved) uses it too.
        RestoreFromSnapshot.Kind => new(
            ["rds:RestoreDBInstanceFromDBSnapshot", "rds:RestoreDBClusterFromSnapshot", "rds:AddTagsToResource"],
            ["rds:DescribeDBSnapshots", "rds:DescribeDBClusterSnapshots", "rds:DescribeDBInstances", "rds:DescribeDBClusters"]),
        NothingToRestore.Kind => new([], []),
        DetachPolicy.Kind => new(
            ["iam:DetachRolePolicy", "iam:DetachUserPolicy", "iam:DetachGroupPolicy"],
            ["iam:ListAttachedRolePolicies", "iam:ListAttachedUserPolicies", "iam:ListAttachedGroupPolicies"]),
        ReattachPolicy.Kind => new(["iam:AttachRolePolicy"], ["iam:ListAttachedRolePolicies"]),
        DeleteInlinePolicy.Kind => new(
            ["iam:DeleteRolePolicy", "iam:DeleteUserPolicy", "iam:DeleteGroupPolicy"],
            ["iam:GetRolePolicy", "iam:GetUserPolicy", "iam:GetGroupPolicy"]),
        DeactivateAccessKey.Kind => new(["iam:UpdateAccessKey"], ["iam:ListAccessKeys"]),
        DeleteLoginProfile.Kind => new(["iam:DeleteLoginProfile"], ["iam:GetLoginProfile"]),
        // The good trust policy comes from the audit table, where the validator keeps it (TrustPolicyStore).
        RestoreTrustPolicy.Kind => new(["iam:UpdateAssumeRolePolicy"], ["iam:GetRole", "dynamodb:GetItem"]),
        RestoreDefaultPolicyVersion.Kind => new(["iam:SetDefaultPolicyVersion"], ["iam:ListPolicyVersions"]),
        RestoreMaxSessionDuration.Kind => new(["iam:UpdateRole"], ["iam:GetRole"]),
        StopInstances.Kind => new(["ec2:StopInstances"], ["ec2:DescribeInstances"]),
        EnableRule.Kind => new(["events:EnableRule"], ["events:DescribeRule"]),
        _ => throw new ArgumentOutOfRangeException(nameof(planKind), planKind, "not a revert plan kind"),
    };
}
