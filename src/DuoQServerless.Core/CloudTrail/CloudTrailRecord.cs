using System.Text.Json;

namespace DuoQServerless.Core.CloudTrail;

/// <summary>Who made the call, as CloudTrail's <c>userIdentity</c> says.</summary>
/// <param name="SessionIssuerArn">For assumed roles, the role behind the session
/// (<c>sessionContext.sessionIssuer.arn</c>): the stable name of an agent or a guard.</param>
public sealed record UserIdentity(
    string Type,
    string? Arn,
    string? PrincipalId,
    string? AccountId,
    string? SessionIssuerArn,
    string? UserName);

/// <summary>The EventBridge envelope around a CloudTrail record ("AWS API Call via CloudTrail").</summary>
public sealed record EventBridgeEnvelope(string? Id, string DetailType, string Source, string? Account, string? Region);

/// <summary>
/// One CloudTrail record with the fields the guards read. <see cref="RequestParameters"/> and
/// <see cref="ResponseElements"/> stay JSON (their shape differs per API) and are walked by each
/// detector; they are <see cref="JsonValueKind.Undefined"/> or <see cref="JsonValueKind.Null"/> when absent.
/// </summary>
public sealed record CloudTrailRecord(
    string EventId,
    DateTimeOffset EventTime,
    string EventSource,
    string EventName,
    string AwsRegion,
    UserIdentity UserIdentity,
    string? SourceIpAddress,
    string? UserAgent,
    JsonElement RequestParameters,
    JsonElement ResponseElements,
    string? ErrorCode,
    string? ErrorMessage,
    string? RecipientAccountId,
    EventBridgeEnvelope? Envelope)
{
    /// <summary>A call AWS refused: it changed nothing, so it is never reverted.</summary>
    public bool Failed => !string.IsNullOrEmpty(ErrorCode);

    /// <summary>The account the call acted on.</summary>
    public string AccountId => RecipientAccountId ?? Envelope?.Account ?? UserIdentity.AccountId ?? "";
}
