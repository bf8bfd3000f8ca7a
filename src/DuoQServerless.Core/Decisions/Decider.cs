using DuoQServerless.Core.Detection;
using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Policy;

namespace DuoQServerless.Core.Decisions;

/// <summary>Turns a finding into a decision under the policy. Pure: the resource's tags are looked
/// up by the caller and passed in.</summary>
public static class Decider
{
    /// <param name="resourceTags">Tags read from the resource now; merged with the tags the event itself set.</param>
    /// <param name="dryRun">A dry run asked for by the caller (<c>duoq replay --dry-run</c>); the policy's own dryRun also counts.</param>
    public static Decision Decide(Finding finding, GuardPolicy policy, IReadOnlyDictionary<string, string> resourceTags, bool dryRun)
    {
        var actor = finding.Actor;
        // The guards' own reverts come first: whatever the mode, acting on them would loop.
        if (Glob.MatchesAny(policy.SelfPrincipals, actor.Arn) || Glob.MatchesAny(policy.SelfPrincipals, actor.SessionIssuerArn))
            return new Decision.Ignore(IgnoreReason.OwnRevert, $"made by the guard role {actor.Display}");

        var settings = policy.For(finding.Risk);
        if (settings.Mode == PolicyMode.Off)
            return new Decision.Ignore(IgnoreReason.ModeOff, $"{finding.Risk.Id()} is off in the policy");

        // Self-protection takes no exemption: whoever turns DuoQ off, the deployer included, is reported.
        if (!GuardPolicy.BlockOf(finding.Risk).Exemptible) return Act(settings, finding, dryRun || policy.DryRun);

        var exemptions = settings.Exemptions;
        var exemptPrincipal = exemptions.Principals.FirstOrDefault(pattern =>
            Glob.Matches(pattern, actor.Arn ?? "") || Glob.Matches(pattern, actor.SessionIssuerArn ?? ""));
        if (exemptPrincipal is not null)
            return new Decision.Ignore(IgnoreReason.ExemptByPrincipal, $"{actor.Display} matches {exemptPrincipal}");

        var tag = exemptions.Tag;
        if (HasTag(resourceTags, tag) || HasTag(finding.Resource.Tags, tag))
            return new Decision.Ignore(IgnoreReason.ExemptByTag, $"{finding.Resource.Id} is tagged {tag.Key}={tag.Value}");

        return Act(settings, finding, dryRun || policy.DryRun);
    }

    // A dry run holds back the change only: the decision is still recorded and notified.
    private static Decision Act(RiskSettings settings, Finding finding, bool dry) =>
        settings.Mode switch
        {
            PolicyMode.Revert => new Decision.Revert(finding.Revert, dry),
            PolicyMode.Approve => new Decision.Approve(settings.Approval.Timeout, settings.Approval.OnTimeout, dry),
            PolicyMode.Notify => new Decision.Notify(dry),
            PolicyMode.Off => throw new InvalidOperationException("handled above"),
            _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Mode, "unknown mode"),
        };

    // Tag keys are case-sensitive in AWS; values compared the same way.
    private static bool HasTag(IReadOnlyDictionary<string, string> tags, ExemptionTag tag) =>
        tags.TryGetValue(tag.Key, out var value) && value == tag.Value;
}
