using System.Globalization;
using System.Net;
using System.Net.Sockets;
using DuoQServerless.Core.Findings;

namespace DuoQServerless.Core.Guards.Ssh;

/// <summary>The rules of the public-ssh risk, one question each.</summary>
public static class IngressMatch
{
    /// <summary>CloudTrail and the EC2 API write protocols as names (any case) or numbers; "-1" is all
    /// ("all" is the CLI's word for it).</summary>
    public static string NormalizeProtocol(string protocol) => protocol.ToLowerInvariant() switch
    {
        "6" => "tcp",
        "17" => "udp",
        "1" => "icmp",
        "58" => "icmpv6",
        "all" or "-1" => "-1",
        var other => other,
    };

    /// <summary>Whether traffic to <paramref name="port"/> passes: protocol all, or tcp with a port range
    /// containing it. EC2 requires a range of 0-65535 for tcp (no -1, no missing port), so a tcp rule
    /// without a valid range was never accepted and opens nothing.</summary>
    public static bool OpensPort(string protocol, int? fromPort, int? toPort, int port)
    {
        var normalized = NormalizeProtocol(protocol);
        if (normalized == "-1") return true;
        if (normalized != "tcp") return false;
        return fromPort is { } from && toPort is { } to && 0 <= from && from <= port && port <= to && to <= 65535;
    }

    public static bool AllPorts(int? fromPort, int? toPort) =>
        fromPort is null or -1 || toPort is null or -1 || (fromPort <= 0 && toPort >= 65535);

    /// <summary>Whether a source CIDR is the whole internet under the policy: a prefix shorter than
    /// /<paramref name="widerThan"/> (1 means only /0). A bare address is a /32 or /128.</summary>
    public static bool IsWorld(string? cidr, int widerThan) =>
        PrefixLength(cidr) is { } prefix && prefix < widerThan;

    /// <summary>The prefix of an IPv4 or IPv6 CIDR in EC2's syntax; null for anything EC2 refuses as malformed.</summary>
    public static int? PrefixLength(string? cidr) => Ipv4PrefixLength(cidr) ?? Ipv6PrefixLength(cidr);

    /// <summary>
    /// The prefix of an IPv4 CIDR as EC2 accepts it: four decimal octets 0-255 without leading zeros,
    /// then a decimal prefix 0-32 without leading zeros (a bare address is a /32). Host bits may be
    /// set: EC2 clears them (10.1.2.3/0 is stored as 0.0.0.0/0). Anything else (spaces, "/00",
    /// "000.000.000.000", "0/0", hex) EC2 refuses, so a successful call never carries it: null.
    /// </summary>
    public static int? Ipv4PrefixLength(string? cidr)
    {
        if (!SplitCidr(cidr, out var address, out var prefix)) return null;
        var octets = address.Split('.');
        if (octets.Length != 4 || !octets.All(octet => Decimal(octet, 255) is not null)) return null;
        return prefix is null ? 32 : Decimal(prefix, 32);
    }

    /// <summary>
    /// The prefix of an IPv6 CIDR as EC2 accepts it: standard IPv6 text (any case, :: compression,
    /// a trailing dotted quad) without zone, brackets or spaces, then a decimal prefix 0-128 without
    /// leading zeros (a bare address is a /128). Every spelling of :: (::0, 0:0:0:0:0:0:0:0) is the
    /// same network, so ::0/0 is as open as ::/0.
    /// </summary>
    public static int? Ipv6PrefixLength(string? cidr)
    {
        if (!SplitCidr(cidr, out var address, out var prefix)) return null;
        if (!address.Contains(':') || !address.All(c => char.IsAsciiHexDigit(c) || c is ':' or '.')) return null;
        if (!IPAddress.TryParse(address, out var parsed) || parsed.AddressFamily != AddressFamily.InterNetworkV6) return null;
        return prefix is null ? 128 : Decimal(prefix, 128);
    }

    private static bool SplitCidr(string? cidr, out string address, out string? prefix)
    {
        address = "";
        prefix = null;
        if (string.IsNullOrEmpty(cidr)) return false;
        var slash = cidr.IndexOf('/');
        address = slash < 0 ? cidr : cidr[..slash];
        prefix = slash < 0 ? null : cidr[(slash + 1)..];
        return address.Length > 0;
    }

    // A decimal number as EC2 writes one: ASCII digits, no sign, no leading zero, at most max.
    private static int? Decimal(string text, int max)
    {
        if (text.Length is 0 or > 3 || !text.All(char.IsAsciiDigit) || (text.Length > 1 && text[0] == '0')) return null;
        var value = int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        return value <= max ? value : null;
    }

    /// <summary>A rule is risky when it opens one of the policy's ports to the world: its IPv4 source
    /// (in the IPv4 field) or its IPv6 source (in the IPv6 field) has a prefix shorter than the policy's.</summary>
    public static bool IsRisky(IngressRule rule, PublicSshSettings settings) =>
        settings.Ports.Any(port => OpensPort(rule.IpProtocol, rule.FromPort, rule.ToPort, port)) &&
        (rule.CidrIpv4 is not null
            ? Ipv4PrefixLength(rule.CidrIpv4) < settings.Ipv4WiderThan
            : Ipv6PrefixLength(rule.CidrIpv6) < settings.Ipv6WiderThan);

    /// <summary>How a rule's reach reads in a summary: "port 22", "ports 20-23", "all ports", "all traffic".</summary>
    public static string Reach(IngressRule rule)
    {
        if (NormalizeProtocol(rule.IpProtocol) == "-1") return "all traffic";
        if (AllPorts(rule.FromPort, rule.ToPort)) return "all ports";
        return rule.FromPort == rule.ToPort ? $"port {rule.FromPort}" : $"ports {rule.FromPort}-{rule.ToPort}";
    }
}
