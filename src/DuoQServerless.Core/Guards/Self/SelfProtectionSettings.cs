using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Policy;

namespace DuoQServerless.Core.Guards.Self;

/// <summary>
/// The self-protection block: only a mode, revert or notify. A guardrail that may be switched off,
/// exempted or approved away by whoever it guards against protects nothing, so the block takes no
/// exemptions and no approval, and off is not a choice; a dry run holds back the revert only.
/// </summary>
public static class SelfProtectionSettings
{
    public static readonly RiskBlock Block = new(Risk.SelfProtection, PolicyMode.Revert, [])
    {
        Exemptible = false,
        Modes = [PolicyMode.Revert, PolicyMode.Notify],
    };
}
