using DuoQServerless.Aws.Reporting;
using DuoQServerless.Core.Guards.Ssh;
using DuoQServerless.Core.Reporting;
using DuoQServerless.IntegrationTests.Harness;
using static DuoQServerless.IntegrationTests.Reporting.SeededAccount;

namespace DuoQServerless.IntegrationTests.Reporting;

public sealed class SecurityGroupScannerSpecs(MotoFixture moto) : MotoTest(moto)
{
    private const string Region = TestCredentials.Region;
    private static readonly PublicSshSettings SshAndRdp = PublicSshSettings.Default with { Ports = [22, 3389] };
    private SeededAccount Account => new(Endpoint);

    private async Task<(string OpenSsh, string AllV6, string Office, string Lab, string Rdp, string Approved)> SeedAsync() => (
        await Account.GroupAsync(Region, "open-ssh", Tcp(22, 22, "0.0.0.0/0")),
        await Account.GroupAsync(Region, "all-v6", AllTraffic("::/0")),
        await Account.GroupAsync(Region, "office-ssh", Tcp(22, 22, "203.0.113.0/24")),
        await Account.GroupAsync(Region, "lab", Tcp(22, 22, "0.0.0.0/0"), ("duoq:exempt", "true")),
        await Account.GroupAsync(Region, "rdp", Tcp(3389, 3389, "0.0.0.0/0")),
        await Account.GroupAsync(Region, "vendor", Tcp(22, 22, "0.0.0.0/0"), ("duoq:approved", "apr-7f3c")));

    [Fact]
    public async Task Groups_open_to_the_world_on_port_22_are_listed_and_an_office_range_is_not()
    {
        var seeded = await SeedAsync();

        var found = await new SecurityGroupScanner(Account.Ec2, PublicSshSettings.Default).ScanAsync(Region, CancellationToken.None);

        Assert.Equal(
            new[] { seeded.OpenSsh, seeded.AllV6 }.Order(StringComparer.Ordinal),
            found.Exposed.OpenSecurityGroups.Select(g => g.GroupId).Order(StringComparer.Ordinal));
        var openSsh = found.Exposed.OpenSecurityGroups.Single(g => g.GroupId == seeded.OpenSsh);
        Assert.Equal(("open-ssh", Region), (openSsh.GroupName, openSsh.Region));
        Assert.StartsWith("vpc-", openSsh.VpcId);
        Assert.Equal(new RiskyIngressRule("tcp", 22, 22, "0.0.0.0/0", [22]), Assert.Single(openSsh.Rules), RuleComparer.Instance);
        var allV6 = Assert.Single(found.Exposed.OpenSecurityGroups.Single(g => g.GroupId == seeded.AllV6).Rules);
        Assert.Equal(("all", "::/0", "all ports"), (allV6.Protocol, allV6.Cidr, allV6.Ports));
    }

    [Fact]
    public async Task Exempt_and_approved_groups_are_listed_apart_with_the_tag_that_accepts_them()
    {
        var seeded = await SeedAsync();

        var found = await new SecurityGroupScanner(Account.Ec2, PublicSshSettings.Default).ScanAsync(Region, CancellationToken.None);

        var lab = found.Accepted.Single(a => a.ResourceId == seeded.Lab);
        Assert.Equal((AcceptanceKind.Exempt, "duoq:exempt", "true", "tcp 22 from 0.0.0.0/0"), (lab.Acceptance, lab.Tag, lab.TagValue, lab.Exposure));
        var vendor = found.Accepted.Single(a => a.ResourceId == seeded.Approved);
        Assert.Equal((AcceptanceKind.Approved, "apr-7f3c"), (vendor.Acceptance, vendor.TagValue));
        Assert.DoesNotContain(found.Exposed.OpenSecurityGroups, g => g.GroupId == seeded.Lab || g.GroupId == seeded.Approved);
    }

    [Fact]
    public async Task A_port_the_policy_adds_is_watched_too()
    {
        var seeded = await SeedAsync();

        var sshOnly = await new SecurityGroupScanner(Account.Ec2, PublicSshSettings.Default).ScanAsync(Region, CancellationToken.None);
        var withRdp = await new SecurityGroupScanner(Account.Ec2, SshAndRdp).ScanAsync(Region, CancellationToken.None);

        Assert.DoesNotContain(sshOnly.Exposed.OpenSecurityGroups, g => g.GroupId == seeded.Rdp);
        var rdp = withRdp.Exposed.OpenSecurityGroups.Single(g => g.GroupId == seeded.Rdp);
        Assert.Equal([3389], Assert.Single(rdp.Rules).ExposedPorts);
        Assert.Equal([22, 3389], Assert.Single(withRdp.Exposed.OpenSecurityGroups.Single(g => g.GroupId == seeded.AllV6).Rules).ExposedPorts);
    }

    [Fact]
    public async Task A_group_with_several_open_rules_is_listed_once_with_each_rule()
    {
        var id = await Account.GroupAsync(Region, "wide", Tcp(0, 1024, "0.0.0.0/0"));
        using (var ec2 = Account.Ec2(Region))
            await ec2.AuthorizeSecurityGroupIngressAsync(new() { GroupId = id, IpPermissions = [Tcp(22, 22, "::/0")] });

        var found = await new SecurityGroupScanner(Account.Ec2, PublicSshSettings.Default).ScanAsync(Region, CancellationToken.None);

        var group = Assert.Single(found.Exposed.OpenSecurityGroups);
        Assert.Equal(["tcp 0-1024 from 0.0.0.0/0", "tcp 22 from ::/0"], group.Rules.Select(r => $"{r.Ports} from {r.Cidr}").Order(StringComparer.Ordinal));
    }

    private sealed class RuleComparer : IEqualityComparer<RiskyIngressRule>
    {
        public static readonly RuleComparer Instance = new();

        public bool Equals(RiskyIngressRule? x, RiskyIngressRule? y) =>
            x is not null && y is not null && (x.Protocol, x.FromPort, x.ToPort, x.Cidr) == (y.Protocol, y.FromPort, y.ToPort, y.Cidr) && x.ExposedPorts.SequenceEqual(y.ExposedPorts);

        public int GetHashCode(RiskyIngressRule obj) => obj.Cidr.GetHashCode(StringComparison.Ordinal);
    }
}
