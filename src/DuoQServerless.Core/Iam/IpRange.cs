using System.Net;
using System.Net.Sockets;

namespace DuoQServerless.Core.Iam;

/// <summary>
/// A CIDR block (IPv4 or IPv6). Host bits after the prefix are cleared on parse, as EC2 and IAM
/// do, so <c>10.1.2.3/8</c> is the block <c>10.0.0.0/8</c>. A bare address is a /32 or /128.
/// </summary>
public sealed record IpRange
{
    private readonly byte[] _network;

    private IpRange(byte[] network, int prefixLength, AddressFamily family)
    {
        _network = network;
        PrefixLength = prefixLength;
        Family = family;
    }

    public int PrefixLength { get; }
    public AddressFamily Family { get; }
    public IPAddress Network => new(_network);
    public bool IsEverything => PrefixLength == 0;

    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IpRange? range)
    {
        range = null;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var slash = text.IndexOf('/');
        var addressText = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(addressText, out var address)) return false;
        var bytes = address.GetAddressBytes();
        var maxPrefix = bytes.Length * 8;
        var prefix = maxPrefix;
        if (slash >= 0)
        {
            var prefixText = text[(slash + 1)..];
            // Only plain decimal digits: "0.0.0.0/00" or "/+8" are not CIDRs EC2 would store.
            if (prefixText.Length is 0 or > 3 || !prefixText.All(char.IsAsciiDigit) || (prefixText.Length > 1 && prefixText[0] == '0'))
                return false;
            prefix = int.Parse(prefixText, System.Globalization.CultureInfo.InvariantCulture);
            if (prefix > maxPrefix) return false;
        }
        range = new IpRange(Mask(bytes, prefix), prefix, address.AddressFamily);
        return true;
    }

    public static IpRange Parse(string text) =>
        TryParse(text, out var range) ? range : throw new FormatException($"\"{text}\" is not an IP address or CIDR block");

    public bool Contains(IPAddress address)
    {
        if (address.AddressFamily != Family) return false;
        var masked = Mask(address.GetAddressBytes(), PrefixLength);
        return masked.AsSpan().SequenceEqual(_network);
    }

    /// <summary>Whether every address of <paramref name="other"/> is inside this block.</summary>
    public bool Covers(IpRange other) =>
        other.Family == Family && other.PrefixLength >= PrefixLength && Contains(other.Network);

    public bool Equals(IpRange? other) =>
        other is not null && other.PrefixLength == PrefixLength && other._network.AsSpan().SequenceEqual(_network);

    public override int GetHashCode() => HashCode.Combine(PrefixLength, Convert.ToHexString(_network));

    public override string ToString() => $"{Network}/{PrefixLength}";

    private static byte[] Mask(byte[] bytes, int prefix)
    {
        var result = (byte[])bytes.Clone();
        for (var i = 0; i < result.Length; i++)
        {
            var keep = Math.Clamp(prefix - (i * 8), 0, 8);
            result[i] &= (byte)(0xFF << (8 - keep));
        }
        return result;
    }
}
