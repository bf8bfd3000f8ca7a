using DuoQServerless.Core.CloudTrail;
using DuoQServerless.Core.Detection;
using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Policy;

namespace DuoQServerless.Core.Guards.Ssh;

/// <summary>
/// public-ssh: an ingress rule opening a watched port (22 by default) to the whole internet.
/// The revert plan holds only the risky rules of the request, never the rest, and never a
/// narrower rule on the same port.
/// </summary>
public sealed class PublicSshDetector : Detector
{
    public override Guard Guard => Guard.Ssh;
    public override IReadOnlyList<WatchedEvents> Watched { get; } =
        [new("aws.ec2", "ec2.amazonaws.com", ["AuthorizeSecurityGroupIngress", "ModifySecurityGroupRules"])];
    public override IReadOnlyList<RiskBlock> PolicyBlocks { get; } = [PublicSshSettings.Block];
    public override IReadOnlyList<string> PlanKinds { get; } = [RevokeIngressRules.Kind];
    public override IReadOnlyList<string> LookupActions { get; } = ["ec2:DescribeSecurityGroups"];
    public override IReadOnlyList<string> ApprovalActions { get; } = ["ec2:CreateTags"];

    protected override DetectionOutcome Inspect(CloudTrailRecord record, GuardPolicy policy, DetectionFacts facts)
    {
        var settings = policy.PublicSsh;
        var request = IngressRequest.Read(record);
        // EC2 refuses an ingress call that names no group, so such a record opened nothing, and a
        // revert plan for "a group named ''" could only guess.
        if (request.Group.GroupId is null && string.IsNullOrEmpty(request.Group.GroupName))
            return Benign("the event names no security group, so it cannot have opened one");
        var risky = request.Rules.Where(rule => IngressMatch.IsRisky(rule, settings)).ToArray();
        var ports = string.Join(", ", settings.Ports);
        if (risky.Length == 0)
            return Benign($"none of the {request.Rules.Count} rule(s) opens port {ports} to the internet");

        var group = request.Group;
        var groupText = group.GroupId ?? $"security group named '{group.GroupName}'";
        var summary = string.Join(", ", risky.GroupBy(IngressMatch.Reach)
                          .Select(reach => $"{reach.Key} opened to {string.Join(" and ", reach.Select(rule => rule.Source).Distinct())}"))
                      + $" on {groupText}";
        var wideOpen = risky.Any(rule => IngressMatch.AllPorts(rule.FromPort, rule.ToPort) || IngressMatch.NormalizeProtocol(rule.IpProtocol) == "-1");

        var found = new Dictionary<string, string>
        {
            ["securityGroup"] = groupText,
            ["riskyRules"] = string.Join("; ", risky.Select(rule => rule.ToString())),
            ["rulesKept"] = (request.Rules.Count - risky.Length).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["watchedPorts"] = ports,
        };
        if (group.NeedsResolution)
            found["groupResolution"] = "the event names the group only by name: the reverter looks up its id first";
        if (record.EventName == "ModifySecurityGroupRules")
            found["note"] = "an existing rule was changed: the revert revokes it (the event does not hold its earlier form)";

        var arn = group.GroupId is null ? null : $"arn:aws:ec2:{record.AwsRegion}:{record.AccountId}:security-group/{group.GroupId}";
        return Found(Finding.From(
            record,
            Risk.PublicSsh,
            wideOpen ? Severity.Critical : Severity.High,
            AffectedResource.Of("AWS::EC2::SecurityGroup", group.GroupId ?? group.GroupName ?? "?", arn),
            summary,
            new RevokeIngressRules(group, risky),
            found));
    }
}
