using System.Globalization;
using System.Net;
using System.Net.Sockets;
using DuoQServerless.Core.Findings;

namespace DuoQServerless.Core.Guards.Ssh;

/// <summary>The rules of the public-ssh risk, one question each.</summary>
public static class IngressMatch
{
    /// <summary>CloudTrail and the EC2 API write protocols as names or numbers; "-1" is all.</summary>
    public static string NormalizeProtocol(string protocol) => protocol.Trim().ToLowerInvariant() switch
    {
        "6" => "tcp",
        "17" => "udp",
        "1" => "icmp",
        "58" => "icmpv6",
        "all" or "-1" => "-1",
        var other => other,
    };

    /// <summary>Whether traffic to <paramref name="port"/> passes: protocol tcp or all, and a port range
    /// containing it (no range, or -1, means all ports).</summary>
    public static bool OpensPort(string protocol, int? fromPort, int? toPort, int port)
    {
        var normalized = NormalizeProtocol(protocol);
        if (normalized == "-1") return true;
        if (normalized != "tcp") return false;
        if (AllPorts(fromPort, toPort)) return true;
        return fromPort <= port && port <= toPort;
    }

    public static bool AllPorts(int? fromPort, int? toPort) =>
        fromPort is null or -1 || toPort is null or -1 || (fromPort <= 0 && toPort >= 65535);

    /// <summary>Whether a source CIDR is the whole internet under the policy: a prefix shorter than
    /// /<paramref name="widerThan"/> (1 means only /0). A bare address is a /32 or /128.</summary>
    public static bool IsWorld(string? cidr, int widerThan) =>
        PrefixLength(cidr) is { } prefix && prefix < widerThan;

    public static int? PrefixLength(string? cidr)
    {
        if (string.IsNullOrWhiteSpace(cidr)) return null;
        var slash = cidr.IndexOf('/');
        var addressText = slash < 0 ? cidr : cidr[..slash];
        if (!IPAddress.TryParse(addressText, out var address)) return null;
        var max = address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;
        if (slash < 0) return max;
        return int.TryParse(cidr.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) && prefix <= max
            ? prefix
            : null;
    }

    /// <summary>A rule is risky when it opens one of the policy's ports to the world.</summary>
    public static bool IsRisky(IngressRule rule, PublicSshSettings settings) =>
        settings.Ports.Any(port => OpensPort(rule.IpProtocol, rule.FromPort, rule.ToPort, port)) &&
        (rule.CidrIpv4 is not null ? IsWorld(rule.CidrIpv4, settings.Ipv4WiderThan) : IsWorld(rule.CidrIpv6, settings.Ipv6WiderThan));

    /// <summary>How a rule's reach reads in a summary: "port 22", "ports 20-23", "all ports", "all traffic".</summary>
    public static string Reach(IngressRule rule)
    {
        if (NormalizeProtocol(rule.IpProtocol) == "-1") return "all traffic";
        if (AllPorts(rule.FromPort, rule.ToPort)) return "all ports";
        return rule.FromPort == rule.ToPort ? $"port {rule.FromPort}" : $"ports {rule.FromPort}-{rule.ToPort}";
    }
}
