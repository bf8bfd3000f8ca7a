using DuoQServerless.Core.Guards.Ssh;
using DuoQServerless.Core.Reporting;

namespace DuoQServerless.Tests.Reporting;

public sealed class OpenIngressSpecs
{
    private static readonly PublicSshSettings Ssh = PublicSshSettings.Default;
    private static readonly PublicSshSettings SshAndRdp = Ssh with { Ports = [22, 3389] };

    private static IngressPermission Tcp(int from, int to, params string[] cidrs) =>
        new("tcp", from, to, [.. cidrs.Where(c => !c.Contains(':'))], [.. cidrs.Where(c => c.Contains(':'))]);

    [Fact]
    public void Port_22_open_to_every_IPv4_address_is_risky()
    {
        var rules = OpenIngress.RiskyRules([Tcp(22, 22, "0.0.0.0/0")], Ssh);

        var rule = Assert.Single(rules);
        Assert.Equal(("tcp", 22, 22, "0.0.0.0/0"), (rule.Protocol, rule.FromPort, rule.ToPort, rule.Cidr));
        Assert.Equal("tcp 22", rule.Ports);
    }

    [Fact]
    public void All_traffic_from_every_IPv6_address_exposes_every_watched_port()
    {
        var rules = OpenIngress.RiskyRules([new IngressPermission("-1", null, null, [], ["::/0"])], SshAndRdp);

        var rule = Assert.Single(rules);
        Assert.Equal("all", rule.Protocol);
        Assert.Equal("all ports", rule.Ports);
        Assert.Equal([22, 3389], rule.ExposedPorts);
    }

    [Fact]
    public void A_port_range_that_contains_22_is_risky()
    {
        var rule = Assert.Single(OpenIngress.RiskyRules([Tcp(0, 1024, "0.0.0.0/0")], Ssh));

        Assert.Equal("tcp 0-1024", rule.Ports);
    }

    [Fact]
    public void Port_22_open_to_an_office_network_is_not_risky()
    {
        Assert.Empty(OpenIngress.RiskyRules([Tcp(22, 22, "203.0.113.0/24")], Ssh));
    }

    [Fact]
    public void A_world_open_port_the_policy_does_not_watch_is_not_risky()
    {
        Assert.Empty(OpenIngress.RiskyRules([Tcp(443, 443, "0.0.0.0/0")], Ssh));
    }

    [Fact]
    public void A_port_the_policy_adds_is_risky_when_open_to_the_world()
    {
        var rule = Assert.Single(OpenIngress.RiskyRules([Tcp(3389, 3389, "0.0.0.0/0")], SshAndRdp));

        Assert.Equal([3389], rule.ExposedPorts);
    }

    [Fact]
    public void UDP_on_port_22_is_not_SSH()
    {
        Assert.Empty(OpenIngress.RiskyRules([new IngressPermission("udp", 22, 22, ["0.0.0.0/0"], [])], Ssh));
    }

    [Fact]
    public void A_rule_open_to_both_address_families_lists_each_world_range()
    {
        var rules = OpenIngress.RiskyRules([Tcp(22, 22, "0.0.0.0/0", "::/0", "10.0.0.0/8")], Ssh);

        Assert.Equal(["0.0.0.0/0", "::/0"], rules.Select(r => r.Cidr));
    }

    [Fact]
    public void A_source_wider_than_the_policy_allows_counts_as_the_internet()
    {
        var wide = Ssh with { Ipv4WiderThan = 8 };

        Assert.Single(OpenIngress.RiskyRules([Tcp(22, 22, "0.0.0.0/1")], wide));
        Assert.Empty(OpenIngress.RiskyRules([Tcp(22, 22, "0.0.0.0/1")], Ssh));
    }

    [Fact]
    public void The_whole_port_range_reads_as_all_ports()
    {
        var rule = Assert.Single(OpenIngress.RiskyRules([Tcp(0, 65535, "0.0.0.0/0")], Ssh));

        Assert.Equal(("tcp", "all ports"), (rule.Protocol, rule.Ports));
    }
}
