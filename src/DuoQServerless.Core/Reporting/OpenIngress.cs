namespace DuoQServerless.Core.Reporting;

/// <summary>An ingress permission of a security group as EC2 describes it, without the SDK's types.</summary>
public sealed record IngressPermission(string Protocol, int? FromPort, int? ToPort, IReadOnlyList<string> Ipv4Ranges, IReadOnlyList<string> Ipv6Ranges);

/// <summary>
/// Which ingress permissions open a watched port to the whole internet. A permission exposes a
/// port when it allows all traffic (protocol -1) or TCP over a range that contains the port,
/// from 0.0.0.0/0 or ::/0. Narrower CIDRs (an office /24) are not exposure.
/// </summary>
public static class OpenIngress
{
    public const string AnyIpv4 = "0.0.0.0/0";
    public const string AnyIpv6 = "::/0";

    public static IReadOnlyList<RiskyIngressRule> RiskyRules(IEnumerable<IngressPermission> permissions, IReadOnlyCollection<int> watchedPorts)
    {
        var risky = new List<RiskyIngressRule>();
        foreach (var permission in permissions)
        {
            var protocol = Protocol(permission.Protocol);
            if (protocol is null) continue;
            var allPorts = protocol == "all" || permission.FromPort is null or -1 || permission.ToPort is null or -1;
            var exposed = watchedPorts
                .Where(p => allPorts || (permission.FromPort <= p && p <= permission.ToPort))
                .Distinct().Order().ToList();
            if (exposed.Count == 0) continue;
            foreach (var cidr in permission.Ipv4Ranges.Concat(permission.Ipv6Ranges).Where(IsWorld).Distinct(StringComparer.Ordinal))
                risky.Add(new RiskyIngressRule(protocol, allPorts ? null : permission.FromPort, allPorts ? null : permission.ToPort, cidr, exposed));
        }
        return risky;
    }

    public static bool IsWorld(string cidr) => cidr.Trim() is AnyIpv4 or AnyIpv6;

    /// <summary>"all" for every protocol, "tcp" for TCP; null for protocols that cannot carry SSH/RDP-style services.</summary>
    private static string? Protocol(string protocol) => protocol.Trim().ToLowerInvariant() switch
    {
        "-1" or "all" => "all",
        "tcp" or "6" => "tcp",
        _ => null,
    };
}
