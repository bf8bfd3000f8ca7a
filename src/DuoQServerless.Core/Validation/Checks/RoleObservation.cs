namespace DuoQServerless.Core.Validation.Checks;

/// <summary>The shared answer of the role checks when the role itself could not be looked at.</summary>
internal static class RoleObservation
{
    /// <summary>A skipped or failed result when the role was not seen; null when the check can go on.</summary>
    public static CheckResult? NotUsable(CheckDefinition check, SetupContext context) => context.Facts.Role switch
    {
        Observation<RoleFacts>.Seen => null,
        Observation<RoleFacts>.NotAsked notAsked => check.Skipped(notAsked.Why),
        Observation<RoleFacts>.Absent absent => check.Fail(
            [$"the role {context.Facts.RoleName} does not exist ({absent.What})"],
            Fixes.CreateRole(context.Facts.AccountId, context.Expected.Id ?? "<instance id>", context.Facts.RoleName)),
        Observation<RoleFacts>.Unavailable unavailable => check.Fail(
            [$"could not read the role {context.Facts.RoleName}: {unavailable.Error}"],
            Fixes.ValidatorAccess("iam:GetRole, iam:ListRolePolicies, iam:GetRolePolicy, iam:ListAttachedRolePolicies, iam:GetPolicy and iam:GetPolicyVersion on the role and its policies")),
        _ => throw new System.Diagnostics.UnreachableException(),
    };
}
