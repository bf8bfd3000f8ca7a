using System.Text.Json;
using System.Text.Json.Serialization;

namespace DuoQServerless.Core.Approval;

/// <summary>What the state machine does when no one decides before the timeout. Default: revert.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TimeoutMeans>))]
public enum TimeoutMeans
{
    [JsonStringEnumMemberName("revert")] Revert,
    [JsonStringEnumMemberName("approve")] Approve,
}

/// <summary>What the approver reads about a finding: in the email and on the confirmation page.</summary>
public sealed record ApprovalSummary
{
    public required string Risk { get; init; }
    public required string Resource { get; init; }
    /// <summary>The principal ARN that made the call (CloudTrail userIdentity.arn).</summary>
    public required string Actor { get; init; }
    public string? SourceIp { get; init; }
    public string? UserAgent { get; init; }
    /// <summary>One sentence: what happened.</summary>
    public required string Summary { get; init; }
    /// <summary>Estimated on-demand price in USD per hour, for findings that cost money.</summary>
    public decimal? CostPerHour { get; init; }
}

/// <summary>
/// The input of the approval state machine (statemachine/approval.asl.json), as the guard that
/// raised a finding in mode approve starts it. The finding stays opaque here: the state machine
/// hands it back unchanged to the guard's revert or approve entry point.
/// </summary>
public sealed record ApprovalExecutionInput
{
    public required JsonElement Finding { get; init; }
    /// <summary>The guard's own ARN (from its Lambda context): the state machine invokes it to revert or approve.</summary>
    public required string GuardFunctionArn { get; init; }
    public required int TimeoutSeconds { get; init; }
    public TimeoutMeans TimeoutMeans { get; init; } = TimeoutMeans.Revert;
    public required ApprovalSummary ApprovalSummary { get; init; }
}

/// <summary>
/// The message RequestApproval sends to the approval-requests queue: the execution input plus
/// the task token and the execution ARN. The request-approval function consumes it.
/// </summary>
public sealed record ApprovalRequestMessage
{
    public required string TaskToken { get; init; }
    public required string ExecutionArn { get; init; }
    public required JsonElement Finding { get; init; }
    public required string GuardFunctionArn { get; init; }
    public required int TimeoutSeconds { get; init; }
    public TimeoutMeans TimeoutMeans { get; init; } = TimeoutMeans.Revert;
    public required ApprovalSummary ApprovalSummary { get; init; }
}

/// <summary>
/// The output of SendTaskSuccess (an approval): the state machine puts it at $.decision and
/// passes approvalId, decidedBy and reason to the guard's approve entry point.
/// </summary>
public sealed record ApprovalTaskOutput
{
    public required string ApprovalId { get; init; }
    public required string DecidedBy { get; init; }
    public required DateTimeOffset DecidedAt { get; init; }
    public string? SourceIp { get; init; }
    /// <summary>"approved" here; the state machine's timeout branch sets "timeout".</summary>
    public string Reason { get; init; } = "approved";
}

/// <summary>The cause of SendTaskFailure with error <see cref="Error"/> (a rejection), as JSON.</summary>
public sealed record RejectionCause
{
    public const string Error = "Rejected";
    public required string ApprovalId { get; init; }
    public required string DecidedBy { get; init; }
    public required DateTimeOffset DecidedAt { get; init; }
    public string? SourceIp { get; init; }
}

/// <summary>The approval state machine's guard payloads, as its Approve and Revert states send them.</summary>
public static class ApprovalGuardPayload
{
    /// <summary>Payload key holding the finding to revert (after a rejection or a timeout that reverts).</summary>
    public const string Revert = "revert";
    /// <summary>Payload key holding the finding to mark approved (tag duoq:approved=&lt;approvalId&gt;).</summary>
    public const string Approved = "approved";
}
