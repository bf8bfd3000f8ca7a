using DuoQServerless.Core.Approval;
using DuoQServerless.Core.Audit;
using DuoQServerless.Core.Reporting;
using DuoQServerless.Testing.Reporting;

namespace DuoQServerless.Tests.Reporting;

/// <summary>The "caught and done" part: what the audit table says the guards did in the period.</summary>
public sealed class CaughtAndDoneSpecs
{
    private static readonly ComplianceReport Report = ReportSamples.Full();

    [Fact]
    public void Findings_recorded_before_the_period_are_left_out()
    {
        Assert.Equal(7, Report.Activity.Findings.Count);
        Assert.DoesNotContain(Report.Activity.Findings, f => f.Id.StartsWith("ev-old", StringComparison.Ordinal));
        Assert.Equal(7, Report.Summary.FindingsCaught);
    }

    [Fact]
    public void Findings_are_counted_per_risk_and_decision()
    {
        Assert.Equal(
            [("iam-change", "approve", 2), ("oversized-instance", "approve", 2), ("public-ssh", "revert", 2), ("rds-delete", "notify", 1)],
            Report.Activity.ByRiskAndDecision.Select(c => (c.Risk, c.Decision, c.Count)));
    }

    [Fact]
    public void Every_revert_is_listed_with_what_triggered_it_and_how_it_ended()
    {
        Assert.Equal(
            [
                ("ev-1:public-ssh", RevertTrigger.Policy, RevertOutcome.Done, "rule removed"),
                ("ev-2:public-ssh", RevertTrigger.Policy, RevertOutcome.Failed, "AccessDenied"),
                ("ev-5:iam-change", RevertTrigger.Rejected, RevertOutcome.Done, "detached AdministratorAccess"),
                ("ev-6:iam-change", RevertTrigger.TimedOut, RevertOutcome.Done, "detached AdministratorAccess"),
            ],
            Report.Activity.Reverts.Select(r => (r.FindingId, r.Trigger, r.Outcome, r.Result!)));
        Assert.Equal((3, 1), (Report.Summary.Reverted, Report.Summary.RevertsFailed));
    }

    [Fact]
    public void Approvals_show_their_status_and_how_long_the_decision_took()
    {
        Assert.Equal(
            [
                ("ev-3:oversized-instance", ApprovalStatus.Pending, (double?)null),
                ("ev-4:oversized-instance", ApprovalStatus.Approved, 240),
                ("ev-5:iam-change", ApprovalStatus.Rejected, 720),
                ("ev-6:iam-change", ApprovalStatus.TimedOut, 3600),
            ],
            Report.Activity.Approvals.Select(a => (a.FindingId, a.Status, a.SecondsToDecision)));
        Assert.Equal((1, 1, 1, 1), (Report.Summary.ApprovalsPending, Report.Summary.ApprovalsApproved, Report.Summary.ApprovalsRejected, Report.Summary.ApprovalsTimedOut));
    }

    [Fact]
    public void Findings_are_counted_per_day_of_the_event_and_risk()
    {
        Assert.Equal(
            [
                ("2026-11-22", "public-ssh", 1),
                ("2026-11-23", "oversized-instance", 1), ("2026-11-23", "public-ssh", 1),
                ("2026-11-24", "iam-change", 2), ("2026-11-24", "oversized-instance", 1), ("2026-11-24", "rds-delete", 1),
            ],
            Report.Activity.FindingsPerDay.Select(d => (ReportTime.Day(d.Day), d.Risk, d.Count)));
    }

    [Fact]
    public void A_dry_run_describes_a_revert_but_is_not_listed_as_one()
    {
        var dryRun = ReportSamples.Entry("ev-9", "public-ssh", "revert", ReportSamples.Noon, AuditState.Done, "would revoke sgr-9", "dry run") with { DryRun = true };

        var activity = AuditActivity.From([dryRun]);

        Assert.Single(activity.Findings);
        Assert.Empty(activity.Reverts);
    }

    [Fact]
    public void Approval_facts_from_the_approval_store_replace_what_the_audit_entry_alone_says()
    {
        var entry = ReportSamples.Entry("ev-8", "iam-change", "approve", ReportSamples.Noon, AuditState.Done, "decided", "ok");
        var decided = ReportSamples.Noon.AddMinutes(30);

        var activity = AuditActivity.From([entry], _ => new ApprovalFacts(ApprovalStatus.Approved, ReportSamples.Noon, decided, "bob@example.com"));

        var approval = Assert.Single(activity.Approvals);
        Assert.Equal((ApprovalStatus.Approved, "bob@example.com", 1800d), (approval.Status, approval.DecidedBy, approval.SecondsToDecision));
    }

    [Fact]
    public void A_finished_approval_whose_outcome_the_audit_entry_does_not_name_is_not_guessed()
    {
        var entry = ReportSamples.Entry("ev-8", "iam-change", "approve", ReportSamples.Noon, AuditState.Done, "decided", "ok");

        Assert.Null(AuditActivity.FromAuditEntry(entry));
    }
}
