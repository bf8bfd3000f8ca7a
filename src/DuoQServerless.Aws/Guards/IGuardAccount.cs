using DuoQServerless.Core.Detection;
using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Notifications;

namespace DuoQServerless.Aws.Guards;

/// <summary>
/// What one guard reads from and changes in the account, for its own risk only (so each guard's
/// role holds only its own permissions). One implementation per guard: EC2 security groups,
/// EC2 instances, RDS, IAM. Every method translates AWS errors into its result: a revert that
/// fails answers <see cref="ActionResult.Failed"/> with the AWS error code, never throws.
/// </summary>
public interface IGuardAccount
{
    /// <summary>The resource's tags as they are now (exemption and approval tags live there).
    /// A resource that is gone has none.</summary>
    Task<IReadOnlyDictionary<string, string>> TagsOfAsync(AffectedResource resource, CancellationToken cancellationToken);

    /// <summary>Facts the detector asked for (see <see cref="Detector.FactsNeeded"/>).</summary>
    Task<DetectionFacts> LookUpAsync(IReadOnlyList<FactRequest> requests, CancellationToken cancellationToken);

    /// <summary>Carries out the plan after reading the resource's current state: a change already
    /// undone (late or repeated event) answers <see cref="ActionResult.AlreadyDone"/>.</summary>
    Task<ActionResult> RevertAsync(RevertPlan plan, CancellationToken cancellationToken);

    /// <summary>Marks the resource accepted after a person approved it (tag duoq:approved=&lt;id&gt;)
    /// where the resource can be tagged; a resource that cannot be tagged answers NotTaken.</summary>
    Task<ActionResult> MarkApprovedAsync(AffectedResource resource, string approvalId, CancellationToken cancellationToken);
}
