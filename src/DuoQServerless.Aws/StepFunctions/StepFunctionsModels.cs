using System.Text.Json;
using System.Text.Json.Serialization;
using DuoQServerless.Aws.Protocol;

namespace DuoQServerless.Aws.StepFunctions;

// Request and response records of the Step Functions JSON 1.0 API; member names map to the
// API's camelCase names (see StepFunctionsJsonContext). Inputs and outputs are JSON text.

[JsonConverter(typeof(JsonStringEnumConverter<ExecutionStatus>))]
public enum ExecutionStatus
{
    [JsonStringEnumMemberName("RUNNING")] Running,
    [JsonStringEnumMemberName("SUCCEEDED")] Succeeded,
    [JsonStringEnumMemberName("FAILED")] Failed,
    [JsonStringEnumMemberName("TIMED_OUT")] TimedOut,
    [JsonStringEnumMemberName("ABORTED")] Aborted,
    [JsonStringEnumMemberName("PENDING_REDRIVE")] PendingRedrive,
}

[JsonConverter(typeof(JsonStringEnumConverter<StateMachineType>))]
public enum StateMachineType
{
    [JsonStringEnumMemberName("STANDARD")] Standard,
    [JsonStringEnumMemberName("EXPRESS")] Express,
}

/// <param name="Input">The execution input as JSON text; <c>{}</c> when null.</param>
/// <param name="Name">Unique per state machine for 90 days; AWS picks one when null.</param>
public sealed record StartExecutionRequest(string StateMachineArn, string? Input = null, string? Name = null);

public sealed record StartExecutionResponse(
    string ExecutionArn,
    [property: JsonConverter(typeof(EpochSecondsConverter))] DateTimeOffset StartDate);

public sealed record DescribeExecutionRequest(string ExecutionArn);

public sealed record ExecutionDescription(
    string ExecutionArn,
    string StateMachineArn,
    string? Name,
    ExecutionStatus Status,
    [property: JsonConverter(typeof(EpochSecondsConverter))] DateTimeOffset StartDate,
    [property: JsonConverter(typeof(EpochSecondsConverter))] DateTimeOffset? StopDate,
    string? Input,
    string? Output,
    string? Error,
    string? Cause);

/// <param name="Output">The task's result as JSON text.</param>
public sealed record SendTaskSuccessRequest(string TaskToken, string Output);

public sealed record SendTaskFailureRequest(string TaskToken, string? Error = null, string? Cause = null);

public sealed record SendTaskHeartbeatRequest(string TaskToken);

public sealed record StopExecutionRequest(string ExecutionArn, string? Error = null, string? Cause = null);

/// <param name="StopDate">When the execution stopped; null when the service leaves it out (moto 5.2.1 does).</param>
public sealed record StopExecutionResponse(
    [property: JsonConverter(typeof(EpochSecondsConverter))] DateTimeOffset? StopDate);

public sealed record StateMachineTag(string Key, string Value);

/// <param name="Definition">The Amazon States Language document.</param>
public sealed record CreateStateMachineRequest(string Name, string Definition, string RoleArn)
{
    public StateMachineType? Type { get; init; }

    public IReadOnlyList<StateMachineTag>? Tags { get; init; }
}

public sealed record CreateStateMachineResponse(
    string StateMachineArn,
    [property: JsonConverter(typeof(EpochSecondsConverter))] DateTimeOffset CreationDate);

public sealed record GetExecutionHistoryRequest(string ExecutionArn)
{
    /// <summary>Newest event first when true.</summary>
    public bool? ReverseOrder { get; init; }

    /// <summary>Leave inputs and outputs out of the event details when false.</summary>
    public bool? IncludeExecutionData { get; init; }

    /// <summary>Events per page (1 to 1000); the service default when null.</summary>
    public int? PageSize { get; init; }
}

/// <summary>One event of an execution's history, e.g. <c>TaskStateEntered</c> or <c>ExecutionSucceeded</c>.</summary>
public sealed record HistoryEvent
{
    public long Id { get; init; }

    public long? PreviousEventId { get; init; }

    public string Type { get; init; } = string.Empty;

    [JsonConverter(typeof(EpochSecondsConverter))]
    public DateTimeOffset Timestamp { get; init; }

    /// <summary>Every other member, among them the one <c>…EventDetails</c> object of this event type.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement> Extra { get; set; } = [];

    /// <summary>The event's details object (<c>taskSubmittedEventDetails</c>, <c>stateEnteredEventDetails</c>...), if any.</summary>
    [JsonIgnore]
    public JsonElement? Details =>
        Extra.FirstOrDefault(p => p.Key.EndsWith("EventDetails", StringComparison.Ordinal) && p.Value.ValueKind == JsonValueKind.Object) is { Key: not null } details
            ? details.Value
            : null;

    /// <summary>A string member of the details, e.g. <c>name</c> (state), <c>input</c>, <c>output</c>, <c>error</c>, <c>cause</c>, <c>resource</c>.</summary>
    public string? Detail(string name) =>
        Details is { } details && details.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

// The paged request as sent: the public request plus the page token.
internal sealed record GetExecutionHistoryPage(
    string ExecutionArn,
    bool? ReverseOrder,
    bool? IncludeExecutionData,
    int? MaxResults,
    string? NextToken);

internal sealed record GetExecutionHistoryResponse(IReadOnlyList<HistoryEvent> Events, string? NextToken);

internal sealed record EmptyResponse;
