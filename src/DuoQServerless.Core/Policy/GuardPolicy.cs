using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Guards.Iam;
using DuoQServerless.Core.Guards.Instances;
using DuoQServerless.Core.Guards.Rds;
using DuoQServerless.Core.Guards.Self;
using DuoQServerless.Core.Guards.Ssh;

namespace DuoQServerless.Core.Policy;

/// <summary>The tag that exempts a resource, looked up on the resource itself.</summary>
public sealed record ExemptionTag(string Key, string Value);

/// <param name="Principals">ARN glob patterns; a change by a matching actor (its ARN or, for an
/// assumed role, the role behind the session) is ignored.</param>
public sealed record Exemptions(ExemptionTag Tag, IReadOnlyList<string> Principals);

public sealed record ApprovalSettings(TimeSpan Timeout, TimeoutOutcome OnTimeout);

/// <summary>How one risk is handled, with the global exemptions and approval folded in.</summary>
public sealed record RiskSettings(PolicyMode Mode, Exemptions Exemptions, ApprovalSettings Approval);

/// <summary>
/// The guards' policy document, validated. Load it with <see cref="Parse"/> (YAML or JSON) or take
/// <see cref="Default"/> (the bundled default-policy.yaml).
/// </summary>
/// <param name="DryRun">Record what would be done and do nothing.</param>
/// <param name="ProtectedRole">The Amazon Q role whose every change is an IAM finding.</param>
/// <param name="SelfPrincipals">ARN patterns of the guards' own roles: their changes (reverts) are ignored so nothing loops.</param>
/// <param name="ReportRegions">Regions the compliance report covers.</param>
public sealed record GuardPolicy(
    bool DryRun,
    string ProtectedRole,
    IReadOnlyList<string> SelfPrincipals,
    IReadOnlyList<string> ReportRegions,
    IReadOnlyDictionary<Risk, RiskSettings> Risks,
    PublicSshSettings PublicSsh,
    RdsDeleteSettings RdsDelete,
    IamChangeSettings IamChange,
    OversizedInstanceSettings OversizedInstance)
{
    /// <summary>Every risk block the document accepts, in document order; detectors declare the same blocks.</summary>
    public static readonly IReadOnlyList<RiskBlock> Blocks =
    [
        PublicSshSettings.Block, RdsDeleteSettings.DeletionProtectionBlock, RdsDeleteSettings.Block,
        IamChangeSettings.Block, OversizedInstanceSettings.Block, SelfProtectionSettings.Block,
    ];

    /// <summary>Name glob patterns of DuoQ's own rules, functions, roles, state machine, topic and
    /// table (template.yaml adds "&lt;stack name&gt;-*"): any change to them is a self-protection finding.</summary>
    public IReadOnlyList<string> SelfResources { get; init; } = GuardPolicyParser.DefaultSelfResources;

    public RiskSettings For(Risk risk) => Risks[risk];

    public static RiskBlock BlockOf(Risk risk) => Blocks.Single(block => block.Risk == risk);

    public static PolicyLoad Parse(string text) => GuardPolicyParser.Parse(text);

    /// <summary>The bundled default document's text (YAML, commented).</summary>
    public static string DefaultDocument => defaultDocument.Value;

    /// <summary>The bundled default policy. A test proves it loads.</summary>
    public static GuardPolicy Default => defaultPolicy.Value;

    private static readonly Lazy<string> defaultDocument = new(() => EmbeddedData.Read("default-policy.yaml"));

    private static readonly Lazy<GuardPolicy> defaultPolicy = new(() => Parse(DefaultDocument) switch
    {
        PolicyLoad.Loaded loaded => loaded.Policy,
        PolicyLoad.Rejected rejected => throw new InvalidOperationException($"the bundled default policy is broken: {rejected}"),
        _ => throw new InvalidOperationException("unexpected policy load outcome"),
    });
}
