using System.Text.Json.Serialization;

namespace DuoQServerless.Functions.Guards;

/// <summary>
/// What a guard did with one input: the function's response and `duoq replay`'s output line.
/// <see cref="Status"/> is one of <see cref="GuardStatus"/>'s values.
/// </summary>
public sealed record GuardReport(
    string? EventId,
    string Risk,
    string Decision,
    string Action,
    string Status,
    string? FindingId,
    string Detail);

/// <summary>The closed set of <see cref="GuardReport.Status"/> values.</summary>
public static class GuardStatus
{
    public const string Invalid = "invalid";
    public const string NotForThisGuard = "not-for-this-guard";
    public const string Benign = "benign";
    /// <summary>A risky call AWS refused: recorded as attempted, nothing reverted.</summary>
    public const string Attempted = "attempted";
    /// <summary>An earlier delivery of the same event recorded the finding: nothing done again.</summary>
    public const string Duplicate = "duplicate";
    public const string Done = "done";
    /// <summary>The account was already as the action would leave it.</summary>
    public const string AlreadyDone = "already-done";
    public const string Failed = "failed";
    /// <summary>Nothing was changed: notify-only, ignored, or a dry run.</summary>
    public const string NotTaken = "not-taken";
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(GuardReport))]
internal sealed partial class GuardJson : JsonSerializerContext;
