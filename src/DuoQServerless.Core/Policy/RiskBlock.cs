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

    public IReadOnlyList<string> AllKeys => [.. CommonKeys, .. SettingKeys];
}
