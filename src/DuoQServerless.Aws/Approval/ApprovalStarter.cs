using System.Text;
using System.Text.Json;
using DuoQServerless.Aws.Protocol;
using DuoQServerless.Aws.StepFunctions;
using DuoQServerless.Core.Approval;
using DuoQServerless.Core.Decisions;
using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Notifications;
using DuoQServerless.Core.Policy;

namespace DuoQServerless.Aws.Approval;

/// <summary>Hands a finding in mode approve to the approval workflow.</summary>
public interface IApprovalStarter
{
    Task<ActionResult> StartAsync(Finding finding, Decision.Approve decision, string guardFunctionArn, CancellationToken cancellationToken);
}

/// <summary>Starts the approval state machine, named after the finding: a second start for the
/// same finding is refused by Step Functions (ExecutionAlreadyExists) and reported as already done.</summary>
public sealed class StepFunctionsApprovalStarter(StepFunctionsClient stepFunctions, string stateMachineArn) : IApprovalStarter
{
    public async Task<ActionResult> StartAsync(Finding finding, Decision.Approve decision, string guardFunctionArn, CancellationToken cancellationToken)
    {
        var input = new ApprovalExecutionInput
        {
            Finding = JsonSerializer.SerializeToElement(finding, FindingJsonContext.Default.Finding),
            GuardFunctionArn = guardFunctionArn,
            TimeoutSeconds = (int)Math.Clamp(decision.Timeout.TotalSeconds, 1, 365 * 24 * 3600),
            TimeoutMeans = decision.OnTimeout == TimeoutOutcome.Approve ? TimeoutMeans.Approve : TimeoutMeans.Revert,
            ApprovalSummary = new ApprovalSummary
            {
                Risk = finding.Risk.Id(),
                Resource = finding.Resource.Id,
                Actor = finding.Actor.Display,
                SourceIp = finding.Actor.SourceIpAddress,
                UserAgent = finding.Actor.UserAgent,
                Summary = finding.Summary,
                CostPerHour = finding.Facts.TryGetValue("usdPerHour", out var price) && decimal.TryParse(price, System.Globalization.CultureInfo.InvariantCulture, out var perHour) ? perHour : null,
            },
        };
        try
        {
            var started = await stepFunctions.StartExecutionAsync(new StartExecutionRequest(
                stateMachineArn, JsonSerializer.Serialize(input, ApprovalJson.Default.ApprovalExecutionInput), ExecutionName(finding.Id)), cancellationToken);
            return new ActionResult.Done($"approval requested: execution {started.ExecutionArn}");
        }
        // The same finding was handed over before (a redelivered event): one execution is enough.
        catch (AwsApiException e) when (e.ErrorCode == "ExecutionAlreadyExists")
        {
            return new ActionResult.AlreadyDone("an approval for this finding is already under way");
        }
        // Could not start (no permission, throttled after retries): recorded and notified, not lost.
        catch (AwsApiException e)
        {
            return new ActionResult.Failed($"could not start the approval workflow: {e.ErrorCode}: {e.ErrorMessage}");
        }
    }

    /// <summary>Execution names allow 80 characters of letters, digits, '-' and '_'.</summary>
    internal static string ExecutionName(string findingId)
    {
        var name = new StringBuilder(findingId.Length);
        foreach (var c in findingId) name.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_');
        return name.Length <= 80 ? name.ToString() : name.ToString(0, 80);
    }
}
