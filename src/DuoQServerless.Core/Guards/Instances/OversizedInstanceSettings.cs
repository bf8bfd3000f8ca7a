using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Policy;

namespace DuoQServerless.Core.Guards.Instances;

/// <summary>
/// The oversized-instance block: an instance is oversized when its type matches a deny pattern,
/// or its on-demand price is above <see cref="MaxHourlyUsd"/>, or it has more than
/// <see cref="MaxVcpus"/> vCPUs.
/// </summary>
public sealed record OversizedInstanceSettings(decimal MaxHourlyUsd, int MaxVcpus, IReadOnlyList<string> DenyPatterns)
{
    public static readonly OversizedInstanceSettings Default =
        new(1.00m, 32, ["*.metal", "*.metal-*", "p*.*", "*.24xlarge", "*.32xlarge", "*.48xlarge"]);

    public static readonly RiskBlock Block =
        new(Risk.OversizedInstance, PolicyMode.Revert, ["maxHourlyUsd", "maxVcpus", "denyPatterns"]);

    internal static OversizedInstanceSettings Read(PolicyMap? map) => map is null
        ? Default
        : new(
            map.Decimal("maxHourlyUsd", Default.MaxHourlyUsd, 0m, 1000m),
            map.Int("maxVcpus", Default.MaxVcpus, 1, 1024),
            map.Texts("denyPatterns", Default.DenyPatterns, CheckPattern));

    private static string? CheckPattern(string pattern) =>
        pattern.Length > 0 && pattern.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-' or '*' or '?')
            ? null
            : $"'{pattern}' is not an instance type pattern (lower-case letters, digits, '.', '-', '*', '?')";
}
