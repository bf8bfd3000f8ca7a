using DuoQServerless.Core.Approval;
using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Policy;

namespace DuoQServerless.Core.Reporting;

/// <summary>
/// Which resource tags mean "exposed on purpose", read the way the guards read them. The
/// exemption tag is the policy's (key and value must both match, as the decider requires); the
/// approval tag is what the approval workflow writes on an approved resource
/// (<c>duoq:approved=&lt;approval id&gt;</c>); who approved is looked up from that id, or read
/// from an approved-by tag set by hand.
/// </summary>
public sealed record AcceptancePolicy(ExemptionTag ExemptTag)
{
    public const string ApprovedByTagKey = "duoq:approved-by";

    public static readonly AcceptancePolicy Default = new(new ExemptionTag("duoq:exempt", "true"));

    /// <summary>The exemption tag one risk's guard honours (a risk block may set its own).</summary>
    public static AcceptancePolicy For(GuardPolicy policy, Risk risk) => new(policy.For(risk).Exemptions.Tag);

    /// <summary>How the tags accept the resource, or null when they do not. An exemption wins over an approval.</summary>
    public Acceptance? Accept(IReadOnlyDictionary<string, string> tags)
    {
        // Tag keys and values are case-sensitive in AWS; the decider compares them the same way.
        if (tags.TryGetValue(ExemptTag.Key, out var exempt) && exempt == ExemptTag.Value)
            return new Acceptance(AcceptanceKind.Exempt, ExemptTag.Key, exempt, null);

        if (tags.TryGetValue(ApprovalTag.Key, out var approval))
        {
            var by = tags.TryGetValue(ApprovedByTagKey, out var named) && !string.IsNullOrWhiteSpace(named) ? named : null;
            return new Acceptance(AcceptanceKind.Approved, ApprovalTag.Key, string.IsNullOrWhiteSpace(approval) ? null : approval, by);
        }
        return null;
    }
}

/// <summary>Why a resource is accepted: the tag that says so and, for approvals, who approved.</summary>
public sealed record Acceptance(AcceptanceKind Kind, string Tag, string? TagValue, string? ApprovedBy)
{
    public AcceptedResource For(ExposureKind kind, string resourceId, string? name, string region, string exposure) =>
        new(kind, resourceId, name, region, Kind, Tag, TagValue, ApprovedBy, exposure);
}
