using System.Text.Json;
using DuoQServerless.Core.CloudTrail;
using DuoQServerless.Core.Findings;

namespace DuoQServerless.Core.Guards.Ssh;

/// <summary>The ingress rules one AuthorizeSecurityGroupIngress or ModifySecurityGroupRules call
/// added, one rule per source, with rule ids from responseElements where AWS reported them.</summary>
public sealed record IngressRequest(SecurityGroupRef Group, IReadOnlyList<IngressRule> Rules)
{
    public static IngressRequest Read(CloudTrailRecord record) => record.EventName == "ModifySecurityGroupRules"
        ? ReadModify(record.RequestParameters)
        : ReadAuthorize(record.RequestParameters, record.ResponseElements);

    private static IngressRequest ReadAuthorize(JsonElement request, JsonElement response)
    {
        var rules = new List<IngressRule>();
        var permissions = request.Items("ipPermissions");
        foreach (var permission in permissions)
            AddPerSource(rules, permission, permission.Items("ipRanges"), permission.Items("ipv6Ranges"));
        // The older flat form: one rule written straight into requestParameters.
        if (permissions.Count == 0 && request.Scalar("ipProtocol") is { } flatProtocol)
        {
            rules.Add(new IngressRule(null, flatProtocol, request.Int("fromPort"), request.Int("toPort"),
                request.Str("cidrIp"), request.Str("cidrIpv6")));
        }

        var created = response.Items("securityGroupRuleSet").Where(item => item.Bool("isEgress") != true).ToList();
        var groupId = request.Str("groupId") ?? created.Select(item => item.Str("groupId")).FirstOrDefault(id => id is not null);
        var withIds = rules.Select(rule => WithId(rule, created)).ToList();
        // A created rule no request rule claimed is one AWS stored in another spelling than the
        // request's (e.g. a source it normalised): what AWS stored is what is open, so it counts.
        withIds.AddRange(created.Select(Stored));
        return new IngressRequest(new SecurityGroupRef(groupId, request.Str("groupName")), withIds);
    }

    private static IngressRule Stored(JsonElement item) => new(item.Str("securityGroupRuleId"), item.Scalar("ipProtocol") ?? "",
        item.Int("fromPort"), item.Int("toPort"), item.Str("cidrIpv4"), item.Str("cidrIpv6"));

    private static void AddPerSource(List<IngressRule> rules, JsonElement permission, IReadOnlyList<JsonElement> v4, IReadOnlyList<JsonElement> v6)
    {
        // EC2 requires a protocol in every permission: one without it was never accepted and adds no reach.
        if (permission.Scalar("ipProtocol") is not { } protocol) return;
        var from = permission.Int("fromPort");
        var to = permission.Int("toPort");
        foreach (var range in v4) rules.Add(new IngressRule(null, protocol, from, to, range.Str("cidrIp"), null));
        foreach (var range in v6) rules.Add(new IngressRule(null, protocol, from, to, null, range.Str("cidrIpv6")));
    }

    // Each created rule is claimed once, so two identical request rules cannot share an id.
    private static IngressRule WithId(IngressRule rule, List<JsonElement> created)
    {
        var index = created.FindIndex(item =>
            IngressMatch.NormalizeProtocol(item.Scalar("ipProtocol") ?? "") == IngressMatch.NormalizeProtocol(rule.IpProtocol) &&
            SamePorts(item.Int("fromPort"), rule.FromPort) && SamePorts(item.Int("toPort"), rule.ToPort) &&
            string.Equals(item.Str("cidrIpv4"), rule.CidrIpv4, StringComparison.OrdinalIgnoreCase) &&
            string.Equals(item.Str("cidrIpv6"), rule.CidrIpv6, StringComparison.OrdinalIgnoreCase));
        if (index < 0) return rule;
        var ruleId = created[index].Str("securityGroupRuleId");
        created.RemoveAt(index);
        return rule with { RuleId = ruleId };
    }

    private static bool SamePorts(int? a, int? b) => (a ?? -1) == (b ?? -1);

    private static IngressRequest ReadModify(JsonElement request)
    {
        var body = request.Prop("ModifySecurityGroupRulesRequest");
        var rules = new List<IngressRule>();
        foreach (var update in body.Items("SecurityGroupRule"))
        {
            var rule = update.Prop("SecurityGroupRule");
            var protocol = rule.Scalar("IpProtocol");
            // A rule update that names no protocol adds no reach we can judge (description-only changes).
            if (protocol is null) continue;
            rules.Add(new IngressRule(update.Str("SecurityGroupRuleId"), protocol, rule.Int("FromPort"), rule.Int("ToPort"),
                rule.Str("CidrIpv4"), rule.Str("CidrIpv6")));
        }
        return new IngressRequest(new SecurityGroupRef(body.Str("GroupId"), null), rules);
    }
}
