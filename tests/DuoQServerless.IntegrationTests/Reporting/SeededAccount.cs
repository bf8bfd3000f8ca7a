using Amazon.EC2;
using Amazon.EC2.Model;
using DuoQServerless.Core.Guards.Instances;
using DuoQServerless.Core.Reporting;
using DuoQServerless.IntegrationTests.Harness;

namespace DuoQServerless.IntegrationTests.Reporting;

/// <summary>Puts security groups and instances into the emulator the way an account would have them.</summary>
internal sealed class SeededAccount(Uri endpoint)
{
    public const string Image = "ami-12c6146b";

    /// <summary>A client for a region; moto keeps one account per region, keyed by the signing region.</summary>
    public IAmazonEC2 Ec2(string region) =>
        new AmazonEC2Client(TestCredentials.Default, new AmazonEC2Config { ServiceURL = endpoint.ToString(), AuthenticationRegion = region });

    public async Task<string> GroupAsync(string region, string name, IpPermission? ingress, params (string Key, string Value)[] tags)
    {
        using var ec2 = Ec2(region);
        var created = await ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest(name, $"seeded {name}")
        {
            TagSpecifications = tags.Length == 0 ? null : [new TagSpecification { ResourceType = ResourceType.SecurityGroup, Tags = [.. tags.Select(t => new Tag(t.Key, t.Value))] }],
        });
        if (ingress is not null)
            await ec2.AuthorizeSecurityGroupIngressAsync(new AuthorizeSecurityGroupIngressRequest { GroupId = created.GroupId, IpPermissions = [ingress] });
        return created.GroupId;
    }

    public static IpPermission Tcp(int from, int to, string cidr) => new()
    {
        IpProtocol = "tcp", FromPort = from, ToPort = to,
        Ipv4Ranges = cidr.Contains(':') ? null : [new IpRange { CidrIp = cidr }],
        Ipv6Ranges = cidr.Contains(':') ? [new Ipv6Range { CidrIpv6 = cidr }] : null,
    };

    public static IpPermission AllTraffic(string cidr)
    {
        var permission = Tcp(0, 0, cidr);
        permission.IpProtocol = "-1";
        permission.FromPort = null;
        permission.ToPort = null;
        return permission;
    }

    public async Task<string> InstanceAsync(string region, string type, bool running = true, params (string Key, string Value)[] tags)
    {
        using var ec2 = Ec2(region);
        var run = await ec2.RunInstancesAsync(new RunInstancesRequest(Image, 1, 1)
        {
            InstanceType = InstanceType.FindValue(type),
            TagSpecifications = tags.Length == 0 ? null : [new TagSpecification { ResourceType = ResourceType.Instance, Tags = [.. tags.Select(t => new Tag(t.Key, t.Value))] }],
        });
        var id = run.Reservation.Instances[0].InstanceId;
        if (!running) await ec2.StopInstancesAsync(new StopInstancesRequest([id]));
        return id;
    }

    /// <summary>The oversized-instance guard's default rules and its bundled price table.</summary>
    public static readonly InstanceSizeJudge DefaultSizing = InstanceSizing.Judge(OversizedInstanceSettings.Default, InstancePrices.Bundled);
}
