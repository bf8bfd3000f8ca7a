using Amazon.EC2;
using Amazon.EC2.Model;
using DuoQServerless.Core.Guards.Ssh;
using DuoQServerless.Core.Reporting;

namespace DuoQServerless.Aws.Reporting;

/// <summary>
/// Security groups with a watched port (the public-ssh block's ports: 22, and any the policy adds)
/// open to the internet by the guard's rules, all-traffic rules and port ranges included. Groups
/// tagged exempt or approved are listed apart. <paramref name="ec2For"/> gives a client for a
/// region; the scanner disposes it.
/// </summary>
public sealed class SecurityGroupScanner(
    Func<string, IAmazonEC2> ec2For,
    PublicSshSettings settings,
    AcceptancePolicy? acceptance = null,
    int? pageSize = null) : IAccountScanner
{
    private readonly AcceptancePolicy _acceptance = acceptance ?? AcceptancePolicy.Default;

    public string Name => "security groups";

    public ScanReach Reach => ScanReach.Regional;

    public async Task<ScanFindings> ScanAsync(string region, CancellationToken cancellationToken)
    {
        using var ec2 = ec2For(region);
        var open = new List<OpenSecurityGroup>();
        var accepted = new List<AcceptedResource>();
        var groups = ec2.Paginators.DescribeSecurityGroups(new DescribeSecurityGroupsRequest { MaxResults = pageSize }).SecurityGroups;
        await foreach (var group in groups.WithCancellation(cancellationToken))
        {
            var rules = OpenIngress.RiskyRules((group.IpPermissions ?? []).Select(Permission), settings);
            if (rules.Count == 0) continue;
            var exposure = string.Join("; ", rules.Select(r => $"{r.Ports} from {r.Cidr}"));
            if (_acceptance.Accept(Ec2Tags.Of(group.Tags)) is { } accept)
                accepted.Add(accept.For(ExposureKind.OpenSecurityGroup, group.GroupId, group.GroupName, region, exposure));
            else
                open.Add(new OpenSecurityGroup(group.GroupId, group.GroupName, group.VpcId, region, rules));
        }
        return new ScanFindings { Exposed = new ExposedNow { OpenSecurityGroups = open }, Accepted = accepted };
    }

    private static IngressPermission Permission(IpPermission p) => new(
        p.IpProtocol ?? "",
        p.FromPort,
        p.ToPort,
        [.. (p.Ipv4Ranges ?? []).Select(r => r.CidrIp).OfType<string>()],
        [.. (p.Ipv6Ranges ?? []).Select(r => r.CidrIpv6).OfType<string>()]);
}

internal static class Ec2Tags
{
    public static IReadOnlyDictionary<string, string> Of(List<Tag>? tags)
    {
        var byKey = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in tags ?? []) byKey[tag.Key] = tag.Value ?? "";
        return byKey;
    }
}
