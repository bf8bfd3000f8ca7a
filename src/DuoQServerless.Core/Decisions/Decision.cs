using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Policy;

namespace DuoQServerless.Core.Decisions;

/// <summary>Why a finding is left alone.</summary>
public enum IgnoreReason
{
    /// <summary>The resource carries the exemption tag.</summary>
    ExemptByTag,
    /// <summary>The actor matches an exempt principal pattern.</summary>
    ExemptByPrincipal,
    /// <summary>The risk's mode is off.</summary>
    ModeOff,
    /// <summary>The change was made by a guard's own role (a revert): acting on it would loop.</summary>
    OwnRevert,
}

/// <summary>What a guard does with a finding: a closed set. <see cref="DryRun"/> marks "would have
/// done this": the decision is recorded and notified, nothing in the account changes.</summary>
public abstract record Decision
{
    private Decision() { }

    public abstract bool DryRun { get; init; }

    /// <summary>Undo the change now with the finding's plan.</summary>
    public sealed record Revert(RevertPlan Plan, bool DryRun) : Decision;

    /// <summary>Ask a human (Step Functions); reject reverts, silence means <see cref="OnTimeout"/>.</summary>
    public sealed record Approve(TimeSpan Timeout, TimeoutOutcome OnTimeout, bool DryRun) : Decision;

    /// <summary>Tell the topic, change nothing.</summary>
    public sealed record Notify(bool DryRun) : Decision;

    public sealed record Ignore(IgnoreReason Reason, string Detail) : Decision
    {
        // Ignoring changes nothing, so there is nothing a dry run would hold back.
        public override bool DryRun { get => false; init { } }
    }

    /// <summary>The SNS <c>action</c> attribute and audit value: revert | approve | notify | ignore.</summary>
    public string Action => this switch
    {
        Revert => "revert",
        Approve => "approve",
        Notify => "notify",
        Ignore => "ignore",
        _ => throw new InvalidOperationException(GetType().Name),
    };

    /// <summary>A sentence for logs and the notification body.</summary>
    public string Describe()
    {
        var text = this switch
        {
            Revert revert => $"revert: {revert.Plan.Describe()}",
            Approve approve => $"ask for approval within {Durations.Format(approve.Timeout)}; no answer means {approve.OnTimeout.Id()}",
            Notify => "notify only",
            Ignore ignore => $"ignore ({IgnoreReasonNames.Id(ignore.Reason)}): {ignore.Detail}",
            _ => throw new InvalidOperationException(GetType().Name),
        };
        return DryRun ? $"dry run, would {text}" : text;
    }
}

public static class IgnoreReasonNames
{
    public static string Id(IgnoreReason reason) => reason switch
    {
        IgnoreReason.ExemptByTag => "exempt-by-tag",
        IgnoreReason.ExemptByPrincipal => "exempt-by-principal",
        IgnoreReason.ModeOff => "mode-off",
        IgnoreReason.OwnRevert => "own-revert",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };
}
