using System.Text.Json.Serialization;

namespace DuoQServerless.Core.Findings;

[JsonConverter(typeof(NamedEnumConverter<DbKind>))]
public enum DbKind
{
    [JsonStringEnumMemberName("instance")] Instance,
    [JsonStringEnumMemberName("cluster")] Cluster,
}

[JsonConverter(typeof(NamedEnumConverter<PrincipalKind>))]
public enum PrincipalKind
{
    [JsonStringEnumMemberName("role")] Role,
    [JsonStringEnumMemberName("user")] User,
    [JsonStringEnumMemberName("group")] Group,
}

/// <summary>A security group as the event named it: by id, or by name only (default VPC, some
/// CloudFormation stacks), in which case the reverter resolves the id first.</summary>
public sealed record SecurityGroupRef(string? GroupId, string? GroupName)
{
    [JsonIgnore] public bool NeedsResolution => GroupId is null;
    public override string ToString() => GroupId ?? $"group named '{GroupName}'";
}

/// <summary>One ingress rule exactly as it was added: one protocol, port range and source.
/// <see cref="RuleId"/> comes from the event's responseElements when AWS reported it.</summary>
public sealed record IngressRule(string? RuleId, string IpProtocol, int? FromPort, int? ToPort, string? CidrIpv4, string? CidrIpv6)
{
    [JsonIgnore] public string Source => CidrIpv4 ?? CidrIpv6 ?? "?";

    public override string ToString() =>
        $"{IpProtocol} {(FromPort is null ? "all" : FromPort == ToPort ? $"{FromPort}" : $"{FromPort}-{ToPort}")} from {Source}" +
        (RuleId is null ? "" : $" ({RuleId})");
}

/// <summary>
/// What undoing a finding takes: a closed set, each carrying exactly what its reverter needs.
/// Reverts never destroy data (rules are revoked, instances stopped, keys deactivated).
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(RevokeIngressRules), RevokeIngressRules.Kind)]
[JsonDerivedType(typeof(EnableDeletionProtection), EnableDeletionProtection.Kind)]
[JsonDerivedType(typeof(RestoreFromSnapshot), RestoreFromSnapshot.Kind)]
[JsonDerivedType(typeof(NothingToRestore), NothingToRestore.Kind)]
[JsonDerivedType(typeof(DetachPolicy), DetachPolicy.Kind)]
[JsonDerivedType(typeof(ReattachPolicy), ReattachPolicy.Kind)]
[JsonDerivedType(typeof(DeleteInlinePolicy), DeleteInlinePolicy.Kind)]
[JsonDerivedType(typeof(DeactivateAccessKey), DeactivateAccessKey.Kind)]
[JsonDerivedType(typeof(DeleteLoginProfile), DeleteLoginProfile.Kind)]
[JsonDerivedType(typeof(RestoreTrustPolicy), RestoreTrustPolicy.Kind)]
[JsonDerivedType(typeof(RestoreDefaultPolicyVersion), RestoreDefaultPolicyVersion.Kind)]
[JsonDerivedType(typeof(RestoreMaxSessionDuration), RestoreMaxSessionDuration.Kind)]
[JsonDerivedType(typeof(StopInstances), StopInstances.Kind)]
[JsonDerivedType(typeof(EnableRule), EnableRule.Kind)]
public abstract record RevertPlan
{
    private protected RevertPlan() { }

    /// <summary>The plan's JSON discriminator, e.g. <c>revoke-ingress-rules</c>.</summary>
    [JsonIgnore]
    public string KindName => this switch
    {
        RevokeIngressRules => RevokeIngressRules.Kind,
        EnableDeletionProtection => EnableDeletionProtection.Kind,
        RestoreFromSnapshot => RestoreFromSnapshot.Kind,
        NothingToRestore => NothingToRestore.Kind,
        DetachPolicy => DetachPolicy.Kind,
        ReattachPolicy => ReattachPolicy.Kind,
        DeleteInlinePolicy => DeleteInlinePolicy.Kind,
        DeactivateAccessKey => DeactivateAccessKey.Kind,
        DeleteLoginProfile => DeleteLoginProfile.Kind,
        RestoreTrustPolicy => RestoreTrustPolicy.Kind,
        RestoreDefaultPolicyVersion => RestoreDefaultPolicyVersion.Kind,
        RestoreMaxSessionDuration => RestoreMaxSessionDuration.Kind,
        StopInstances => StopInstances.Kind,
        EnableRule => EnableRule.Kind,
        _ => throw new InvalidOperationException($"unknown revert plan {GetType().Name}"),
    };

    /// <summary>What the revert does, in a sentence for the notification.</summary>
    public abstract string Describe();
}

/// <summary>Revoke only the risky rules: by rule id where every rule has one, else by exact IpPermissions.</summary>
public sealed record RevokeIngressRules(SecurityGroupRef Group, IReadOnlyList<IngressRule> Rules) : RevertPlan
{
    public const string Kind = "revoke-ingress-rules";
    [JsonIgnore] public bool AllRulesHaveIds => Rules.Count > 0 && Rules.All(rule => rule.RuleId is not null);
    public override string Describe() => $"revoke {string.Join("; ", Rules)} on {Group}";
}

public sealed record EnableDeletionProtection(DbKind DbKind, string Identifier) : RevertPlan
{
    public const string Kind = "enable-deletion-protection";
    public override string Describe() => $"turn deletion protection back on for DB {DbKind.ToString().ToLowerInvariant()} {Identifier}";
}

/// <summary>Restore a deleted DB under its old identifier from the final snapshot taken at delete.
/// <see cref="Engine"/> is required by RestoreDBClusterFromSnapshot; class and subnet group keep the
/// restored instance like the deleted one.</summary>
public sealed record RestoreFromSnapshot(
    DbKind DbKind, string SnapshotId, string TargetId, string? Engine, string? InstanceClass, string? SubnetGroupName) : RevertPlan
{
    public const string Kind = "restore-from-snapshot";
    public override string Describe() => $"restore DB {DbKind.ToString().ToLowerInvariant()} {TargetId} from final snapshot {SnapshotId}";
}

/// <summary>Nothing can be undone automatically; <see cref="Reason"/> says why, plainly.</summary>
public sealed record NothingToRestore(string Reason) : RevertPlan
{
    public const string Kind = "nothing-to-restore";
    public override string Describe() => $"nothing can be restored automatically: {Reason}";
}

public sealed record DetachPolicy(PrincipalKind PrincipalKind, string PrincipalName, string PolicyArn) : RevertPlan
{
    public const string Kind = "detach-policy";
    public override string Describe() => $"detach {PolicyArn} from {PrincipalKind.ToString().ToLowerInvariant()} {PrincipalName}";
}

/// <summary>Put back a managed policy someone detached from the protected role.</summary>
public sealed record ReattachPolicy(PrincipalKind PrincipalKind, string PrincipalName, string PolicyArn) : RevertPlan
{
    public const string Kind = "reattach-policy";
    public override string Describe() => $"attach {PolicyArn} to {PrincipalKind.ToString().ToLowerInvariant()} {PrincipalName} again";
}

public sealed record DeleteInlinePolicy(PrincipalKind PrincipalKind, string PrincipalName, string PolicyName) : RevertPlan
{
    public const string Kind = "delete-inline-policy";
    public override string Describe() => $"delete inline policy {PolicyName} of {PrincipalKind.ToString().ToLowerInvariant()} {PrincipalName}";
}

/// <summary>Deactivate, never delete: the key's owner can be asked before it is gone for good.</summary>
public sealed record DeactivateAccessKey(string UserName, string AccessKeyId) : RevertPlan
{
    public const string Kind = "deactivate-access-key";
    public override string Describe() => $"deactivate access key {AccessKeyId} of user {UserName}";
}

public sealed record DeleteLoginProfile(string UserName) : RevertPlan
{
    public const string Kind = "delete-login-profile";
    public override string Describe() => $"remove the console password of user {UserName}";
}

/// <summary>Put back the role's last known good trust policy, which the audit table keeps; the
/// event does not carry the document it replaced.</summary>
public sealed record RestoreTrustPolicy(string RoleName) : RevertPlan
{
    public const string Kind = "restore-trust-policy";
    public override string Describe() => $"restore the last known good trust policy of role {RoleName}";
}

/// <summary>Make a version other than <see cref="UnwantedVersionId"/> the default again: the last
/// known good default if the audit table has one, else the newest older version.</summary>
public sealed record RestoreDefaultPolicyVersion(string PolicyArn, string UnwantedVersionId) : RevertPlan
{
    public const string Kind = "restore-default-policy-version";
    public override string Describe() => $"make the previous version of {PolicyArn} the default instead of {UnwantedVersionId}";
}

public sealed record RestoreMaxSessionDuration(string RoleName, int Seconds) : RevertPlan
{
    public const string Kind = "restore-max-session-duration";
    public override string Describe() => $"set the maximum session duration of role {RoleName} back to {Seconds} s";
}

/// <summary>Stop, never terminate: disks and data stay, and the owner can start them again.</summary>
public sealed record StopInstances(IReadOnlyList<string> InstanceIds) : RevertPlan
{
    public const string Kind = "stop-instances";
    public override string Describe() => $"stop {string.Join(", ", InstanceIds)} (not terminate)";
}

/// <summary>Turn one of DuoQ's own EventBridge rules back on: the exact undo of DisableRule, and
/// harmless if it is already on. <see cref="EventBusName"/> is null for the default bus.</summary>
public sealed record EnableRule(string RuleName, string? EventBusName) : RevertPlan
{
    public const string Kind = "enable-rule";
    public override string Describe() => $"enable EventBridge rule {RuleName} again";
}
