using DuoQServerless.Core.CloudTrail;
using DuoQServerless.Core.Detection;
using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Policy;

namespace DuoQServerless.Core.Guards.Iam;

/// <summary>
/// iam-change: grants of admin-like or escalating permissions, new default policy versions,
/// trust policy changes, new access keys and console passwords, and any change to the protected
/// Amazon Q role. IAM's CloudTrail events reach EventBridge only in us-east-1.
/// </summary>
public sealed class IamChangeDetector : Detector
{
    public override Guard Guard => Guard.Iam;

    public override IReadOnlyList<WatchedEvents> Watched { get; } =
        [new("aws.iam", "iam.amazonaws.com",
        [
            "AttachRolePolicy", "AttachUserPolicy", "AttachGroupPolicy",
            "PutRolePolicy", "PutUserPolicy", "PutGroupPolicy",
            "CreatePolicyVersion", "SetDefaultPolicyVersion", "UpdateAssumeRolePolicy",
            "CreateAccessKey", "CreateLoginProfile",
            "DetachRolePolicy", "DeleteRolePolicy", "UpdateRole", "DeleteRole",
        ])];

    public override IReadOnlyList<RiskBlock> PolicyBlocks { get; } = [IamChangeSettings.Block];

    public override IReadOnlyList<string> PlanKinds { get; } =
    [
        DetachPolicy.Kind, ReattachPolicy.Kind, DeleteInlinePolicy.Kind, DeactivateAccessKey.Kind, DeleteLoginProfile.Kind,
        RestoreTrustPolicy.Kind, RestoreDefaultPolicyVersion.Kind, RestoreMaxSessionDuration.Kind, NothingToRestore.Kind,
    ];

    /// <summary>Tags of roles and users for exemptions; a customer managed policy's document before judging its attachment.</summary>
    public override IReadOnlyList<string> LookupActions { get; } = ["iam:ListRoleTags", "iam:ListUserTags", "iam:GetPolicy", "iam:GetPolicyVersion"];

    /// <summary>Approved roles and users are tagged duoq:approved; groups cannot be tagged.</summary>
    public override IReadOnlyList<string> ApprovalActions { get; } = ["iam:TagRole", "iam:TagUser"];

    /// <summary>An attached customer managed policy is judged by its document, which the event does not hold.</summary>
    public override IReadOnlyList<FactRequest> FactsNeeded(CloudTrailRecord record, GuardPolicy policy)
    {
        if (!Watches(record) || !record.EventName.StartsWith("Attach", StringComparison.Ordinal)) return [];
        var policyArn = record.RequestParameters.Str("policyArn");
        if (policyArn is null || IamGrants.IsAwsManaged(policyArn) || IamGrants.IsListedAdmin(policyArn, policy.IamChange)) return [];
        return [new FactRequest.ManagedPolicyDocument(policyArn)];
    }

    protected override DetectionOutcome Inspect(CloudTrailRecord record, GuardPolicy policy, DetectionFacts facts)
    {
        var inspection = new IamInspection(record, policy);
        return record.EventName switch
        {
            "AttachRolePolicy" or "AttachUserPolicy" or "AttachGroupPolicy" => inspection.Attach(facts),
            "PutRolePolicy" or "PutUserPolicy" or "PutGroupPolicy" => inspection.PutInline(),
            "CreatePolicyVersion" => inspection.CreatePolicyVersion(),
            "SetDefaultPolicyVersion" => inspection.SetDefaultPolicyVersion(),
            "UpdateAssumeRolePolicy" => inspection.UpdateAssumeRolePolicy(),
            "CreateAccessKey" => inspection.CreateAccessKey(),
            "CreateLoginProfile" => inspection.CreateLoginProfile(),
            "DetachRolePolicy" => inspection.DetachFromProtectedRole(),
            "DeleteRolePolicy" => inspection.DeleteInlineOfProtectedRole(),
            "UpdateRole" => inspection.UpdateRole(),
            "DeleteRole" => inspection.DeleteRole(),
            _ => new DetectionOutcome.NotForThisGuard($"{record.EventName} has no IAM rule"),
        };
    }
}

/// <summary>Which managed policies count as admin-like by name.</summary>
public static class IamGrants
{
    public static bool IsAwsManaged(string policyArn) => policyArn.Contains(":iam::aws:policy/", StringComparison.Ordinal);

    public static string PolicyName(string policyArn) => policyArn[(policyArn.LastIndexOf('/') + 1)..];

    public static bool IsListedAdmin(string policyArn, IamChangeSettings settings) =>
        settings.AdminPolicies.Any(pattern => pattern.StartsWith("arn:", StringComparison.Ordinal)
            ? Glob.Matches(pattern, policyArn)
            : Glob.Matches(pattern, PolicyName(policyArn)));
}
