using System.Text;
using DuoQServerless.Core.Decisions;
using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Policy;

namespace DuoQServerless.Core.Notifications;

/// <summary>
/// Writes the notification for a finding: a subject a human reads at a glance
/// ("[DuoQ] Reverted: port 22 opened to 0.0.0.0/0 on sg-0abc by arn:..."), a body with the
/// facts, what to do next and the JSON finding, and filterable attributes.
/// </summary>
public static class NotificationComposer
{
    /// <param name="exemptionTag">The policy's exemption tag, named in the "start it again" advice.</param>
    public static Notification Compose(Finding finding, Decision decision, ActionResult result, ExemptionTag? exemptionTag = null)
    {
        // A change to DuoQ itself says so first: whatever else the reader skips, not that.
        var headline = finding.Risk == Risk.SelfProtection ? $"CRITICAL {Headline(finding, decision, result)}" : Headline(finding, decision, result);
        var body = new StringBuilder();
        body.AppendLine($"DuoQ: {headline.ToLowerInvariant()}: {finding.Summary}");
        body.AppendLine();
        body.AppendLine($"Decision:  {decision.Describe()}");
        body.AppendLine($"Result:    {ResultText(result)}");
        AppendFacts(body, finding);
        AppendNextSteps(body, finding, decision, result, exemptionTag ?? new ExemptionTag("duoq:exempt", "true"));
        AppendJson(body, finding);
        return new Notification(Subject(headline, finding), body.ToString(), Attributes(finding, decision.Action, decision.DryRun));
    }

    /// <summary>A person approved the finding: the change stays, and the resource is marked accepted.</summary>
    public static Notification ComposeApproved(Finding finding, string approvalId, string decidedBy, ActionResult mark)
    {
        var body = new StringBuilder();
        body.AppendLine($"DuoQ: approved by {decidedBy}, the change stays: {finding.Summary}");
        body.AppendLine($"Approval:  {approvalId}");
        body.AppendLine($"Marked:    {ResultText(mark)}");
        AppendFacts(body, finding);
        AppendJson(body, finding);
        return new Notification(Subject($"Approved by {decidedBy}", finding), body.ToString(), Attributes(finding, "approved", false));
    }

    /// <summary>For a risky call AWS refused: nothing changed, nothing to revert; worth knowing who tried.</summary>
    public static Notification ComposeAttempt(Finding attempted, string errorCode, string? errorMessage)
    {
        var body = new StringBuilder();
        body.AppendLine($"DuoQ: a risky call was attempted and refused by AWS ({errorCode}): {attempted.Summary}");
        body.AppendLine("Nothing changed in the account and nothing will be reverted.");
        if (errorMessage is not null) body.AppendLine($"AWS said: {errorMessage}");
        AppendFacts(body, attempted);
        AppendJson(body, attempted);
        return new Notification(Subject($"Attempted ({errorCode})", attempted), body.ToString(), Attributes(attempted, "attempted", false));
    }

    private static string Headline(Finding finding, Decision decision, ActionResult result) => (decision, result) switch
    {
        (Decision.Ignore, _) => "Ignored",
        ({ DryRun: true }, _) => decision is Decision.Approve ? "Would ask approval" : decision is Decision.Revert ? "Would revert" : "Detected (dry run)",
        (Decision.Revert { Plan: NothingToRestore }, _) => "Cannot restore",
        (Decision.Revert, ActionResult.Done) => "Reverted",
        (Decision.Revert, ActionResult.AlreadyDone) => "Already reverted",
        (Decision.Revert, ActionResult.Failed) => "Revert FAILED",
        (Decision.Revert, ActionResult.NotTaken) => "Not reverted",
        (Decision.Approve, ActionResult.Failed) => "Approval request FAILED",
        (Decision.Approve, _) => "Approval needed",
        (Decision.Notify, _) => "Detected",
        _ => throw new InvalidOperationException($"no headline for {decision.GetType().Name} / {result.GetType().Name}"),
    };

    /// <summary>"[DuoQ] {headline}: {summary} by {actor}", shortened to SNS's limit: the actor's
    /// ARN first gives way to its short form, then is cut or dropped (it is in the body), and only
    /// then is the summary cut with "...".</summary>
    public static string Subject(string headline, Finding finding)
    {
        const int limit = Notification.MaxSubjectLength;
        const int enoughOfTheActor = 16;
        var start = Ascii($"[DuoQ] {headline}: {finding.Summary}");
        var full = Ascii($"{start} by {finding.Actor.Display}");
        if (full.Length <= limit) return full;
        var shortActor = Ascii($"{start} by {ShortActor(finding.Actor.Display)}");
        if (shortActor.Length <= limit) return shortActor;
        if (start.Length + " by ".Length + enoughOfTheActor <= limit - 3) return shortActor[..(limit - 3)] + "...";
        return start.Length <= limit ? start : start[..(limit - 3)] + "...";
    }

    // arn:aws:sts::123456789012:assumed-role/QDeveloperAgent/session -> assumed-role/QDeveloperAgent/session
    private static string ShortActor(string arn) => arn.StartsWith("arn:", StringComparison.Ordinal) && arn.Split(':') is { Length: >= 6 } parts
        ? string.Join(':', parts[5..])
        : arn;

    // SNS subjects must be printable ASCII on one line.
    private static string Ascii(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text) builder.Append(c is >= ' ' and <= '~' ? c : c is '\r' or '\n' or '\t' ? ' ' : '?');
        return builder.ToString();
    }

    private static string ResultText(ActionResult result) => result switch
    {
        ActionResult.Done done => $"done: {done.Detail}",
        ActionResult.AlreadyDone already => $"nothing to do: {already.Detail}",
        ActionResult.Failed failed => $"FAILED: {failed.Error}",
        ActionResult.NotTaken => "no change made",
        _ => throw new InvalidOperationException(result.GetType().Name),
    };

    private static Dictionary<string, string> Attributes(Finding finding, string action, bool dryRun) => new()
    {
        ["risk"] = finding.Risk.Id(),
        ["severity"] = finding.Severity.Id(),
        ["action"] = action,
        ["dryRun"] = dryRun ? "true" : "false",
    };

    private static void AppendFacts(StringBuilder body, Finding finding)
    {
        var e = finding.Event;
        body.AppendLine($"Risk:      {finding.Risk.Id()} ({finding.Severity.Id()})");
        body.AppendLine($"Event:     {e.Name} ({e.Source}) {e.Id} at {e.Time:yyyy-MM-dd'T'HH:mm:ss'Z'} in {e.Region}, account {e.Account}");
        body.AppendLine($"Actor:     {finding.Actor.Display}" + (finding.Actor.SessionIssuerArn is { } issuer && issuer != finding.Actor.Arn ? $" (role {issuer})" : ""));
        body.AppendLine($"From:      {finding.Actor.SourceIpAddress ?? "unknown"}, {finding.Actor.UserAgent ?? "unknown agent"}");
        body.AppendLine($"Resource:  {finding.Resource.Type} {finding.Resource.Id}" + (finding.Resource.Arn is null ? "" : $" ({finding.Resource.Arn})"));
        body.AppendLine($"Revert:    {finding.Revert.Describe()}");
        foreach (var (name, value) in finding.Facts) body.AppendLine($"  {name}: {value}");
    }

    private static void AppendNextSteps(StringBuilder body, Finding finding, Decision decision, ActionResult result, ExemptionTag tag)
    {
        body.AppendLine();
        if (finding.Revert is NothingToRestore nothing && finding.Risk == Risk.RdsDelete)
            body.AppendLine($"Nothing can be restored: {nothing.Reason}.");
        if (finding.Risk == Risk.SelfProtection)
            body.AppendLine(finding.Revert is NothingToRestore undo
                ? $"DuoQ itself was changed, and it cannot undo this change: {undo.Reason}. If it was not your own deploy, treat it as an attempt to turn DuoQ off."
                : "DuoQ itself was changed. If it was not your own deploy, treat it as an attempt to turn DuoQ off.");
        if (finding.Revert is StopInstances stop && decision is Decision.Revert { DryRun: false } && result is ActionResult.Done or ActionResult.AlreadyDone)
        {
            var ids = string.Join(' ', stop.InstanceIds);
            body.AppendLine("The instances were stopped, not terminated: their disks and data are kept. If the size was intended,");
            body.AppendLine("tag them to exempt them and start them again:");
            body.AppendLine($"  aws ec2 create-tags --region {finding.Event.Region} --resources {ids} --tags Key={tag.Key},Value={tag.Value}");
            body.AppendLine($"  aws ec2 start-instances --region {finding.Event.Region} --instance-ids {ids}");
        }
        if (decision is Decision.Revert { DryRun: false } && result is ActionResult.Failed && finding.Revert is not NothingToRestore)
        {
            // The guard already retried what AWS may answer differently next time; a person must act now.
            body.AppendLine("The change is still in place. What to do:");
            body.AppendLine($"  1. Undo it by hand: {finding.Revert.Describe()}.");
            body.AppendLine("  2. Read the error above: Throttling, RequestLimitExceeded or a 5xx means AWS was busy after the");
            body.AppendLine("     guard's retries; AccessDenied or UnauthorizedOperation means the guard's role lacks a permission.");
            body.AppendLine($"  3. The finding {finding.Id} stays Failed in the audit table; a redelivered event will not retry it.");
        }
        if (decision is Decision.Approve approve && result is ActionResult.Done)
            body.AppendLine($"An approval request was sent. With no answer within {Durations.Format(approve.Timeout)} the change is {(approve.OnTimeout == TimeoutOutcome.Revert ? "reverted" : "kept")}.");
    }

    private static void AppendJson(StringBuilder body, Finding finding)
    {
        body.AppendLine();
        body.AppendLine("Finding (JSON):");
        body.AppendLine(FindingJson.SerializeIndented(finding));
    }
}
