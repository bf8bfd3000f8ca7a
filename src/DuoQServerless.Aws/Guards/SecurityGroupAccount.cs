using DuoQServerless.Core.Approval;
using Amazon.EC2;
using Amazon.EC2.Model;
using DuoQServerless.Core.Detection;
using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Guards.Ssh;
using DuoQServerless.Core.Notifications;

namespace DuoQServerless.Aws.Guards;

/// <summary>
/// The public-ssh guard's account: security groups. A revert reads the group's ingress rules as
/// they are now and revokes, by rule id, only the rules of the plan that are still there exactly
/// as the event added them; the rest of the request, and any narrower rule sharing the port,
/// stay. EC2 actions called: DescribeSecurityGroups, DescribeSecurityGroupRules,
/// RevokeSecurityGroupIngress, CreateTags.
/// </summary>
public sealed class SecurityGroupAccount(IAmazonEC2 ec2) : IGuardAccount
{
    public const string ResourceType = "AWS::EC2::SecurityGroup";

    // What AWS answers when a rule named in the revoke vanished after our read.
    private static readonly string[] RuleGoneCodes = ["InvalidPermission.NotFound", "InvalidSecurityGroupRuleId.NotFound"];

    private static readonly IReadOnlyDictionary<string, string> NoTags = new Dictionary<string, string>();

    public async Task<IReadOnlyDictionary<string, string>> TagsOfAsync(AffectedResource resource, CancellationToken cancellationToken)
    {
        if (resource.Type != ResourceType)
            throw new ArgumentException($"the security-group account reads {ResourceType}, not {resource.Type}", nameof(resource));
        var lookup = await AwsErrors.ReadAsync(() => FindAsync(GroupOf(resource), cancellationToken), cancellationToken);
        return lookup switch
        {
            GroupLookup.Found found => (found.Group.Tags ?? []).ToDictionary(tag => tag.Key, tag => tag.Value ?? ""),
            // Gone: no tags. Ambiguous (several groups of that name): no single group's tags apply,
            // and the revert itself refuses to guess.
            GroupLookup.Missing or GroupLookup.Ambiguous => NoTags,
            _ => throw new InvalidOperationException(lookup.GetType().Name),
        };
    }

    /// <summary>The public-ssh detector asks for no facts.</summary>
    public Task<DetectionFacts> LookUpAsync(IReadOnlyList<FactRequest> requests, CancellationToken cancellationToken) =>
        Task.FromResult(DetectionFacts.None);

    public Task<ActionResult> RevertAsync(RevertPlan plan, CancellationToken cancellationToken) => plan switch
    {
        RevokeIngressRules revoke => AwsErrors.ResultOfAsync(() => RevokeAsync(revoke, cancellationToken), cancellationToken),
        _ => Task.FromResult<ActionResult>(new ActionResult.Failed($"the security-group account cannot carry out a {plan.KindName} plan")),
    };

    public async Task<ActionResult> MarkApprovedAsync(AffectedResource resource, string approvalId, CancellationToken cancellationToken)
    {
        if (resource.Type != ResourceType) return new ActionResult.NotTaken();
        return await AwsErrors.ResultOfAsync(async () =>
        {
            switch (await FindAsync(GroupOf(resource), cancellationToken))
            {
                case GroupLookup.Found found:
                    var groupId = found.Group.GroupId;
                    await ec2.CreateTagsAsync(new CreateTagsRequest([groupId], [new Tag(ApprovalTag.Key, approvalId)]), cancellationToken);
                    return new ActionResult.Done($"tagged {groupId} {ApprovalTag.Key}={approvalId}");
                case GroupLookup.Missing:
                    return new ActionResult.NotTaken();
                case GroupLookup.Ambiguous ambiguous:
                    return new ActionResult.Failed(ambiguous.Reason);
                case var other:
                    throw new InvalidOperationException(other.GetType().Name);
            }
        }, cancellationToken);
    }

    private async Task<ActionResult> RevokeAsync(RevokeIngressRules plan, CancellationToken cancellationToken)
    {
        // A group named by id is not looked up first: its rules are read straight away, and the group
        // only when none is left, to tell a deleted group from revoked rules. One call fewer on the
        // path that matters, between the risky call and the revoke.
        var groupId = plan.Group.GroupId;
        if (groupId is null)
        {
            switch (await FindAsync(plan.Group, cancellationToken))
            {
                case GroupLookup.Found found:
                    groupId = found.Group.GroupId;
                    break;
                case GroupLookup.Missing missing:
                    // Not found by name may mean another VPC as well as deleted: we cannot tell the rule is gone.
                    return new ActionResult.Failed($"{missing.Reason}: the rule could not be revoked");
                case GroupLookup.Ambiguous ambiguous:
                    return new ActionResult.Failed(ambiguous.Reason);
                case var other:
                    throw new InvalidOperationException(other.GetType().Name);
            }
        }
        var resolved = plan.Group.NeedsResolution ? $" (resolved from the name '{plan.Group.GroupName}')" : "";

        // An event can arrive late or twice, and a person may have acted already: read, then revoke
        // what is still there. A rule can still vanish between the two, so read again once.
        for (var attempt = 1; ; attempt++)
        {
            var current = await IngressRulesAsync(groupId, cancellationToken);
            var states = plan.Rules.Select(rule => RuleState.Of(rule, current)).ToArray();
            var present = states.OfType<RuleState.Present>().Select(state => state.RuleId).Distinct().ToList();
            if (present.Count == 0)
            {
                if (!plan.Group.NeedsResolution && await FindAsync(plan.Group, cancellationToken) is GroupLookup.Missing missing)
                    return new ActionResult.AlreadyDone($"{missing.Reason}: nothing to revoke");
                return new ActionResult.AlreadyDone(RuleState.Report(states, groupId + resolved));
            }
            try
            {
                await ec2.RevokeSecurityGroupIngressAsync(
                    new RevokeSecurityGroupIngressRequest { GroupId = groupId, SecurityGroupRuleIds = present }, cancellationToken);
                return new ActionResult.Done(RuleState.Report(states, groupId + resolved));
            }
            // Gone since our read: the next read reports it as already revoked.
            catch (AmazonEC2Exception error) when (attempt == 1 && AwsErrors.HasCode(error, RuleGoneCodes))
            {
            }
            // The whole group went since our read: nothing is left open.
            catch (AmazonEC2Exception error) when (AwsErrors.HasCode(error, "InvalidGroup.NotFound"))
            {
                return new ActionResult.AlreadyDone($"security group {groupId} no longer exists: nothing to revoke");
            }
        }
    }

    private async Task<IReadOnlyList<SecurityGroupRule>> IngressRulesAsync(string groupId, CancellationToken cancellationToken)
    {
        var rules = new List<SecurityGroupRule>();
        var request = new DescribeSecurityGroupRulesRequest { Filters = [new Filter("group-id", [groupId])] };
        do
        {
            var page = await ec2.DescribeSecurityGroupRulesAsync(request, cancellationToken);
            rules.AddRange((page.SecurityGroupRules ?? []).Where(rule => rule.IsEgress != true));
            request.NextToken = page.NextToken;
        } while (!string.IsNullOrEmpty(request.NextToken));
        return rules;
    }

    /// <summary>The finding's resource id is the group id, or the group's name when the event named only that
    /// (AWS forbids names starting with sg-).</summary>
    private static SecurityGroupRef GroupOf(AffectedResource resource) =>
        resource.Id.StartsWith("sg-", StringComparison.Ordinal) ? new(resource.Id, null) : new(null, resource.Id);

    private async Task<GroupLookup> FindAsync(SecurityGroupRef group, CancellationToken cancellationToken)
    {
        if (group.GroupId is null && string.IsNullOrEmpty(group.GroupName))
            return new GroupLookup.Missing("the event names no security group");
        var request = group.GroupId is { } id
            ? new DescribeSecurityGroupsRequest { GroupIds = [id] }
            // By name EC2 looks in the default VPC, as it did for the call that named the group this way.
            : new DescribeSecurityGroupsRequest { GroupNames = [group.GroupName!] };
        DescribeSecurityGroupsResponse response;
        try
        {
            response = await ec2.DescribeSecurityGroupsAsync(request, cancellationToken);
        }
        // EC2 answers a group that does not exist with an error, not an empty list.
        catch (AmazonEC2Exception error) when (AwsErrors.HasCode(error, "InvalidGroup.NotFound"))
        {
            return new GroupLookup.Missing(Missing(group));
        }
        var groups = response.SecurityGroups ?? [];
        return groups.Count switch
        {
            0 => new GroupLookup.Missing(Missing(group)),
            1 => new GroupLookup.Found(groups[0]),
            _ => new GroupLookup.Ambiguous(
                $"{groups.Count} security groups are named '{group.GroupName}' ({string.Join(", ", groups.Select(g => $"{g.GroupId} in {g.VpcId}"))}): " +
                "cannot tell which one the event changed"),
        };
    }

    private static string Missing(SecurityGroupRef group) => group.GroupId is { } id
        ? $"security group {id} no longer exists"
        : $"no security group named '{group.GroupName}' in the default VPC";

    private abstract record GroupLookup
    {
        private GroupLookup() { }

        public sealed record Found(SecurityGroup Group) : GroupLookup;

        public sealed record Missing(string Reason) : GroupLookup;

        public sealed record Ambiguous(string Reason) : GroupLookup;
    }
}
