using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Policy;

namespace DuoQServerless.Core.Guards.Ssh;

/// <summary>
/// The public-ssh block: which ports count (22, and e.g. 3389), and from how wide a source a
/// rule counts as open to the world. A source counts when its prefix is shorter than /N:
/// the default N = 1 means only 0.0.0.0/0 and ::/0; N = 8 also catches 0.0.0.0/1 or 1.0.0.0/7.
/// </summary>
public sealed record PublicSshSettings(IReadOnlyList<int> Ports, int Ipv4WiderThan, int Ipv6WiderThan)
{
    public static readonly PublicSshSettings Default = new([22], 1, 1);

    public static readonly RiskBlock Block = new(Risk.PublicSsh, PolicyMode.Revert, ["ports", "ipv4WiderThan", "ipv6WiderThan"]);

    internal static PublicSshSettings Read(PolicyMap? map) => map is null
        ? Default
        : new(
            map.Ints("ports", Default.Ports, 1, 65535),
            map.Int("ipv4WiderThan", Default.Ipv4WiderThan, 1, 32),
            map.Int("ipv6WiderThan", Default.Ipv6WiderThan, 1, 128));
}
