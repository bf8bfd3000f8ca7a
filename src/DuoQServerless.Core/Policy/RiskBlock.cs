using DuoQServerless.Core.Findings;

namespace DuoQServerless.Core.Policy;

/// <summary>
/// A risk's block in the policy document (<c>risks.&lt;risk&gt;</c>): its default mode and the
/// risk-specific keys it accepts besides the common ones. Each detector declares the blocks of
/// its risks; the policy schema is assembled from them.
/// </summary>
public sealed record RiskBlock(Risk Risk, PolicyMode DefaultMode, IReadOnlyList<string> SettingKeys)
{
    /// <summary>Keys every risk block accepts.</summary>
    public static readonly IReadOnlyList<string> CommonKeys = ["mode", "exemptions", "approval"];

    /// <summary>False where no exemption may apply (self-protection): the block then takes no
    /// exemptions or approval keys, and the decider skips the exemption checks.</summary>
    public bool Exemptible { get; init; } = true;

    /// <summary>The modes this block accepts.</summary>
    public IReadOnlyList<PolicyMode> Modes { get; init; } = Enum.GetValues<PolicyMode>();

    public IReadOnlyList<string> AllKeys => Exemptible ? [.. CommonKeys, .. SettingKeys] : ["mode", .. SettingKeys];
}
