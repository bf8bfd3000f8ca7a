using DuoQServerless.Core.Approval;
using DuoQServerless.Core.Audit;

namespace DuoQServerless.Core.Reporting;

/// <summary>Turns the audit entries of a period into the report's "caught and done" section.</summary>
public static class AuditActivity
{
    public static CaughtAndDone From(IEnumerable<AuditEntry> entries, ApprovalFactsReader? approvals = null)
    {
        approvals ??= FromAuditEntry;
        var ordered = entries.OrderBy(e => e.EventTime).ThenBy(e => e.Id, StringComparer.Ordinal).ToList();
        var withApproval = ordered.Select(e => (Entry: e, Approval: approvals(e))).ToList();

        return new CaughtAndDone
        {
            Findings = [.. ordered.Select(Line)],
            ByRiskAndDecision =
            [
                .. ordered.GroupBy(e => (e.Risk, e.Decision))
                    .Select(g => new RiskDecisionCount(g.Key.Risk, g.Key.Decision, g.Count()))
                    .OrderBy(c => c.Risk, StringComparer.Ordinal).ThenBy(c => c.Decision, StringComparer.Ordinal),
            ],
            Reverts = [.. withApproval.Select(x => Revert(x.Entry, x.Approval)).OfType<RevertLine>()],
            Approvals = [.. withApproval.Where(x => x.Approval is not null).Select(x => Approval(x.Entry, x.Approval!))],
            FindingsPerDay =
            [
                .. ordered.GroupBy(e => (Day: DateOnly.FromDateTime(e.EventTime.UtcDateTime), e.Risk))
                    .Select(g => new DailyRiskCount(g.Key.Day, g.Key.Risk, g.Count()))
                    .OrderBy(c => c.Day).ThenBy(c => c.Risk, StringComparer.Ordinal),
            ],
        };
    }

    /// <summary>
    /// What an audit entry alone says about its approval, until the approval store records more:
    /// a finding decided "approve" is pending while awaiting a person; once finished, the action
    /// the workflow recorded names the outcome ("approved", "rejected", "timed out"). An outcome
    /// the action does not name is not guessed: the entry is left out of the approvals list.
    /// </summary>
    public static ApprovalFacts? FromAuditEntry(AuditEntry entry)
    {
        if (!IsDecision(entry, "approve")) return null;
        return entry.State switch
        {
            AuditState.AwaitingApproval or AuditState.InProgress => new ApprovalFacts(ApprovalStatus.Pending, entry.CreatedAt, null, null),
            AuditState.Done or AuditState.Failed => OutcomeNamedBy(entry.Action) is { } status
                ? new ApprovalFacts(status, entry.CreatedAt, entry.UpdatedAt, null)
                : null,
            _ => throw new ArgumentOutOfRangeException(nameof(entry), entry.State, "unknown audit state"),
        };
    }

    private static ApprovalStatus? OutcomeNamedBy(string? action)
    {
        if (string.IsNullOrEmpty(action)) return null;
        if (Has(action, "timed out") || Has(action, "timed-out") || Has(action, "timeout")) return ApprovalStatus.TimedOut;
        if (Has(action, "reject")) return ApprovalStatus.Rejected;
        if (Has(action, "approved")) return ApprovalStatus.Approved;
        return null;

        static bool Has(string text, string word) => text.Contains(word, StringComparison.OrdinalIgnoreCase);
    }

    private static CaughtFinding Line(AuditEntry e) => new(
        e.Id, e.Risk, e.Severity, e.EventName, e.EventTime, e.Region, e.ActorArn, e.Resource, e.Summary, e.Decision, e.DryRun,
        State(e.State), e.Action, e.Result);

    /// <summary>
    /// A revert is decided by policy, or follows a rejected or timed-out approval (the state
    /// machine invokes the guard to revert). A dry run describes a revert but does none.
    /// </summary>
    private static RevertLine? Revert(AuditEntry e, ApprovalFacts? approval)
    {
        if (e.DryRun) return null;
        RevertTrigger? trigger = IsDecision(e, "revert") ? RevertTrigger.Policy
            : approval?.Status switch
            {
                ApprovalStatus.Rejected => RevertTrigger.Rejected,
                ApprovalStatus.TimedOut => RevertTrigger.TimedOut,
                ApprovalStatus.Pending or ApprovalStatus.Approved or null => null,
                _ => throw new ArgumentOutOfRangeException(nameof(approval), approval.Status, "unknown approval status"),
            };
        if (trigger is null) return null;
        var outcome = e.State switch
        {
            AuditState.Done => RevertOutcome.Done,
            AuditState.Failed => RevertOutcome.Failed,
            AuditState.InProgress or AuditState.AwaitingApproval => RevertOutcome.InProgress,
            _ => throw new ArgumentOutOfRangeException(nameof(e), e.State, "unknown audit state"),
        };
        return new RevertLine(e.Id, e.Risk, e.Resource, e.Region, e.ActorArn, e.EventTime, trigger.Value, outcome, e.Action, e.Result);
    }

    private static ApprovalLine Approval(AuditEntry e, ApprovalFacts facts)
    {
        var seconds = facts.DecidedAt is { } decided ? Math.Max(0, (decided - facts.RequestedAt).TotalSeconds) : (double?)null;
        return new ApprovalLine(e.Id, e.Risk, e.Resource, e.Region, e.ActorArn, facts.Status, facts.RequestedAt, facts.DecidedAt, facts.DecidedBy, seconds);
    }

    private static FindingState State(AuditState state) => state switch
    {
        AuditState.InProgress => FindingState.InProgress,
        AuditState.Done => FindingState.Done,
        AuditState.Failed => FindingState.Failed,
        AuditState.AwaitingApproval => FindingState.AwaitingApproval,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "unknown audit state"),
    };

    private static bool IsDecision(AuditEntry e, string decision) => string.Equals(e.Decision, decision, StringComparison.OrdinalIgnoreCase);
}
