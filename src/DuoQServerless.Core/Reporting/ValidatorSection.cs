using System.Text.Json.Serialization;
using DuoQServerless.Core.Validation;

namespace DuoQServerless.Core.Reporting;

/// <summary>
/// The Duo/Q validator's result as the report shows it: each check's id, title, status, what was
/// seen and the fix. Mapped from the validator's <see cref="ValidationReport"/> so the report's
/// schema only moves when the report says so.
/// </summary>
public sealed record ValidatorSection(DateTimeOffset CheckedAt, IReadOnlyList<ValidatorCheckLine> Checks)
{
    [JsonIgnore]
    public int Failing => Checks.Count(c => c.Status == CheckStatus.Fail);

    public static ValidatorSection From(ValidationReport report) => new(
        report.CheckedAt,
        [.. report.Checks.OrderBy(c => c.Number).Select(c => new ValidatorCheckLine(
            c.Id, c.Title, c.Status, c.Evidence.Count == 0 ? null : string.Join("; ", c.Evidence), c.Fix))]);
}

/// <summary>One check: its stable id, what it checks, how it came out, what was seen and, when not passing, the fix.</summary>
public sealed record ValidatorCheckLine(string Id, string Title, CheckStatus Status, string? Detail, string? Fix);
