namespace DuoQServerless.Core.Policy;

/// <summary>What a guard does with a finding of a risk.</summary>
public enum PolicyMode
{
    /// <summary>Undo the change now.</summary>
    Revert,
    /// <summary>Ask a human; reject or timeout reverts (or approves, as the policy says).</summary>
    Approve,
    /// <summary>Tell the topic, change nothing.</summary>
    Notify,
    /// <summary>Do nothing, say nothing.</summary>
    Off,
}

/// <summary>What an approval request that nobody answered in time means.</summary>
public enum TimeoutOutcome
{
    Revert,
    Approve,
}

public static class PolicyModeNames
{
    public static string Id(this PolicyMode mode) => mode switch
    {
        PolicyMode.Revert => "revert",
        PolicyMode.Approve => "approve",
        PolicyMode.Notify => "notify",
        PolicyMode.Off => "off",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    public static string Id(this TimeoutOutcome outcome) => outcome switch
    {
        TimeoutOutcome.Revert => "revert",
        TimeoutOutcome.Approve => "approve",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    internal static readonly IReadOnlyList<(string Name, PolicyMode Value)> Modes =
        Enum.GetValues<PolicyMode>().Select(mode => (mode.Id(), mode)).ToArray();

    internal static readonly IReadOnlyList<(string Name, TimeoutOutcome Value)> TimeoutOutcomes =
        Enum.GetValues<TimeoutOutcome>().Select(outcome => (outcome.Id(), outcome)).ToArray();
}
