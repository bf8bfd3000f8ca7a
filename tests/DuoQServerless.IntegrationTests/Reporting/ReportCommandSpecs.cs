using DuoQServerless.Aws.Audit;
using DuoQServerless.Cli;
using DuoQServerless.Cli.Emulator;
using DuoQServerless.Core.Audit;
using DuoQServerless.Core.Reporting;
using DuoQServerless.IntegrationTests.Clients;
using DuoQServerless.IntegrationTests.Harness;
using DuoQServerless.Testing.Reporting;
using static DuoQServerless.IntegrationTests.Reporting.SeededAccount;

namespace DuoQServerless.IntegrationTests.Reporting;

/// <summary>`duoq report` run in-process against the emulator, as a person runs it after `duoq demo --keep`.</summary>
public sealed class ReportCommandSpecs(MotoFixture moto) : ClientSpec(moto)
{
    private readonly StringWriter _out = new();
    private readonly StringWriter _error = new();
    private DirectoryInfo _folder = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _folder = Directory.CreateTempSubdirectory("duoq-report-cli-");
    }

    public override Task DisposeAsync()
    {
        _folder.Delete(recursive: true);
        return base.DisposeAsync();
    }

    private Task<int> DuoqAsync(params string[] args) =>
        DuoqCommand.RunAsync(args, new CliContext(_out, _error, new Dictionary<string, string?>(), _folder.FullName));

    [Fact]
    public async Task The_report_is_written_to_the_out_folder_and_its_counts_are_printed()
    {
        var account = new SeededAccount(Endpoint);
        await account.GroupAsync("us-east-1", "open-ssh", Tcp(22, 22, "0.0.0.0/0"));
        await account.GroupAsync("eu-west-1", "open-ssh", Tcp(22, 22, "0.0.0.0/0"));
        await Aws.Rds.CreateInstanceAsync("orders-db");
        var stack = await EmulatorStack.EnsureAsync(Aws, CancellationToken.None);
        var twoHoursAgo = DateTimeOffset.UtcNow.AddHours(-2);
        await new AuditStore(Aws.DynamoDb, stack.AuditTable).TryBeginAsync(
            ReportSamples.Entry("ev-1", "public-ssh", "revert", twoHoursAgo, AuditState.InProgress, null, null), twoHoursAgo);

        var exit = await DuoqAsync("report", "--endpoint", Endpoint.ToString(), "--region", "us-east-1", "eu-west-1", "--out", "out", "--since", "24h");

        Assert.True(exit == 0, $"exit {exit}\n{_out}\n{_error}");
        var folder = Assert.Single(Directory.GetDirectories(Path.Combine(_folder.FullName, "out", "reports"), "*", SearchOption.AllDirectories), d => Directory.GetFiles(d).Length > 0);
        Assert.Equal(["findings.csv", "report.html", "report.json"], Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var report = ReportJson.Deserialize(await File.ReadAllTextAsync(Path.Combine(folder, "report.json")));
        Assert.Equal(["eu-west-1", "us-east-1"], report.Regions);

        var printed = _out.ToString();
        Assert.Contains("Exposed now: 3", printed);
        Assert.Contains("Security groups open to the internet: 2", printed);
        Assert.Contains("Databases without deletion protection: 1", printed);
        Assert.Contains("Caught and done: 1 findings", printed);
        Assert.Contains($"Report: {Path.Combine(folder, "report.html")}", printed);
        // Not a terminal: progress is one plain line per finished scan (2 regional scans x 3 kinds + 2 IAM scans).
        Assert.Contains("[8/8]", printed);
        Assert.Contains("security groups in eu-west-1: done", printed);
        Assert.Equal("", _error.ToString());
    }

    [Theory]
    [InlineData("--since", "yesterday")]
    [InlineData("--since", "0h")]
    [InlineData("--since", "500d")]
    [InlineData("--region", "Frankfurt")]
    [InlineData("--endpoint", "localhost:5000")]
    public async Task A_bad_argument_is_a_usage_error_with_exit_code_2(string option, string value)
    {
        var exit = await DuoqAsync("report", option, value);

        Assert.Equal(2, exit);
        Assert.Contains(option, _error.ToString());
        Assert.Empty(Directory.GetFileSystemEntries(_folder.FullName));
    }
}
