using System.Text.Json.Serialization;

namespace DuoQServerless.Core.Reporting;

/// <summary>
/// The Duo/Q validator's result as the report shows it. The validator keeps its own types; the
/// report maps them into these lines, so the report's schema does not move with the validator's.
/// </summary>
public sealed record ValidatorSection(DateTimeOffset CheckedAt, IReadOnlyList<ValidatorCheckLine> Checks)
{
    [JsonIgnore]
    public int Failing => Checks.Count(c => c.Status is CheckStatus.Fail or CheckStatus.Error);
}

/// <summary>One check: its stable id, what it checks, how it came out and, when not passing, the fix.</summary>
public sealed record ValidatorCheckLine(string Id, string Title, CheckStatus Status, string? Detail, string? Fix);

[JsonConverter(typeof(JsonStringEnumConverter<CheckStatus>))]
public enum CheckStatus
{
    [JsonStringEnumMemberName("pass")] Pass,
    [JsonStringEnumMemberName("warn")] Warn,
    [JsonStringEnumMemberName("fail")] Fail,
    /// <summary>The check could not be evaluated (access denied, service unreachable).</summary>
    [JsonStringEnumMemberName("error")] Error,
    [JsonStringEnumMemberName("skipped")] Skipped,
}
