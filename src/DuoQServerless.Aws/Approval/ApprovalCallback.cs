using System.Text.Json;
using DuoQServerless.Core.Approval;

namespace DuoQServerless.Aws.Approval;

/// <summary>
/// The approval-callback function's logic. GET only shows a confirmation page (mail scanners
/// prefetch links). POST checks the link, records the decision once (conditional write) and
/// only then tells Step Functions with the stored task token; if Step Functions no longer
/// waits, the record says the decision came too late, and if it cannot be reached, the
/// decision is undone so the person can press again.
/// </summary>
public sealed class ApprovalCallback(ApprovalStore store, ITaskCallbacks tasks, ApprovalLink links, TimeProvider time)
{
    /// <summary>Recorded as decidedBy when the approver leaves the name field empty.</summary>
    public const string Anonymous = "someone with the link";

    public async Task<CallbackResponse> HandleAsync(CallbackRequest request, CancellationToken cancellationToken = default)
    {
        var isPost = string.Equals(request.Method, "POST", StringComparison.OrdinalIgnoreCase);
        if (!isPost && !string.Equals(request.Method, "GET", StringComparison.OrdinalIgnoreCase))
            return ApprovalPages.MethodNotAllowed();

        try
        {
            return await AnswerAsync(request, isPost, cancellationToken);
        }
        // The approvals table refused or could not be reached: nothing was decided, the person may
        // press again later; the page says so and the log says why.
        catch (Exception e) when (Guards.AwsErrors.Translate(e, cancellationToken) is { } translated)
        {
            return ApprovalPages.Unavailable() with { Problem = translated.Message };
        }
        catch (Protocol.AwsApiException e)
        {
            return ApprovalPages.Unavailable() with { Problem = $"{e.ErrorCode}: {e.ErrorMessage}" };
        }
    }

    private async Task<CallbackResponse> AnswerAsync(CallbackRequest request, bool isPost, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var check = links.Verify(request.ApprovalId, request.Query.GetValueOrDefault("d"), request.Query.GetValueOrDefault("exp"),
            request.Query.GetValueOrDefault("sig"), now);
        return check switch
        {
            LinkCheck.Valid valid when isPost => await DecideAsync(valid, request, now, cancellationToken),
            LinkCheck.Valid valid => await ShowAsync(valid, now, cancellationToken),
            LinkCheck.Expired expired => ApprovalPages.LinkExpired(expired.ExpiresAt),
            LinkCheck.BadSignature or LinkCheck.Malformed => ApprovalPages.InvalidLink(),
            _ => throw new InvalidOperationException($"unhandled link check {check}"),
        };
    }

    private async Task<CallbackResponse> ShowAsync(LinkCheck.Valid link, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(link.ApprovalId, cancellationToken) is not { } approval) return ApprovalPages.NotFound();
        return approval.Status switch
        {
            ApprovalStatus.Pending when approval.ExpiresAt <= now => ApprovalPages.TimedOut(approval),
            ApprovalStatus.Pending => ApprovalPages.Confirmation(approval, link.Decision),
            ApprovalStatus.Approved or ApprovalStatus.Rejected or ApprovalStatus.TimedOut => ApprovalPages.AlreadyDecided(approval),
            _ => throw new InvalidOperationException($"unhandled status {approval.Status}"),
        };
    }

    private async Task<CallbackResponse> DecideAsync(LinkCheck.Valid link, CallbackRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var typed = request.Form.GetValueOrDefault(ApprovalPages.DecidedByField);
        var decider = new Decider(
            string.IsNullOrWhiteSpace(typed) ? Anonymous : ApprovalEmail.OneLine(typed, 80),
            request.SourceIp is { } ip ? ApprovalEmail.OneLine(ip, 64) : null,
            request.UserAgent is { } ua ? ApprovalEmail.OneLine(ua, 300) : null,
            now);

        var outcome = await store.TryDecideAsync(link.ApprovalId, link.Decision, decider, cancellationToken);
        switch (outcome)
        {
            case DecideOutcome.NotFound:
                return ApprovalPages.NotFound();
            case DecideOutcome.AlreadyDecided already:
                return ApprovalPages.AlreadyDecided(already.Record);
            case DecideOutcome.PastDeadline past:
                return ApprovalPages.TimedOut(past.Record);
            case DecideOutcome.Decided decided:
                var sent = await SendAsync(decided.Record, link.Decision, decider, cancellationToken);
                return sent switch
                {
                    TaskCallbackOutcome.Delivered => ApprovalPages.Decided(decided.Record),
                    TaskCallbackOutcome.NoLongerWaiting => ApprovalPages.TimedOut(await store.RecordTooLateAsync(decided.Record, now, cancellationToken)),
                    TaskCallbackOutcome.Unavailable unavailable => await UndoAsync(decided.Record, now, cancellationToken) with { Problem = unavailable.Reason },
                    _ => throw new InvalidOperationException($"unhandled callback outcome {sent}"),
                };
            default:
                throw new InvalidOperationException($"unhandled decide outcome {outcome}");
        }
    }

    private async Task<CallbackResponse> UndoAsync(ApprovalRecord decided, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await store.UndoDecisionAsync(decided, now, cancellationToken);
        return ApprovalPages.Unavailable();
    }

    private async Task<TaskCallbackOutcome> SendAsync(ApprovalRecord approval, ApprovalDecision decision, Decider decider, CancellationToken cancellationToken)
    {
        try
        {
            return decision switch
            {
                ApprovalDecision.Approve => await tasks.SendTaskSuccessAsync(approval.TaskToken, JsonSerializer.Serialize(new ApprovalTaskOutput
                {
                    ApprovalId = approval.ApprovalId, DecidedBy = decider.Name, DecidedAt = decider.At, SourceIp = decider.SourceIp,
                }, ApprovalJson.Default.ApprovalTaskOutput), cancellationToken),
                ApprovalDecision.Reject => await tasks.SendTaskFailureAsync(approval.TaskToken, RejectionCause.Error, JsonSerializer.Serialize(new RejectionCause
                {
                    ApprovalId = approval.ApprovalId, DecidedBy = decider.Name, DecidedAt = decider.At, SourceIp = decider.SourceIp,
                }, ApprovalJson.Default.RejectionCause), cancellationToken),
                _ => throw new ArgumentOutOfRangeException(nameof(decision), decision, null),
            };
        }
        // The client failed before Step Functions answered (network, credentials): the decision may not
        // have arrived, so it is undone and the person may press again. Cancellation still ends the call.
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new TaskCallbackOutcome.Unavailable(e.Message);
        }
    }
}
