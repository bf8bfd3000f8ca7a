using DuoQServerless.Aws.Approval;
using DuoQServerless.Aws.Audit;
using DuoQServerless.Aws.Guards;
using DuoQServerless.Aws.Notifications;
using DuoQServerless.Aws.Protocol;
using DuoQServerless.Core.Audit;
using DuoQServerless.Core.CloudTrail;
using DuoQServerless.Core.Decisions;
using DuoQServerless.Core.Detection;
using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Notifications;
using DuoQServerless.Core.Policy;
using DuoQServerless.Functions.Logging;

namespace DuoQServerless.Functions.Guards;

/// <summary>Everything one guard works with; built once per sandbox.</summary>
public sealed record GuardServices(
    Detector Detector,
    GuardPolicy Policy,
    IGuardAccount Account,
    AuditStore Audit,
    IFindingNotifier Notifier,
    IApprovalStarter Approvals,
    TimeProvider Clock);

/// <summary>Thrown when a revert asked for by the approval workflow failed, so that Step Functions
/// retries it and, after its retries, notifies; the failure is already in the audit table.</summary>
public sealed class RevertFailedException(string message) : Exception(message);

/// <summary>
/// One guard's work on one input: parse, detect, decide, record once, act, notify. Every outcome,
/// bad input included, is a <see cref="GuardReport"/>; nothing here throws for the account's or
/// the event's sake, so a bad event never becomes a retry loop. The one exception is the audit
/// table failing (<see cref="AuditUnavailableException"/>): the guard still acts and notifies, then
/// the invocation fails, so Lambda retries the event and finally dead-letters it.
/// </summary>
public sealed class GuardPipeline(GuardServices services)
{
    private Detector Detector => services.Detector;

    public async Task<GuardReport> HandleAsync(string input, string functionArn, LambdaLogger log, CancellationToken cancellationToken)
    {
        var gap = new AuditGap();
        var report = await HandleInputAsync(input, functionArn, gap, log, cancellationToken);
        // Acted and notified, but the audit table did not take the record: fail the invocation so
        // Lambda retries the event (the record is written once the table answers; every action is
        // idempotent) and, after its retries, keeps it in the dead-letter queue.
        if (gap.Failure is { } failure)
            throw failure;
        return report;
    }

    private async Task<GuardReport> HandleInputAsync(string input, string functionArn, AuditGap gap, LambdaLogger log, CancellationToken cancellationToken)
    {
        switch (GuardInput.Parse(input))
        {
            case GuardInput.Invalid invalid:
                log.Error("Invalid input: nothing done", ("field", invalid.Field), ("reason", invalid.Reason));
                return Report(null, null, "none", GuardStatus.Invalid, $"{invalid.Field}: {invalid.Reason}");
            case GuardInput.RevertRequested request:
                return await RevertAfterApprovalAsync(request, gap, log, cancellationToken);
            case GuardInput.ApprovalGranted granted:
                return await MarkApprovedAsync(granted, gap, log, cancellationToken);
            case GuardInput.Event { Record: var record }:
                return await HandleEventAsync(record, functionArn, gap, log, cancellationToken);
            default:
                throw new InvalidOperationException("unexpected guard input");
        }
    }

    private async Task<GuardReport> HandleEventAsync(CloudTrailRecord record, string functionArn, AuditGap gap, LambdaLogger log, CancellationToken cancellationToken)
    {
        var facts = Detector.FactsNeeded(record, services.Policy) is { Count: > 0 } needed
            ? await services.Account.LookUpAsync(needed, cancellationToken)
            : DetectionFacts.None;
        switch (Detector.Detect(record, services.Policy, facts))
        {
            case DetectionOutcome.NotForThisGuard other:
                log.Warn("Event not for this guard (check the rule's pattern)", ("eventId", record.EventId), ("eventName", record.EventName));
                return Report(record.EventId, null, "none", GuardStatus.NotForThisGuard, other.Reason);
            case DetectionOutcome.Benign benign:
                log.Debug("Benign event", ("eventId", record.EventId), ("reason", benign.Reason));
                return Report(record.EventId, null, "none", GuardStatus.Benign, benign.Reason);
            case DetectionOutcome.FailedCall failed:
                return await RecordAttemptAsync(failed, gap, log, cancellationToken);
            case DetectionOutcome.Detected { Finding: var finding }:
                return await ActOnFindingAsync(finding, functionArn, gap, log, cancellationToken);
            default:
                throw new InvalidOperationException("unexpected detection outcome");
        }
    }

    private async Task<GuardReport> ActOnFindingAsync(Finding finding, string functionArn, AuditGap gap, LambdaLogger log, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, string> tags;
        try
        {
            tags = await services.Account.TagsOfAsync(finding.Resource, cancellationToken);
        }
        // Without the resource's tags an exemption cannot be ruled out: act on nothing, but record
        // and notify the finding so it is not lost.
        catch (Exception e) when (e is AwsCallException or AwsApiException)
        {
            return await RecordUncheckedAsync(finding, e.Message, gap, log, cancellationToken);
        }
        var allTags = finding.Resource.Tags.Concat(tags).GroupBy(t => t.Key).ToDictionary(g => g.Key, g => g.Last().Value);
        var decision = Decider.Decide(finding, services.Policy, allTags, services.Policy.DryRun);
        if (decision is Decision.Ignore { Reason: IgnoreReason.OwnRevert })
            return Report(finding, decision, GuardStatus.NotTaken, decision.Describe()); // our own revert: recording it would only echo

        var begun = await BeginAsync(ToAuditEntry(finding, decision), gap, log, cancellationToken);
        if (begun is BeginOutcome.AlreadyRecorded { Existing: var existing })
        {
            log.Info("Finding already recorded: this delivery does nothing", ("findingId", finding.Id), ("state", existing.State.ToString()));
            return Report(finding, decision, GuardStatus.Duplicate, $"already recorded ({existing.State}): {existing.Action ?? existing.Decision}");
        }

        var result = await ActAsync(finding, decision, functionArn, cancellationToken);
        var state = decision is Decision.Approve && result is ActionResult.Done or ActionResult.AlreadyDone ? AuditState.AwaitingApproval : StateOf(result);
        await FinishAsync(finding.Id, state, decision.Describe(), Describe(result), gap, log, cancellationToken);
        log.Info($"Finding {decision.Action}: {Describe(result)}", ("findingId", finding.Id), ("risk", finding.Risk.Id()), ("resource", finding.Resource.Id), ("actor", finding.Actor.Display));

        if (decision is not Decision.Ignore)
            await NotifyAsync(NotificationComposer.Compose(finding, decision, result, services.Policy.For(finding.Risk).Exemptions.Tag), finding.Id, log, cancellationToken);
        return Report(finding, decision, StatusOf(result), Describe(result));
    }

    private async Task<ActionResult> ActAsync(Finding finding, Decision decision, string functionArn, CancellationToken cancellationToken) => decision switch
    {
        { DryRun: true } => new ActionResult.NotTaken(),
        Decision.Revert revert => await services.Account.RevertAsync(revert.Plan, cancellationToken),
        Decision.Approve approve => await services.Approvals.StartAsync(finding, approve, functionArn, cancellationToken),
        Decision.Notify or Decision.Ignore => new ActionResult.NotTaken(),
        _ => throw new InvalidOperationException(decision.GetType().Name),
    };

    private async Task<GuardReport> RecordUncheckedAsync(Finding finding, string error, AuditGap gap, LambdaLogger log, CancellationToken cancellationToken)
    {
        var detail = $"could not read the resource's tags to check exemptions, so nothing was changed: {error}";
        var decision = new Decision.Notify(services.Policy.DryRun);
        if (await BeginAsync(ToAuditEntry(finding, decision), gap, log, cancellationToken) is BeginOutcome.AlreadyRecorded)
            return Report(finding, decision, GuardStatus.Duplicate, "already recorded");
        var result = new ActionResult.Failed(detail);
        await FinishAsync(finding.Id, AuditState.Failed, "exemptions not checked", detail, gap, log, cancellationToken);
        log.Error("Finding not acted on: exemptions could not be checked", ("findingId", finding.Id), ("error", error));
        await NotifyAsync(NotificationComposer.Compose(finding, decision, result), finding.Id, log, cancellationToken);
        return Report(finding, decision, GuardStatus.Failed, detail);
    }

    private async Task<GuardReport> RecordAttemptAsync(DetectionOutcome.FailedCall failed, AuditGap gap, LambdaLogger log, CancellationToken cancellationToken)
    {
        var attempted = failed.Attempted;
        var detail = $"AWS refused the call ({failed.ErrorCode}): nothing changed, nothing reverted";
        var entry = ToAuditEntry(attempted, null) with { Decision = "none" };
        if (await BeginAsync(entry, gap, log, cancellationToken) is BeginOutcome.AlreadyRecorded)
            return Report(attempted, null, GuardStatus.Duplicate, "attempt already recorded");
        await FinishAsync(attempted.Id, AuditState.Done, "recorded as attempted", detail, gap, log, cancellationToken);
        log.Warn("Risky call attempted and refused by AWS", ("findingId", attempted.Id), ("errorCode", failed.ErrorCode));
        await NotifyAsync(NotificationComposer.ComposeAttempt(attempted, failed.ErrorCode, failed.ErrorMessage), attempted.Id, log, cancellationToken);
        return Report(attempted, null, GuardStatus.Attempted, detail);
    }

    private async Task<GuardReport> RevertAfterApprovalAsync(GuardInput.RevertRequested request, AuditGap gap, LambdaLogger log, CancellationToken cancellationToken)
    {
        var finding = request.Finding;
        var decision = new Decision.Revert(finding.Revert, services.Policy.DryRun);
        var result = decision.DryRun ? new ActionResult.NotTaken() : await services.Account.RevertAsync(finding.Revert, cancellationToken);
        var why = request.Reason ?? "rejected";
        await FinishAsync(finding.Id, StateOf(result), $"{decision.Describe()} (approval {why})", Describe(result), gap, log, cancellationToken);
        log.Info($"Revert after approval {why}: {Describe(result)}", ("findingId", finding.Id));
        if (result is ActionResult.Failed failed)
            throw new RevertFailedException($"Reverting {finding.Id} failed: {failed.Error}");
        await NotifyAsync(NotificationComposer.Compose(finding, decision, result), finding.Id, log, cancellationToken);
        return Report(finding, decision, StatusOf(result), Describe(result));
    }

    private async Task<GuardReport> MarkApprovedAsync(GuardInput.ApprovalGranted granted, AuditGap gap, LambdaLogger log, CancellationToken cancellationToken)
    {
        var finding = granted.Finding;
        var result = await services.Account.MarkApprovedAsync(finding.Resource, granted.ApprovalId, cancellationToken);
        var detail = $"approved by {granted.DecidedBy} (approval {granted.ApprovalId}); {Describe(result)}";
        await FinishAsync(finding.Id, result is ActionResult.Failed ? AuditState.Failed : AuditState.Done, "approved", detail, gap, log, cancellationToken);
        log.Info("Finding approved", ("findingId", finding.Id), ("approvalId", granted.ApprovalId), ("decidedBy", granted.DecidedBy));
        if (result is ActionResult.Failed failed)
            throw new RevertFailedException($"Marking {finding.Id} approved failed: {failed.Error}");
        await NotifyAsync(NotificationComposer.ComposeApproved(finding, granted.ApprovalId, granted.DecidedBy, result), finding.Id, log, cancellationToken);
        return Report(finding, null, StatusOf(result), detail) with { Action = "approved" };
    }

    /// <summary>Records the finding once. When the audit table fails the finding is handled as a
    /// first delivery: every action is idempotent (a revoked rule, a stopped instance, an execution
    /// named after the finding), and closing the port beats waiting for the table.</summary>
    private async Task<BeginOutcome> BeginAsync(AuditEntry entry, AuditGap gap, LambdaLogger log, CancellationToken cancellationToken)
    {
        try
        {
            return await services.Audit.TryBeginAsync(entry, services.Clock.GetUtcNow(), cancellationToken);
        }
        // Refused, throttled past retries or unreachable: act and notify now, fail the invocation after.
        catch (AuditUnavailableException e)
        {
            log.Error("Finding not recorded in the audit table; acting and notifying, then failing the invocation so the event is retried",
                ("findingId", entry.Id), ("error", e.Message));
            gap.Failure ??= e;
            return new BeginOutcome.Taken();
        }
    }

    private async Task FinishAsync(string findingId, AuditState state, string action, string result, AuditGap gap, LambdaLogger log, CancellationToken cancellationToken)
    {
        try
        {
            await services.Audit.FinishAsync(findingId, state, action, result, services.Clock.GetUtcNow(), cancellationToken);
        }
        // What was done still reaches the log and the notification; the invocation fails after.
        catch (AuditUnavailableException e)
        {
            log.Error("Audit item not updated with the outcome", ("findingId", findingId), ("state", state.ToString()), ("result", result), ("error", e.Message));
            gap.Failure ??= e;
        }
    }

    /// <summary>The first audit write of one invocation that failed, if any.</summary>
    private sealed class AuditGap
    {
        public AuditUnavailableException? Failure { get; set; }
    }

    private async Task NotifyAsync(Notification notification, string findingId, LambdaLogger log, CancellationToken cancellationToken)
    {
        if (await services.Notifier.PublishAsync(notification, cancellationToken) is NotifyOutcome.NotSent notSent)
            log.Error("Notification not sent; the finding is recorded in the audit table", ("findingId", findingId), ("error", notSent.Error));
    }

    private static AuditEntry ToAuditEntry(Finding finding, Decision? decision) => new()
    {
        Id = finding.Id,
        Risk = finding.Risk.Id(),
        Severity = finding.Severity.Id(),
        EventId = finding.Event.Id,
        EventName = finding.Event.Name,
        EventTime = finding.Event.Time,
        Account = finding.Event.Account,
        Region = finding.Event.Region,
        ActorArn = finding.Actor.Display,
        SourceIp = finding.Actor.SourceIpAddress,
        UserAgent = finding.Actor.UserAgent,
        Resource = finding.Resource.Id,
        Summary = finding.Summary,
        Decision = decision?.Action ?? "none",
        DryRun = decision?.DryRun ?? false,
        FindingJson = FindingJson.Serialize(finding),
    };

    private static AuditState StateOf(ActionResult result) => result switch
    {
        ActionResult.Failed => AuditState.Failed,
        ActionResult.Done or ActionResult.AlreadyDone or ActionResult.NotTaken => AuditState.Done,
        _ => throw new InvalidOperationException(result.GetType().Name),
    };

    private static string StatusOf(ActionResult result) => result switch
    {
        ActionResult.Done => GuardStatus.Done,
        ActionResult.AlreadyDone => GuardStatus.AlreadyDone,
        ActionResult.Failed => GuardStatus.Failed,
        ActionResult.NotTaken => GuardStatus.NotTaken,
        _ => throw new InvalidOperationException(result.GetType().Name),
    };

    private static string Describe(ActionResult result) => result switch
    {
        ActionResult.Done done => done.Detail,
        ActionResult.AlreadyDone already => already.Detail,
        ActionResult.Failed failed => failed.Error,
        ActionResult.NotTaken => "nothing changed",
        _ => throw new InvalidOperationException(result.GetType().Name),
    };

    private static GuardReport Report(Finding finding, Decision? decision, string status, string detail) =>
        new(finding.Event.Id, finding.Risk.Id(), decision?.Action ?? "none", decision is null ? "none" : ActionName(decision), status, finding.Id, detail);

    private static GuardReport Report(string? eventId, string? findingId, string decision, string status, string detail) =>
        new(eventId, "none", decision, "none", status, findingId, detail);

    // What was (or in a dry run, would have been) done: the replay line's "action".
    private static string ActionName(Decision decision) => decision switch
    {
        Decision.Revert revert => (decision.DryRun ? "would-" : "") + revert.Plan.KindName,
        Decision.Approve => (decision.DryRun ? "would-" : "") + "request-approval",
        Decision.Notify => "notify",
        Decision.Ignore ignore => IgnoreReasonNames.Id(ignore.Reason),
        _ => throw new InvalidOperationException(decision.GetType().Name),
    };
}
