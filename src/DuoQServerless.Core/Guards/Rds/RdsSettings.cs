using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Policy;

namespace DuoQServerless.Core.Guards.Rds;

/// <summary>The rds-delete block: whether "revert" (a rejected or timed-out approval) restores
/// the deleted database from its final snapshot.</summary>
public sealed record RdsDeleteSettings(bool RestoreFromFinalSnapshot)
{
    public static readonly RdsDeleteSettings Default = new(true);

    public static readonly RiskBlock Block = new(Risk.RdsDelete, PolicyMode.Approve, ["restoreFromFinalSnapshot"]);

    /// <summary>rds-deletion-protection-off has no settings of its own.</summary>
    public static readonly RiskBlock DeletionProtectionBlock = new(Risk.RdsDeletionProtectionOff, PolicyMode.Revert, []);

    internal static RdsDeleteSettings Read(PolicyMap? map) => map is null
        ? Default
        : new(map.Bool("restoreFromFinalSnapshot", Default.RestoreFromFinalSnapshot));
}
