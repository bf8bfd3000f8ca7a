using System.Text.Json;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;

namespace DuoQServerless.Tests.Fuzzing;

/// <summary>One generated ingress permission, each part as the raw JSON CloudTrail would hold (null: absent).</summary>
internal sealed record GeneratedPermission(string? Protocol, string? FromPort, string? ToPort, string? CidrIp, string? CidrIpv6)
{
    public override string ToString() => $"protocol={Protocol ?? "-"} from={FromPort ?? "-"} to={ToPort ?? "-"} cidrIp={CidrIp ?? "-"} cidrIpv6={CidrIpv6 ?? "-"}";
}

/// <summary>
/// What "a well-formed risky record" means for public SSH, written out independently of the
/// detector: what EC2 accepts in a successful AuthorizeSecurityGroupIngress and what that opens.
/// <list type="bullet">
/// <item>Protocol: tcp (any case) or 6 opens a port range; -1 (or "all", the CLI's word for it) opens
/// everything; any other protocol never reaches TCP port 22.</item>
/// <item>For tcp EC2 requires a port range: integers with 0 &lt;= from &lt;= to &lt;= 65535 (no -1, no
/// missing port, nothing outside the range: EC2 refuses those, so a successful record cannot hold them).</item>
/// <item>Source: a CIDR of its own family in EC2's syntax (dotted decimal without leading zeros,
/// standard IPv6 text, a decimal prefix), prefix /0. Host bits are allowed: EC2 clears them
/// (10.1.2.3/0 is stored as 0.0.0.0/0), and IPv6 spellings of :: (::0/0) are the same network.
/// Anything else (spaces, /00, 000.000.000.000, an IPv6 range in the IPv4 field) EC2 refuses as
/// malformed.</item>
/// </list>
/// </summary>
internal static partial class SshRuleOracle
{
    public static readonly string[] WorldIpv4 = ["0.0.0.0/0", "10.1.2.3/0", "255.255.255.255/0", "192.0.2.1/0"];

    public static readonly string[] WorldIpv6 = ["::/0", "::0/0", "0:0:0:0:0:0:0:0/0", "0::0/0", "2001:db8::/0", "FFFF::/0", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/0"];

    public static readonly string[] NarrowIpv4 = ["10.0.0.0/8", "0.0.0.0/1", "203.0.113.7/32", "0.0.0.0/32", "203.0.113.7", "0.0.0.0", "128.0.0.0/1"];

    public static readonly string[] NarrowIpv6 = ["::/1", "2001:db8::/32", "::/128", "::1", "8000::/1"];

    /// <summary>Sources EC2 refuses as malformed, in either field.</summary>
    public static readonly string[] Malformed =
    [
        "0.0.0.0/00", "000.000.000.000/0", "00.0.0.0/0", " 0.0.0.0/0", "0.0.0.0/0 ", "0.0.0.0 /0", "0.0.0.0/ 0", "0/0", "0.0/0", "0.0.0/0",
        "0x0.0.0.0/0", "0.0.0.0/-0", "0.0.0.0/+0", "0.0.0.0/0/0", "0.0.0.0/", "/0", "0.0.0.0/0\n", "0.0.0.256/0", "1.2.3.4.5/0",
        "0.0.0.0/33", "0.0.0.0/4294967296", "０.０.０.０/０", "0.0.0.0\u0000/0", "0.0.0.0/0\u0000",
        "::/00", "::/0000", " ::/0", "::/0 ", "[::]/0", "[::]:22/0", "::%eth0/0", "::%1/0", ":::/0", "::g/0", "::/129", "::/-0", "1::2::3/0", "::/0/0",
        "", " ", "/", "world", "any", "*",
    ];

    public static Gen<string?> Protocols { get; } = Gen.Elements<string?>(
        "\"tcp\"", "\"TCP\"", "\"Tcp\"", "\"6\"", "6", "\"-1\"", "-1", "\"all\"", "\"ALL\"", "\"t\\u0063p\"",
        "\"udp\"", "\"17\"", "17", "\"icmp\"", "\"58\"", "\"icmpv6\"", "\"47\"", "\" tcp\"", "\"tcp \"", "\"06\"", "6.0", "\"6.0\"",
        "\"\"", "null", "true", "[]", "{}", "\"\\ud800\"", null);

    public static Gen<string?> Ports { get; } = Gen.Elements<string?>(
        "22", "0", "20", "21", "23", "1024", "65535", "-1", "65536", "-2", "2147483648", "\"22\"", "\"0\"", "\"65535\"", "\"-1\"", "\"65536\"",
        "\" 22\"", "\"22 \"", "22.0", "2.2e1", "\"22.0\"", "\"twenty-two\"", "\"0x16\"", "\"２２\"", "null", "true", "[]", "{}", "\"\"", null);

    public static Gen<string?> Ipv4Sources { get; } =
        Gen.Frequency((3, Gen.Elements(WorldIpv4)), (2, Gen.Elements(NarrowIpv4)), (4, Gen.Elements(Malformed)), (1, Gen.Elements(WorldIpv6)))
            .Select(cidr => (string?)JsonSerializer.Serialize(cidr));

    public static Gen<string?> Ipv6Sources { get; } =
        Gen.Frequency((3, Gen.Elements(WorldIpv6)), (2, Gen.Elements(NarrowIpv6)), (4, Gen.Elements(Malformed)), (1, Gen.Elements(WorldIpv4)))
            .Select(cidr => (string?)JsonSerializer.Serialize(cidr));

    public static Gen<GeneratedPermission> Permissions { get; } =
        from protocol in Protocols
        from fromPort in Ports
        from toPort in Gen.Frequency((2, Gen.Constant<string?>(null)), (8, Ports))
        from ipv6 in Gen.Elements(false, true)
        from source in ipv6 ? Ipv6Sources : Ipv4Sources
        select new GeneratedPermission(protocol, fromPort, toPort ?? fromPort, ipv6 ? null : source, ipv6 ? source : null);

    /// <summary>Whether this permission, in a successful call, opens TCP port 22 to the whole internet.</summary>
    public static bool IsWellFormedRisky(GeneratedPermission permission)
    {
        var protocol = Text(permission.Protocol)?.ToLowerInvariant();
        var opensPort22 = protocol switch
        {
            "-1" or "all" => true,
            "tcp" or "6" => Integer(permission.FromPort) is { } from && Integer(permission.ToPort) is { } to &&
                            0 <= from && from <= 22 && 22 <= to && to <= 65535,
            _ => false,
        };
        var source = Text(permission.CidrIp) is { } v4
            ? WorldIpv4.Contains(v4, StringComparer.Ordinal)
            : Text(permission.CidrIpv6) is { } v6 && WorldIpv6.Contains(v6, StringComparer.Ordinal);
        return opensPort22 && source;
    }

    /// <summary>The value of a JSON string, or the text of a JSON number.</summary>
    private static string? Text(string? json)
    {
        if (json is null) return null;
        using var document = JsonDocument.Parse(json);
        return document.RootElement.ValueKind switch
        {
            JsonValueKind.String => document.RootElement.TryGetString(out var text) ? text : null,
            JsonValueKind.Number => document.RootElement.GetRawText(),
            _ => null,
        };
    }

    /// <summary>An integer EC2 reads as one: a JSON integer, or a string of decimal digits.</summary>
    private static long? Integer(string? json) =>
        Text(json) is { } text && IntegerText().IsMatch(text) && long.TryParse(text, out var value) && value is >= int.MinValue and <= int.MaxValue
            ? value
            : null;

    [GeneratedRegex("^[+-]?[0-9]{1,10}$")]
    private static partial Regex IntegerText();

    private static bool TryGetString(this JsonElement element, out string? text)
    {
        try
        {
            text = element.GetString();
            return true;
        }
        // A lone surrogate cannot become a .NET string: such a value is no protocol or CIDR EC2 would accept.
        catch (InvalidOperationException)
        {
            text = null;
            return false;
        }
    }
}
