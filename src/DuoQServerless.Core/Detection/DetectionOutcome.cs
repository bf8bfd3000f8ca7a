using DuoQServerless.Core.Findings;

namespace DuoQServerless.Core.Detection;

/// <summary>What a detector made of one CloudTrail record: a closed set.</summary>
public abstract record DetectionOutcome
{
    private DetectionOutcome() { }

    /// <summary>A risky change was made.</summary>
    public sealed record Detected(Finding Finding) : DetectionOutcome;

    /// <summary>This guard's event, but nothing risky in it; <see cref="Reason"/> says what was checked.</summary>
    public sealed record Benign(string Reason) : DetectionOutcome;

    /// <summary>A risky call AWS refused: nothing changed, so it is recorded as attempted and never reverted.</summary>
    public sealed record FailedCall(Finding Attempted, string ErrorCode, string? ErrorMessage) : DetectionOutcome;

    /// <summary>Another guard's event (or another service's).</summary>
    public sealed record NotForThisGuard(string Reason) : DetectionOutcome;

    /// <summary>Short name for logs, the replay output and the events/ manifest.</summary>
    public string Name => this switch
    {
        Detected => "finding",
        Benign => "benign",
        FailedCall => "failed-call",
        NotForThisGuard => "not-for-this-guard",
        _ => throw new InvalidOperationException(GetType().Name),
    };
}
