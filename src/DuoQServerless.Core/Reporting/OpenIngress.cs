using DuoQServerless.Core.Guards.Ssh;

namespace DuoQServerless.Core.Reporting;

/// <summary>An ingress permission of a security group as EC2 describes it, without the SDK's types.</summary>
public sealed record IngressPermission(string Protocol, int? FromPort, int? ToPort, IReadOnlyList<string> Ipv4Ranges, IReadOnlyList<string> Ipv6Ranges);

/// <summary>
/// Which ingress permissions of a group as it is now open a watched port to the internet, by the
/// same rules the public-ssh guard applies to a new rule (<see cref="IngressMatch"/>): all
/// traffic, or TCP over a range containing the port, from a source at least as wide as the
/// policy's ipv4WiderThan / ipv6WiderThan (by default only 0.0.0.0/0 and ::/0).
/// </summary>
public static class OpenIngress
{
    public static IReadOnlyList<RiskyIngressRule> RiskyRules(IEnumerable<IngressPermission> permissions, PublicSshSettings settings)
    {
        var risky = new List<RiskyIngressRule>();
        foreach (var permission in permissions)
        {
            var exposed = settings.Ports
                .Where(port => IngressMatch.OpensPort(permission.Protocol, permission.FromPort, permission.ToPort, port))
                .Distinct().Order().ToList();
            if (exposed.Count == 0) continue;
            var world = permission.Ipv4Ranges.Where(cidr => IngressMatch.IsWorld(cidr, settings.Ipv4WiderThan))
                .Concat(permission.Ipv6Ranges.Where(cidr => IngressMatch.IsWorld(cidr, settings.Ipv6WiderThan)))
                .Distinct(StringComparer.Ordinal);
            var all = IngressMatch.NormalizeProtocol(permission.Protocol) == "-1";
            var allPorts = all || IngressMatch.AllPorts(permission.FromPort, permission.ToPort);
            foreach (var cidr in world)
                risky.Add(new RiskyIngressRule(all ? "all" : "tcp", allPorts ? null : permission.FromPort, allPorts ? null : permission.ToPort, cidr, exposed));
        }
        return risky;
    }
}
