using System.Text.Json.Serialization;
using DuoQServerless.Aws.Protocol;

namespace DuoQServerless.Aws.Events;

/// <summary>A rule on an event bus; a null bus is the account's default bus.</summary>
public sealed record RuleRequest(string Name, string? EventBusName = null);

/// <summary>What DescribeRule answers that the self guard reads: the rule's state (ENABLED, DISABLED...).</summary>
public sealed record RuleDescription(string? Name, string? Arn, string? State, string? EventPattern);

public sealed record EventBridgeEmpty;

/// <summary>EventBridge's body names are PascalCase, as written; nulls are left out.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RuleRequest))]
[JsonSerializable(typeof(RuleDescription))]
[JsonSerializable(typeof(EventBridgeEmpty))]
internal sealed partial class EventBridgeJsonContext : JsonSerializerContext;

/// <summary>
/// The EventBridge operations the self guard uses, over the JSON 1.1 protocol
/// (<c>X-Amz-Target: AWSEvents.{Operation}</c>). Errors are <see cref="AwsApiException"/> with
/// EventBridge's codes (ResourceNotFoundException, AccessDeniedException...).
/// </summary>
public sealed class EventBridgeClient(JsonProtocolClient json)
{
    private static readonly EventBridgeJsonContext Types = EventBridgeJsonContext.Default;

    public static EventBridgeClient For(AwsClientFactory aws) => new(aws.JsonClient(AwsService.EventBridge));

    public Task<RuleDescription> DescribeRuleAsync(RuleRequest rule, CancellationToken cancellationToken = default) =>
        json.InvokeAsync("DescribeRule", rule, Types.RuleRequest, Types.RuleDescription, cancellationToken);

    public Task EnableRuleAsync(RuleRequest rule, CancellationToken cancellationToken = default) =>
        json.InvokeAsync("EnableRule", rule, Types.RuleRequest, Types.EventBridgeEmpty, cancellationToken);
}
