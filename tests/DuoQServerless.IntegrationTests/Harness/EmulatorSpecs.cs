using System.Diagnostics;
using System.Net.Sockets;
using Amazon.EC2;
using Amazon.EC2.Model;
using DuoQServerless.Cli.Emulator;

namespace DuoQServerless.IntegrationTests.Harness;

public sealed class EmulatorSpecs(MotoFixture moto) : MotoTest(moto)
{
    private AmazonEC2Client Ec2(Uri endpoint) =>
        new(TestCredentials.Default, new AmazonEC2Config { ServiceURL = endpoint.ToString(), AuthenticationRegion = TestCredentials.Region });

    [Fact]
    public async Task The_emulator_answers_AWS_calls_on_a_loopback_port()
    {
        Assert.Equal("127.0.0.1", Endpoint.Host);
        using var ec2 = Ec2(Endpoint);
        var vpcs = await ec2.DescribeVpcsAsync(new DescribeVpcsRequest());
        Assert.Contains(vpcs.Vpcs, v => v.IsDefault == true);
    }

    [Fact]
    public async Task A_reset_gives_the_next_test_an_empty_account()
    {
        using var ec2 = Ec2(Endpoint);
        await ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest("left-behind", "from an earlier test"));

        await Moto.Server.ResetAsync();

        var groups = await ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest());
        Assert.DoesNotContain(groups.SecurityGroups, g => g.GroupName == "left-behind");
    }

    [Fact]
    public async Task Two_emulators_do_not_share_state()
    {
        await using var other = await MotoServer.StartAsync();
        using var here = Ec2(Endpoint);
        using var there = Ec2(other.Endpoint);
        await here.CreateSecurityGroupAsync(new CreateSecurityGroupRequest("only-here", "isolation"));

        var groups = await there.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest());

        Assert.NotEqual(Endpoint, other.Endpoint);
        Assert.DoesNotContain(groups.SecurityGroups, g => g.GroupName == "only-here");
    }

    [Fact]
    public async Task Disposing_the_emulator_leaves_no_process_and_frees_the_port()
    {
        var server = await MotoServer.StartAsync();
        var pid = server.ProcessId;
        var port = server.Endpoint.Port;

        await server.DisposeAsync();

        Assert.False(IsRunning(pid));
        using var client = new TcpClient();
        await Assert.ThrowsAsync<SocketException>(() => client.ConnectAsync("127.0.0.1", port));
    }

    [Fact]
    public async Task The_launcher_exits_when_the_process_that_started_it_dies()
    {
        // Stands in for a test host that crashed before it could dispose the emulator.
        using var parent = Process.Start("sleep", "600");
        var orphan = await MotoServer.StartAsync(new MotoOptions { ParentProcessId = parent.Id });
        using var ec2 = Ec2(orphan.Endpoint);
        await ec2.DescribeVpcsAsync(new DescribeVpcsRequest());

        parent.Kill();
        await parent.WaitForExitAsync();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (IsRunning(orphan.ProcessId) && DateTime.UtcNow < deadline) await Task.Delay(200);
        var exitedByItself = !IsRunning(orphan.ProcessId);
        await orphan.DisposeAsync();
        Assert.True(exitedByItself, "the emulator outlived the process that started it");
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        // GetProcessById throws when no such process exists: that is the answer.
        catch (ArgumentException)
        {
            return false;
        }
    }
}
