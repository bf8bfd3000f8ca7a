using DuoQServerless.Core.CloudTrail;
using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Guards.Iam;
using DuoQServerless.Core.Guards.Instances;
using DuoQServerless.Core.Guards.Rds;
using DuoQServerless.Core.Guards.Self;
using DuoQServerless.Core.Guards.Ssh;
using DuoQServerless.Core.Policy;

namespace DuoQServerless.Core.Detection;

/// <summary>The guards' detectors.</summary>
public static class Detectors
{
    public static readonly PublicSshDetector PublicSsh = new();
    public static readonly RdsDetector Rds = new();
    public static readonly IamChangeDetector IamChange = new();
    public static readonly OversizedInstanceDetector OversizedInstance = new();
    public static readonly SelfProtectionDetector SelfProtection = new();

    /// <summary>In replay order: the self guard comes last because it also watches IAM's role calls,
    /// which the IAM guard judges for every role and the self guard only for DuoQ's own.</summary>
    public static readonly IReadOnlyList<Detector> All = [PublicSsh, Rds, IamChange, OversizedInstance, SelfProtection];

    public static Detector For(Guard guard) => guard switch
    {
        Guard.Ssh => PublicSsh,
        Guard.Rds => Rds,
        Guard.Iam => IamChange,
        Guard.Instance => OversizedInstance,
        Guard.Self => SelfProtection,
        _ => throw new ArgumentOutOfRangeException(nameof(guard), guard, null),
    };

    /// <summary>The guard whose rule would deliver this record, if any (for <c>duoq replay</c>). Where two
    /// guards watch the call (IAM's role calls: the IAM guard and, for DuoQ's own roles, the self guard),
    /// the one that finds something in it under the policy.</summary>
    public static Detector? Watching(CloudTrailRecord record, GuardPolicy? policy = null)
    {
        var watching = All.Where(detector => detector.Watches(record)).ToArray();
        return watching.Length <= 1
            ? watching.FirstOrDefault()
            : watching.FirstOrDefault(detector => detector.Detect(record, policy ?? GuardPolicy.Default) is DetectionOutcome.Detected or DetectionOutcome.FailedCall)
              ?? watching[0];
    }
}
