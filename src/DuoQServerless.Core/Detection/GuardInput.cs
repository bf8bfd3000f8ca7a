using System.Text.Json;
using DuoQServerless.Core.CloudTrail;
using DuoQServerless.Core.Findings;

namespace DuoQServerless.Core.Detection;

/// <summary>What a guard function is invoked with: a CloudTrail event from its rule, or from the
/// approval state machine <c>{"revert": finding, "reason"}</c> after a reject or timeout, or
/// <c>{"approved": finding, "approvalId", "decidedBy"}</c> after a person approved.</summary>
public abstract record GuardInput
{
    private GuardInput() { }

    public sealed record Event(CloudTrailRecord Record) : GuardInput;

    public sealed record RevertRequested(Finding Finding, string? Reason = null) : GuardInput;

    public sealed record ApprovalGranted(Finding Finding, string ApprovalId, string DecidedBy) : GuardInput;

    public sealed record Invalid(string Field, string Reason) : GuardInput;

    public static GuardInput Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException error)
        {
            // Malformed input is reported as a value: the handler answers it, it does not crash the runtime.
            return new Invalid("$", $"not JSON: {error.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("revert", out var revert))
                return ReadFinding(revert, "revert") is var (finding, invalid) && finding is not null
                    ? new RevertRequested(finding, Text(root, "reason"))
                    : invalid!;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("approved", out var approved))
                return ReadFinding(approved, "approved") is var (granted, refused) && granted is not null
                    ? Text(root, "approvalId") is { Length: > 0 } approvalId
                        ? new ApprovalGranted(granted, approvalId, Text(root, "decidedBy") ?? "unknown")
                        : new Invalid("approvalId", "an approval names its approval id")
                    : refused!;
            return CloudTrailParser.Parse(root) switch
            {
                ParseOutcome.Parsed parsed => new Event(parsed.Record),
                ParseOutcome.Invalid invalid => new Invalid(invalid.Field, invalid.Reason),
                _ => throw new InvalidOperationException("unexpected parse outcome"),
            };
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) ? value.Text() : null;

    // The serializer fills absent members with null whatever their annotations say; a finding the
    // state machine hands back is one a guard wrote, so every part is there and its id is eventID:risk.
    private static bool IsWhole(Finding finding) =>
        finding is { Event.Id.Length: > 0, Resource.Id.Length: > 0, Actor: not null, Summary: not null, Revert: not null, Facts: not null } &&
        finding.Id == Finding.IdFor(finding.Event.Id, finding.Risk) &&
        FindingJson.Serialize(finding).Length > 0; // the audit item and the notification write it back

    private static (Finding? Finding, Invalid? Invalid) ReadFinding(JsonElement element, string field)
    {
        try
        {
            return JsonSerializer.Deserialize(element, FindingJsonContext.Default.Finding) switch
            {
                null => (null, new Invalid(field, "null is not a finding")),
                var finding when !IsWhole(finding) => (null, new Invalid(field, "not a finding a guard made: parts are missing or its id is not its event's id and risk")),
                var finding => (finding, null),
            };
        }
        catch (JsonException error)
        {
            // A payload that is not a finding came from outside the state machine: say what is wrong.
            return (null, new Invalid(error.Path is { } path ? field + path.TrimStart('$') : field, error.Message));
        }
        // The serializer's other answers to bad input: a revert plan without its "kind" discriminator
        // (NotSupportedException), a string that is not valid UTF-16 (InvalidOperationException, or
        // ArgumentException when IsWhole writes it back).
        catch (Exception error) when (error is NotSupportedException or InvalidOperationException or ArgumentException)
        {
            return (null, new Invalid(field, error.Message));
        }
    }
}
