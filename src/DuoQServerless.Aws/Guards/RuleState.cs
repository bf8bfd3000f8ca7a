using Amazon.EC2.Model;
using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Guards.Ssh;

namespace DuoQServerless.Aws.Guards;

/// <summary>Where one risky rule of a revert plan stands in the group's ingress rules now.</summary>
internal abstract record RuleState(IngressRule Planned)
{
    /// <summary>Still there exactly as added: revoke <see cref="RuleId"/>.</summary>
    public sealed record Present(IngressRule Planned, string RuleId) : RuleState(Planned);

    /// <summary>Already revoked (a late or repeated event, or a person was quicker).</summary>
    public sealed record Gone(IngressRule Planned) : RuleState(Planned);

    /// <summary>The rule id is there but no longer opens what the event opened: left alone, since
    /// whoever changed it did so after the event (and that change is an event of its own).</summary>
    public sealed record Changed(IngressRule Planned, IngressRule Now) : RuleState(Planned);

    /// <summary>Finds a planned rule among the current ingress rules: by its rule id when the event
    /// reported one, else by exact protocol, ports and source.</summary>
    public static RuleState Of(IngressRule planned, IReadOnlyList<SecurityGroupRule> current)
    {
        if (planned.RuleId is { } ruleId)
        {
            var same = current.FirstOrDefault(rule => rule.SecurityGroupRuleId == ruleId);
            if (same is null) return new Gone(planned);
            return Matches(planned, same) ? new Present(planned, ruleId) : new Changed(planned, AsIngressRule(same));
        }
        var match = current.FirstOrDefault(rule => Matches(planned, rule));
        return match is null ? new Gone(planned) : new Present(planned with { RuleId = match.SecurityGroupRuleId }, match.SecurityGroupRuleId);
    }

    /// <summary>Exactly the rule the event added: a rule on the same port from a narrower source is another rule.</summary>
    public static bool Matches(IngressRule planned, SecurityGroupRule now)
    {
        var protocol = IngressMatch.NormalizeProtocol(planned.IpProtocol);
        if (protocol != IngressMatch.NormalizeProtocol(now.IpProtocol ?? "")) return false;
        // All-traffic rules have no ports: DescribeSecurityGroupRules says -1, the event may say nothing.
        if (protocol != "-1" && ((planned.FromPort ?? -1) != (now.FromPort ?? -1) || (planned.ToPort ?? -1) != (now.ToPort ?? -1)))
            return false;
        return planned.CidrIpv4 is not null
            ? string.Equals(planned.CidrIpv4, now.CidrIpv4, StringComparison.OrdinalIgnoreCase)
            : planned.CidrIpv6 is not null && string.Equals(planned.CidrIpv6, now.CidrIpv6, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>What the revert did and found, in one line for the audit item and the notification.</summary>
    public static string Report(IReadOnlyList<RuleState> states, string group)
    {
        var parts = new List<string>();
        var revoked = states.OfType<Present>().Select(state => state.Planned).ToArray();
        var gone = states.OfType<Gone>().Select(state => state.Planned).ToArray();
        var changed = states.OfType<Changed>().ToArray();
        if (revoked.Length > 0) parts.Add($"revoked {string.Join("; ", revoked)}");
        if (gone.Length > 0) parts.Add($"rule already revoked: {string.Join("; ", gone)}");
        if (changed.Length > 0)
            parts.Add("changed since the event, left alone: " +
                      string.Join("; ", changed.Select(state => $"{state.Planned.RuleId} is now {state.Now}")));
        if (parts.Count == 0) return $"the plan names no rule to revoke on {group}";
        parts[0] += $" on {group}";
        return string.Join("; ", parts);
    }

    // For display only: a rule whose source is a group or prefix list shows that as its source.
    private static IngressRule AsIngressRule(SecurityGroupRule rule) =>
        new(null, rule.IpProtocol ?? "?", rule.FromPort, rule.ToPort,
            rule.CidrIpv4 ?? rule.ReferencedGroupInfo?.GroupId ?? rule.PrefixListId, rule.CidrIpv6);
}
