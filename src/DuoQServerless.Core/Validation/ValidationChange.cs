namespace DuoQServerless.Core.Validation;

public enum ChangeKind
{
    /// <summary>No earlier result was stored.</summary>
    FirstResult,
    Unchanged,
    /// <summary>At least one check got worse (to warn or fail).</summary>
    NewProblems,
    /// <summary>Some problems went away, others remain.</summary>
    Improved,
    /// <summary>Every earlier problem went away and nothing warns or fails now.</summary>
    Recovered,
}

/// <summary>
/// How the latest validation differs from the stored one, check by check (by id and status), so
/// the scheduled validator notifies on a new problem or a return to health, not on every run.
/// </summary>
public sealed record ValidationChange(ChangeKind Kind, IReadOnlyList<CheckResult> Worsened, IReadOnlyList<CheckResult> Improved)
{
    public bool ShouldNotify => Kind switch
    {
        ChangeKind.FirstResult => Worsened.Count > 0,
        ChangeKind.NewProblems or ChangeKind.Recovered => true,
        ChangeKind.Unchanged or ChangeKind.Improved => false,
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, null),
    };

    public static ValidationChange Between(ValidationReport? previous, ValidationReport current)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (previous is null)
            return new ValidationChange(ChangeKind.FirstResult, current.Checks.Where(c => Severity(c.Status) > 0).ToArray(), []);

        var before = previous.Checks.ToDictionary(c => c.Id, c => Severity(c.Status), StringComparer.Ordinal);
        int Earlier(CheckResult c) => before.TryGetValue(c.Id, out var severity) ? severity : 0;
        var worsened = current.Checks.Where(c => Severity(c.Status) > Earlier(c)).ToArray();
        var improved = current.Checks.Where(c => Severity(c.Status) < Earlier(c)).ToArray();

        var kind = (worsened.Length, improved.Length) switch
        {
            ( > 0, _) => ChangeKind.NewProblems,
            (0, > 0) when current.Checks.All(c => Severity(c.Status) == 0) => ChangeKind.Recovered,
            (0, > 0) => ChangeKind.Improved,
            _ => ChangeKind.Unchanged,
        };
        return new ValidationChange(kind, worsened, improved);
    }

    /// <summary>Skipped counts as healthy: a check that cannot run is reported, not alerted on.</summary>
    private static int Severity(CheckStatus status) => status switch
    {
        CheckStatus.Pass or CheckStatus.Skipped => 0,
        CheckStatus.Warn => 1,
        CheckStatus.Fail => 2,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };
}
