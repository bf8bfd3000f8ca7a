namespace DuoQServerless.Core.Iam;

/// <summary>A policy with the name evidence should show (inline policy name, managed policy ARN, "key policy").</summary>
public sealed record NamedPolicy(string Name, PolicyDocument Document);

/// <summary>How a resource policy combines with the caller's identity policies.</summary>
public enum ResourcePolicyRole
{
    /// <summary>
    /// The resource policy must allow: directly by naming the principal, or by naming the
    /// principal's account, which hands the decision to the identity policies. KMS key policies and
    /// role trust policies work this way.
    /// </summary>
    Required,

    /// <summary>Either side may allow (same-account S3 bucket or SNS topic policies).</summary>
    Either,
}

/// <summary>All the policies that bear on one request.</summary>
public sealed record PolicySet(
    IReadOnlyList<NamedPolicy> IdentityPolicies,
    NamedPolicy? ResourcePolicy = null,
    ResourcePolicyRole ResourcePolicyRole = ResourcePolicyRole.Required)
{
    public static PolicySet Identity(params NamedPolicy[] policies) => new(policies);

    public static PolicySet Resource(NamedPolicy resourcePolicy, params NamedPolicy[] identityPolicies) =>
        new(identityPolicies, resourcePolicy);
}

public enum AccessOutcome
{
    Allowed,
    /// <summary>A Deny statement applies: nothing else can allow it.</summary>
    ExplicitlyDenied,
    /// <summary>No statement allows it.</summary>
    ImplicitlyDenied,
}

/// <summary>A statement, with the policy it belongs to, for evidence.</summary>
public sealed record StatementRef(string PolicyName, PolicyStatement Statement)
{
    public override string ToString() => $"{PolicyName} {Statement.Label}";
}

/// <summary>A statement whose action matched the request but which did not apply, and why.</summary>
public sealed record NearMiss(StatementRef Statement, string Reason)
{
    public override string ToString() => $"{Statement}: {Reason}";
}

/// <summary>
/// The answer, with the statements that decided it: the applying Deny statements when denied,
/// the Allow statements that granted it when allowed. <see cref="NearMisses"/> lists statements
/// about the same action that did not apply (wrong resource, principal or condition).
/// </summary>
public sealed record AccessDecision(AccessOutcome Outcome, IReadOnlyList<StatementRef> DecidingStatements, IReadOnlyList<NearMiss> NearMisses)
{
    public bool IsAllowed => Outcome == AccessOutcome.Allowed;

    public override string ToString() => Outcome switch
    {
        AccessOutcome.Allowed => $"allowed by {string.Join(", ", DecidingStatements)}",
        AccessOutcome.ExplicitlyDenied => $"denied by {string.Join(", ", DecidingStatements)}",
        AccessOutcome.ImplicitlyDenied => NearMisses.Count == 0
            ? "no statement allows it"
            : $"no statement allows it ({string.Join("; ", NearMisses)})",
        _ => throw new ArgumentOutOfRangeException(nameof(Outcome), Outcome, null),
    };
}
