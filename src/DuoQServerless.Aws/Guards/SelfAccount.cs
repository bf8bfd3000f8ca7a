using DuoQServerless.Aws.Events;
using DuoQServerless.Aws.Protocol;
using DuoQServerless.Core.Detection;
using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Notifications;

namespace DuoQServerless.Aws.Guards;

/// <summary>
/// The self guard's account: it reads no tags (no exemption applies to self-protection) and carries
/// out the one exact undo there is, enabling a disabled DuoQ rule again after reading its state.
/// The IAM actions it calls are the ones <see cref="Core.Guards.Self.SelfProtectionDetector"/> declares.
/// </summary>
public sealed class SelfAccount(EventBridgeClient events) : IGuardAccount
{
    private const string ResourceNotFound = "ResourceNotFoundException";
    private static readonly IReadOnlyDictionary<string, string> NoTags = new Dictionary<string, string>();

    /// <summary>None read: tags cannot exempt a change to DuoQ itself.</summary>
    public Task<IReadOnlyDictionary<string, string>> TagsOfAsync(AffectedResource resource, CancellationToken cancellationToken) =>
        Task.FromResult(NoTags);

    public Task<DetectionFacts> LookUpAsync(IReadOnlyList<FactRequest> requests, CancellationToken cancellationToken) =>
        Task.FromResult(DetectionFacts.None);

    public async Task<ActionResult> RevertAsync(RevertPlan plan, CancellationToken cancellationToken)
    {
        try
        {
            return plan switch
            {
                EnableRule enable => await EnableAsync(enable, cancellationToken),
                // Nothing has an exact undo: the notification says what to do instead.
                NothingToRestore => new ActionResult.NotTaken(),
                _ => new ActionResult.Failed($"the self guard does not carry out {plan.KindName} plans"),
            };
        }
        // Refused (AccessDenied) or throttled after retries: the finding stays open and the
        // critical notification says why.
        catch (AwsApiException e)
        {
            return new ActionResult.Failed($"{e.ErrorCode}: {e.ErrorMessage}");
        }
        // EventBridge unreachable after retries: the same, in the transport's words.
        catch (HttpRequestException e)
        {
            return new ActionResult.Failed($"EventBridge unreachable: {e.Message}");
        }
    }

    /// <summary>Self-protection has no approval mode: nothing to mark.</summary>
    public Task<ActionResult> MarkApprovedAsync(AffectedResource resource, string approvalId, CancellationToken cancellationToken) =>
        Task.FromResult<ActionResult>(new ActionResult.NotTaken());

    private async Task<ActionResult> EnableAsync(EnableRule plan, CancellationToken cancellationToken)
    {
        var rule = new RuleRequest(plan.RuleName, plan.EventBusName);
        RuleDescription current;
        try
        {
            current = await events.DescribeRuleAsync(rule, cancellationToken);
        }
        // Deleted since it was disabled: there is nothing to enable, and its DeleteRule is a finding of its own.
        catch (AwsApiException e) when (e.ErrorCode == ResourceNotFound)
        {
            return new ActionResult.AlreadyDone($"rule {plan.RuleName} no longer exists: nothing to enable; redeploy the stack to recreate it");
        }
        if (current.State == "ENABLED")
            return new ActionResult.AlreadyDone($"rule {plan.RuleName} is already enabled");
        await events.EnableRuleAsync(rule, cancellationToken);
        return new ActionResult.Done($"enabled rule {plan.RuleName} again");
    }
}
