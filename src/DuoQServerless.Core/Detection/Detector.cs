using DuoQServerless.Core.CloudTrail;
using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Policy;

namespace DuoQServerless.Core.Detection;

/// <summary>
/// One guard's detection, with everything else that guard needs declared as data in one place:
/// the CloudTrail events it watches (its EventBridge rule), the policy blocks of its risks, the
/// revert plans it can produce and so the IAM actions its role needs. Detection is a pure
/// function of the record, the policy and any facts the handler looked up.
/// </summary>
public abstract class Detector
{
    public abstract Guard Guard { get; }

    /// <summary>The CloudTrail events this guard watches, per service (most guards watch one).</summary>
    public abstract IReadOnlyList<WatchedEvents> Watched { get; }

    /// <summary>Every watched event name, in declaration order.</summary>
    public IReadOnlyList<string> EventNames => Watched.SelectMany(service => service.EventNames).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>Where the rule narrows delivery to some resources by name (the self guard: DuoQ's own
    /// resources); empty when the rule delivers every watched event.</summary>
    public virtual IReadOnlyList<RuleNameFilter> RuleNameFilters => [];

    /// <summary>The policy blocks of the risks this guard raises.</summary>
    public abstract IReadOnlyList<RiskBlock> PolicyBlocks { get; }

    /// <summary>The kinds of <see cref="RevertPlan"/> this guard produces (and so must execute).</summary>
    public abstract IReadOnlyList<string> PlanKinds { get; }

    /// <summary>Reads the handler makes before deciding: resource tags for exemptions, facts.</summary>
    public abstract IReadOnlyList<string> LookupActions { get; }

    public IReadOnlyList<Risk> Risks => PolicyBlocks.Select(block => block.Risk).ToArray();

    /// <summary>Writes made when a person approves a finding: tagging the resource duoq:approved=&lt;id&gt;;
    /// none where the guard's resources cannot be tagged (or its plans' writes already tag).</summary>
    public virtual IReadOnlyList<string> ApprovalActions => [];

    /// <summary>Whether the policy may send this guard's findings to a person (so the guard starts
    /// the approval state machine and its role needs states:StartExecution).</summary>
    public bool AsksForApproval => PolicyBlocks.Any(block => block.Modes.Contains(PolicyMode.Approve));

    /// <summary>IAM actions that change the account, needed by this guard's reverts and approval tags.</summary>
    public IReadOnlyList<string> RevertActions =>
        PlanKinds.SelectMany(kind => RevertPermissions.For(kind).Writes).Concat(ApprovalActions).Distinct().Order(StringComparer.Ordinal).ToArray();

    /// <summary>IAM read actions: what the reverts read first, and the lookups before deciding.</summary>
    public IReadOnlyList<string> ReadActions =>
        PlanKinds.SelectMany(kind => RevertPermissions.For(kind).Reads).Concat(LookupActions)
            .Distinct().Order(StringComparer.Ordinal).ToArray();

    public bool Watches(CloudTrailRecord record) =>
        Watched.Any(service => record.EventSource == service.EventSource && service.EventNames.Contains(record.EventName, StringComparer.Ordinal));

    /// <summary>Facts this record needs looked up before <see cref="Detect"/> can be exact.</summary>
    public virtual IReadOnlyList<FactRequest> FactsNeeded(CloudTrailRecord record, GuardPolicy policy) => [];

    public DetectionOutcome Detect(CloudTrailRecord record, GuardPolicy policy, DetectionFacts? facts = null)
    {
        if (!Watches(record))
            return new DetectionOutcome.NotForThisGuard($"{record.EventSource} {record.EventName} is not watched by the {Guard.Id()} guard");
        var outcome = Inspect(record, policy, facts ?? DetectionFacts.None);
        return record.Failed && outcome is DetectionOutcome.Detected detected
            ? new DetectionOutcome.FailedCall(detected.Finding, record.ErrorCode!, record.ErrorMessage)
            : outcome;
    }

    /// <summary>Inspects a record this guard watches. For failed calls responseElements are absent:
    /// the finding describes what was attempted.</summary>
    protected abstract DetectionOutcome Inspect(CloudTrailRecord record, GuardPolicy policy, DetectionFacts facts);

    protected static DetectionOutcome Found(Finding finding) => new DetectionOutcome.Detected(finding);

    protected static DetectionOutcome Benign(string reason) => new DetectionOutcome.Benign(reason);
}

/// <summary>One service's CloudTrail events a guard watches.</summary>
/// <param name="EventBridgeSource">EventBridge's <c>source</c> for the service's CloudTrail events, e.g. <c>aws.ec2</c>.</param>
/// <param name="EventSource">CloudTrail's <c>eventSource</c>, e.g. <c>ec2.amazonaws.com</c>.</param>
public sealed record WatchedEvents(string EventBridgeSource, string EventSource, IReadOnlyList<string> EventNames);

/// <summary>A requestParameters field that names a resource, and how a rule recognises a name starting
/// with the stack's prefix in it: as the bare name, and (when <see cref="ArnMarker"/> is set) inside an
/// ARN right after that marker (<c>:function:</c>, <c>:stateMachine:</c>, or <c>:</c> for a topic).</summary>
public sealed record RuleNameFilter(string Parameter, bool BareName, string? ArnMarker);

