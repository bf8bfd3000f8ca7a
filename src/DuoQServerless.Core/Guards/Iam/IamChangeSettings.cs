using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Policy;

namespace DuoQServerless.Core.Guards.Iam;

/// <summary>
/// The iam-change block: managed policies that count as admin-like by name (glob patterns,
/// matched against the policy name or, for patterns starting "arn:", the whole ARN), and the
/// shortest maximum session duration the protected Amazon Q role may have; and the age past which
/// the compliance report lists an access key.
/// </summary>
public sealed record IamChangeSettings(IReadOnlyList<string> AdminPolicies, int MinSessionDuration)
{
    public static readonly IamChangeSettings Default = new(["AdministratorAccess", "IAMFullAccess", "PowerUserAccess"], 43200);

    public static readonly RiskBlock Block = new(Risk.IamChange, PolicyMode.Approve, ["adminPolicies", "minSessionDuration", "accessKeyMaxAgeDays"]);

    /// <summary>Days an access key may live before the compliance report lists it (CIS asks for rotation within 90).</summary>
    public int AccessKeyMaxAgeDays { get; init; } = 90;

    internal static IamChangeSettings Read(PolicyMap? map) => map is null
        ? Default
        : new(
            map.Texts("adminPolicies", Default.AdminPolicies, name => name.Trim().Length == 0 ? "empty policy name" : null),
            map.Int("minSessionDuration", Default.MinSessionDuration, 3600, 43200))
        {
            AccessKeyMaxAgeDays = map.Int("accessKeyMaxAgeDays", Default.AccessKeyMaxAgeDays, 1, 3650),
        };
}
