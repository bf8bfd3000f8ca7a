using Amazon.EC2;
using DuoQServerless.Aws.Reporting;
using DuoQServerless.Core.Guards.Ssh;
using DuoQServerless.Core.Reporting;
using DuoQServerless.IntegrationTests.Harness;
using static DuoQServerless.IntegrationTests.Reporting.SeededAccount;

namespace DuoQServerless.IntegrationTests.Reporting;

/// <summary>Every scanner over every region of the policy, a few at a time, with progress and gaps.</summary>
public sealed class AccountScanSpecs(MotoFixture moto) : MotoTest(moto)
{
    private static readonly string[] Regions = ["us-east-1", "eu-west-1", "ap-southeast-2"];
    private SeededAccount Account => new(Endpoint);

    private IReadOnlyList<IAccountScanner> Scanners(Func<string, IAmazonEC2>? ec2For = null) =>
    [
        new SecurityGroupScanner(ec2For ?? Account.Ec2, PublicSshSettings.Default),
        new RunningInstanceScanner(ec2For ?? Account.Ec2, DefaultSizing),
    ];

    [Fact]
    public async Task What_every_region_exposes_is_found_and_said_where()
    {
        var east = await Account.GroupAsync("us-east-1", "open", Tcp(22, 22, "0.0.0.0/0"));
        var west = await Account.GroupAsync("eu-west-1", "open", Tcp(22, 22, "0.0.0.0/0"));
        var sydney = await Account.InstanceAsync("ap-southeast-2", "m5.24xlarge");

        var found = await AccountScan.RunAsync(Scanners(), Regions);

        Assert.Equal([("eu-west-1", west), ("us-east-1", east)],
            found.Exposed.OpenSecurityGroups.Select(g => (g.Region, g.GroupId)).Order());
        Assert.Equal(("ap-southeast-2", sydney), found.Exposed.OversizedInstances.Select(i => (i.Region, i.InstanceId)).Single());
        Assert.Empty(found.Gaps);
    }

    [Fact]
    public async Task Progress_tells_when_each_scan_starts_and_ends()
    {
        var seen = new List<ScanProgress>();

        await AccountScan.RunAsync(Scanners(), Regions, new ScanOptions { MaxConcurrency = 2 }, seen.Add);

        Assert.Equal(6, seen.Count(p => p.Step == ScanStep.Started));
        Assert.Equal(6, seen.Count(p => p.Step == ScanStep.Finished));
        Assert.All(seen, p => Assert.Equal(6, p.Total));
        Assert.Equal([1, 2, 3, 4, 5, 6], seen.Where(p => p.Step != ScanStep.Started).Select(p => p.Finished));
        Assert.Equal(
            Regions.SelectMany(r => new[] { ("security groups", r), ("running instances", r) }).Order(),
            seen.Where(p => p.Step == ScanStep.Finished).Select(p => (p.Scanner, p.Region)).Order());
    }

    [Fact]
    public async Task No_more_scans_run_at_once_than_the_limit()
    {
        var gauge = new ConcurrencyGauge();
        IAccountScanner[] scanners = [.. Scanners().Select(s => new Gauged(s, gauge))];

        await AccountScan.RunAsync(scanners, Regions, new ScanOptions { MaxConcurrency = 2 });

        Assert.Equal(6, gauge.Calls);
        Assert.InRange(gauge.Peak, 1, 2);
    }

    [Fact]
    public async Task A_region_that_cannot_be_scanned_is_a_gap_in_the_report_not_a_failed_report()
    {
        var east = await Account.GroupAsync("us-east-1", "open", Tcp(22, 22, "0.0.0.0/0"));
        IAmazonEC2 Ec2(string region) => region == "eu-west-1" ? Unreachable(region) : Account.Ec2(region);

        var found = await AccountScan.RunAsync(Scanners(Ec2), ["us-east-1", "eu-west-1"]);

        Assert.Equal(east, Assert.Single(found.Exposed.OpenSecurityGroups).GroupId);
        Assert.Equal(["running instances in eu-west-1", "security groups in eu-west-1"],
            found.Gaps.Select(g => $"{g.Scanner} in {g.Region}").Order(StringComparer.Ordinal));
        Assert.All(found.Gaps, g => Assert.False(string.IsNullOrWhiteSpace(g.Reason)));
    }

    /// <summary>A loopback port nothing listens on: the connection is refused at once, no traffic leaves the machine.</summary>
    private static AmazonEC2Client Unreachable(string region)
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new AmazonEC2Client(TestCredentials.Default, new AmazonEC2Config
        {
            ServiceURL = $"http://127.0.0.1:{port}/", AuthenticationRegion = region, MaxErrorRetry = 0, Timeout = TimeSpan.FromSeconds(5),
        });
    }

    private sealed class ConcurrencyGauge
    {
        private int _inFlight;
        private int _peak;
        private int _calls;
        public int Peak => _peak;
        public int Calls => _calls;

        public async Task<T> MeasureAsync<T>(Func<Task<T>> work)
        {
            Interlocked.Increment(ref _calls);
            var now = Interlocked.Increment(ref _inFlight);
            int seen;
            while ((seen = _peak) < now && Interlocked.CompareExchange(ref _peak, now, seen) != seen) { }
            try
            {
                // Holds the slot long enough that unbounded scans would overlap.
                await Task.Delay(100);
                return await work();
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }
    }

    /// <summary>Counts how many scans are in flight; the scan itself still goes to the emulator.</summary>
    private sealed class Gauged(IAccountScanner inner, ConcurrencyGauge gauge) : IAccountScanner
    {
        public string Name => inner.Name;
        public ScanReach Reach => inner.Reach;
        public Task<ScanFindings> ScanAsync(string region, CancellationToken cancellationToken) =>
            gauge.MeasureAsync(() => inner.ScanAsync(region, cancellationToken));
    }
}
