using System.Text.Json;
using DuoQServerless.Aws.Validation;
using DuoQServerless.Core.CloudTrail;

namespace DuoQServerless.Functions.Validation;

/// <summary>Why the validator runs. Closed: every event the function receives is one of these.</summary>
public abstract record ValidatorTrigger
{
    private ValidatorTrigger()
    {
    }

    /// <summary>Invoked by hand: <c>{}</c> or <c>{"action":"validate"}</c>.</summary>
    public sealed record OnDemand : ValidatorTrigger;

    /// <summary>The EventBridge schedule (every 6 hours by default).</summary>
    public sealed record Schedule(string? Time) : ValidatorTrigger;

    /// <summary>A CloudTrail event that changed the role, the identity provider or the key.</summary>
    public sealed record SetupChanged(string EventName, string? Actor) : ValidatorTrigger;

    /// <summary>An event that is not about this setup (another role, another key): nothing to validate.</summary>
    public sealed record Unrelated(string Reason) : ValidatorTrigger;

    /// <summary>Not an event the validator takes.</summary>
    public sealed record Invalid(string Reason) : ValidatorTrigger;

    public string Describe() => this switch
    {
        OnDemand => "on demand",
        Schedule s => s.Time is null ? "schedule" : $"schedule at {s.Time}",
        SetupChanged c => $"{c.EventName}{(c.Actor is null ? "" : $" by {c.Actor}")}",
        Unrelated u => $"unrelated event ({u.Reason})",
        Invalid i => $"invalid event ({i.Reason})",
        _ => throw new System.Diagnostics.UnreachableException(),
    };

    /// <summary>The CloudTrail events that change what the checks look at (template.yaml's rule matches these).</summary>
    public static IReadOnlyList<string> SetupEventNames { get; } =
    [
        "UpdateAssumeRolePolicy", "UpdateRole", "AttachRolePolicy", "DetachRolePolicy", "PutRolePolicy", "DeleteRolePolicy", "DeleteRole",
        "CreateOpenIDConnectProvider", "DeleteOpenIDConnectProvider", "UpdateOpenIDConnectProviderThumbprint",
        "AddClientIDToOpenIDConnectProvider", "RemoveClientIDFromOpenIDConnectProvider",
        "PutKeyPolicy", "DisableKey", "EnableKey", "ScheduleKeyDeletion", "CancelKeyDeletion",
    ];

    public static ValidatorTrigger From(JsonElement @event, ValidationTarget target)
    {
        if (@event.ValueKind != JsonValueKind.Object) return new Invalid($"the event is a JSON {@event.ValueKind.ToString().ToLowerInvariant()}, not an object");
        var detailType = Text(@event, "detail-type");
        if (detailType is null)
        {
            var action = Text(@event, "action");
            return action is null or "validate"
                ? new OnDemand()
                : new Invalid($"unknown action \"{action}\"; the validator takes {{}} or {{\"action\":\"validate\"}}");
        }
        if (detailType == "Scheduled Event") return new Schedule(Text(@event, "time"));
        if (detailType != CloudTrailParser.CloudTrailDetailType) return new Invalid($"detail-type \"{detailType}\" is neither a schedule nor a CloudTrail event");

        if (!@event.TryGetProperty("detail", out var detail) || detail.ValueKind != JsonValueKind.Object)
            return new Invalid("a CloudTrail event without a detail object");
        var eventName = Text(detail, "eventName") ?? "";
        if (!SetupEventNames.Contains(eventName, StringComparer.Ordinal)) return new Unrelated($"{eventName} does not change the setup");
        var parameters = detail.TryGetProperty("requestParameters", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        return Touches(eventName, Text(detail, "eventSource"), parameters, target)
            ? new SetupChanged(eventName, detail.TryGetProperty("userIdentity", out var who) && who.ValueKind == JsonValueKind.Object ? Text(who, "arn") : null)
            : new Unrelated($"{eventName} on something other than the role {target.RoleName}, a GitLab identity provider or the configured key");
    }

    private static bool Touches(string eventName, string? eventSource, JsonElement parameters, ValidationTarget target)
    {
        var parameter = (string name) => parameters.ValueKind == JsonValueKind.Object ? Text(parameters, name) : null;
        if (eventName.Contains("OpenIDConnectProvider", StringComparison.Ordinal))
        {
            // CreateOpenIDConnectProvider names the URL; the others the ARN. A missing one is read as "may be ours".
            var named = parameter("openIDConnectProviderArn") ?? parameter("url");
            return named is null || named.Contains("auth.token.gitlab.com/cc/oidc/", StringComparison.OrdinalIgnoreCase);
        }
        if (eventSource == "kms.amazonaws.com")
            return target.KmsKeyId is { } key && SameKey(parameter("keyId"), key);
        return string.Equals(parameter("roleName"), target.RoleName, StringComparison.Ordinal);
    }

    /// <summary>Ids and ARNs compare by the key id; an alias cannot be resolved here, so any key event may be ours.</summary>
    private static bool SameKey(string? eventKey, string configured)
    {
        if (eventKey is null || configured.Contains("alias/", StringComparison.Ordinal)) return true;
        static string KeyIdOf(string text) => text.LastIndexOf("key/", StringComparison.Ordinal) is var at and >= 0 ? text[(at + 4)..] : text;
        return string.Equals(KeyIdOf(eventKey), KeyIdOf(configured), StringComparison.OrdinalIgnoreCase);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
