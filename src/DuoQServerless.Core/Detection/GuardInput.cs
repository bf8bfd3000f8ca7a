using System.Text.Json;
using DuoQServerless.Core.CloudTrail;
using DuoQServerless.Core.Findings;

namespace DuoQServerless.Core.Detection;

/// <summary>What a guard function is invoked with: a CloudTrail event from its rule, or
/// <c>{"revert": finding}</c> from the approval state machine after a reject or timeout.</summary>
public abstract record GuardInput
{
    private GuardInput() { }

    public sealed record Event(CloudTrailRecord Record) : GuardInput;

    public sealed record RevertRequested(Finding Finding) : GuardInput;

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
                return ReadRevert(revert);
            return CloudTrailParser.Parse(root) switch
            {
                ParseOutcome.Parsed parsed => new Event(parsed.Record),
                ParseOutcome.Invalid invalid => new Invalid(invalid.Field, invalid.Reason),
                _ => throw new InvalidOperationException("unexpected parse outcome"),
            };
        }
    }

    private static GuardInput ReadRevert(JsonElement revert)
    {
        try
        {
            return JsonSerializer.Deserialize(revert, FindingJsonContext.Default.Finding) is { } finding
                ? new RevertRequested(finding)
                : new Invalid("revert", "null is not a finding");
        }
        catch (JsonException error)
        {
            // A revert request that is not a finding came from outside the state machine: say what is wrong.
            return new Invalid(error.Path is { } path ? "revert" + path.TrimStart('$') : "revert", error.Message);
        }
    }
}
