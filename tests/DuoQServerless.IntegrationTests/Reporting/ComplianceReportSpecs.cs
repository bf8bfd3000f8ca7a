using System.Text.Json;
using AngleSharp.Html.Parser;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.EC2.Model;
using CsvHelper;
using DuoQServerless.Aws.Approval;
using DuoQServerless.Aws.Audit;
using DuoQServerless.Aws.Reporting;
using DuoQServerless.Core.Approval;
using DuoQServerless.Core.Audit;
using DuoQServerless.Core.Guards.Ssh;
using DuoQServerless.Core.Reporting;
using DuoQServerless.IntegrationTests.Approval;
using DuoQServerless.IntegrationTests.Harness;
using DuoQServerless.Testing;
using DuoQServerless.Testing.Reporting;
using static DuoQServerless.IntegrationTests.Reporting.SeededAccount;

namespace DuoQServerless.IntegrationTests.Reporting;

/// <summary>A seeded account and audit table in, the three files out, as the scheduled function makes them.</summary>
public sealed class ComplianceReportSpecs(MotoFixture moto) : MotoTest(moto)
{
    private const string Table = "duoq-audit";
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly string[] Regions = ["us-east-1", "eu-west-1"];
    private AmazonDynamoDBClient _dynamo = null!;
    private DirectoryInfo _out = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _dynamo = new AmazonDynamoDBClient(TestCredentials.Default, new AmazonDynamoDBConfig { ServiceURL = Endpoint.ToString(), AuthenticationRegion = TestCredentials.Region });
        await AuditTable.EnsureExistsAsync(_dynamo, Table);
        _out = Directory.CreateTempSubdirectory("duoq-report-");
    }

    public override Task DisposeAsync()
    {
        _dynamo.Dispose();
        _out.Delete(recursive: true);
        return Task.CompletedTask;
    }

    private sealed record Seeded(string[] ExposedGroups, string[] ExposedInstances, string Exempt, string Approved);

    private async Task<Seeded> SeedAccountAsync()
    {
        var account = new SeededAccount(Endpoint);
        var openSsh = await account.GroupAsync("us-east-1", "open-ssh", Tcp(22, 22, "0.0.0.0/0"));
        var allV6 = await account.GroupAsync("eu-west-1", "all-v6", AllTraffic("::/0"));
        await account.GroupAsync("us-east-1", "office-ssh", Tcp(22, 22, "203.0.113.0/24"));
        var lab = await account.GroupAsync("us-east-1", "lab", Tcp(22, 22, "0.0.0.0/0"), ("duoq:exempt", "true"));
        // Approved by a person through the workflow, which tags the group with the approval id.
        var approval = ApprovalStoreSpecs.Pending(createdAt: Now.AddHours(-2));
        var approvals = new ApprovalStore(_dynamo, Table);
        await approvals.CreateAsync(approval);
        await approvals.TryDecideAsync(approval.ApprovalId, ApprovalDecision.Approve, new Decider("alice@example.com", "203.0.113.9", "Mozilla/5.0", Now.AddHours(-2).AddMinutes(5)));
        var vendor = await account.GroupAsync("us-east-1", "vendor", Tcp(22, 22, "0.0.0.0/0"), ("duoq:approved", approval.ApprovalId));
        var fixedGroup = await account.GroupAsync("us-east-1", "fixed", Tcp(22, 22, "0.0.0.0/0"));
        using (var ec2 = account.Ec2("us-east-1"))
            await ec2.RevokeSecurityGroupIngressAsync(new RevokeSecurityGroupIngressRequest { GroupId = fixedGroup, IpPermissions = [Tcp(22, 22, "0.0.0.0/0")] });
        await account.InstanceAsync("us-east-1", "t3.micro");
        var big = await account.InstanceAsync("eu-west-1", "m5.24xlarge");
        await account.InstanceAsync("us-east-1", "m5.24xlarge", running: false);
        return new Seeded([openSsh, allV6], [big], lab, vendor);
    }

    private async Task SeedAuditAsync()
    {
        var store = new AuditStore(_dynamo, Table);
        async Task Finding(string id, string risk, string decision, TimeSpan ago, AuditState end, string action, string result)
        {
            var at = Now - ago;
            await store.TryBeginAsync(ReportSamples.Entry(id, risk, decision, at, AuditState.InProgress, null, null), at);
            if (end != AuditState.InProgress) await store.FinishAsync($"{id}:{risk}", end, action, result, at.AddMinutes(3));
        }
        await Finding("ev-1", "public-ssh", "revert", TimeSpan.FromHours(20), AuditState.Done, "revoked sgr-1", "rule removed");
        await Finding("ev-2", "public-ssh", "revert", TimeSpan.FromHours(10), AuditState.Failed, "revoke sgr-2", "AccessDenied");
        await Finding("ev-3", "oversized-instance", "approve", TimeSpan.FromHours(5), AuditState.Done, "approved", "kept running");
        await Finding("ev-4", "iam-change", "approve", TimeSpan.FromHours(3), AuditState.Done, "rejected: policy detached", "detached");
        await Finding("ev-5", "rds-delete", "notify", TimeSpan.FromHours(1), AuditState.Done, "notified", "sent");
        await Finding("ev-old", "public-ssh", "revert", TimeSpan.FromDays(3), AuditState.Done, "revoked sgr-0", "rule removed");
    }

    private async Task<(ComplianceReport Report, ReportLocation Location)> RunReportAsync()
    {
        var account = new SeededAccount(Endpoint);
        var approvals = new ApprovalStore(_dynamo, Table);
        var run = new ReportRun
        {
            Account = TestCredentials.AccountId, Regions = Regions, Since = Now.AddHours(-24), Now = Now,
            ApproverOf = async (id, ct) => (await approvals.GetAsync(id, ct))?.DecidedBy,
        };
        var report = await ComplianceReportRun.BuildAsync(
            run,
            [new SecurityGroupScanner(account.Ec2, PublicSshSettings.Default), new RunningInstanceScanner(account.Ec2, DefaultSizing)],
            new AuditStore(_dynamo, Table).ListSinceAsync);
        return (report, await ReportWriter.WriteAsync(report, new DirectoryReportSink(_out.FullName)));
    }

    [Fact]
    public async Task The_report_lists_exactly_the_exposed_resources_and_the_exempt_and_approved_ones_apart()
    {
        var seeded = await SeedAccountAsync();

        var (report, location) = await RunReportAsync();

        Assert.Equal(seeded.ExposedGroups.Order(StringComparer.Ordinal), report.Exposed.OpenSecurityGroups.Select(g => g.GroupId).Order(StringComparer.Ordinal));
        Assert.Equal(seeded.ExposedInstances, report.Exposed.OversizedInstances.Select(i => i.InstanceId));
        Assert.Equal([(seeded.Exempt, AcceptanceKind.Exempt, (string?)null), (seeded.Approved, AcceptanceKind.Approved, "alice@example.com")],
            report.Accepted.Select(a => (a.ResourceId, a.Acceptance, a.ApprovedBy)).OrderBy(a => a.Acceptance));

        var page = new HtmlParser().ParseDocument(await File.ReadAllTextAsync(location.Html));
        var listedGroups = page.QuerySelectorAll("table#open-security-groups tbody tr td:first-child").Select(td => td.TextContent.Trim());
        Assert.Equal(seeded.ExposedGroups.Order(StringComparer.Ordinal), listedGroups.Order(StringComparer.Ordinal));
        Assert.Equal("3", page.QuerySelector("[data-summary='exposed-total'] .count")!.TextContent);

        var csvExposed = ReadCsv(await File.ReadAllTextAsync(location.Csv)).Where(r => r["state"] == "exposed").Select(r => r["resource"]);
        Assert.Equal(seeded.ExposedGroups.Concat(seeded.ExposedInstances).Order(StringComparer.Ordinal), csvExposed.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_caught_and_done_counts_match_the_audit_table()
    {
        await SeedAuditAsync();

        var (report, location) = await RunReportAsync();

        var inTable = await AuditItemsSinceAsync(Now.AddHours(-24));
        Assert.Equal(5, inTable.Count);
        Assert.Equal(
            inTable.GroupBy(i => (i["risk"].S, i["decision"].S)).Select(g => (g.Key.Item1, g.Key.Item2, g.Count())).Order(),
            report.Activity.ByRiskAndDecision.Select(c => (c.Risk, c.Decision, c.Count)).Order());
        // ev-1 reverted by policy and ev-4 after its approval was rejected; ev-2's revert failed.
        Assert.Equal((2, 1, 1, 1), (report.Summary.Reverted, report.Summary.RevertsFailed, report.Summary.ApprovalsApproved, report.Summary.ApprovalsRejected));

        var page = new HtmlParser().ParseDocument(await File.ReadAllTextAsync(location.Html));
        Assert.Equal(inTable.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), page.QuerySelector("[data-summary='findings-caught'] .count")!.TextContent);
        Assert.Equal(inTable.Count, ReadCsv(await File.ReadAllTextAsync(location.Csv)).Count(r => r["kind"] == FindingsCsv.AuditFindingKind));
    }

    [Fact]
    public async Task The_three_files_parse_and_report_json_matches_its_schema()
    {
        await SeedAccountAsync();
        await SeedAuditAsync();

        var (report, location) = await RunReportAsync();

        Assert.Equal(Path.Combine(_out.FullName, "reports", "2026", "11", "24", "120000"), location.Folder);
        var schema = JsonDocument.Parse(await File.ReadAllTextAsync(RepoPaths.Of("docs", "report.schema.json"))).RootElement;
        var json = JsonDocument.Parse(await File.ReadAllTextAsync(location.Json)).RootElement;
        Assert.Empty(JsonSchemaCheck.Errors(json, schema));
        Assert.Equal(ReportJson.Serialize(report), ReportJson.Serialize(ReportJson.Deserialize(await File.ReadAllTextAsync(location.Json))));
        var page = new HtmlParser(new HtmlParserOptions { IsStrictMode = true }).ParseDocument(await File.ReadAllTextAsync(location.Html));
        Assert.Equal("123456789012", page.QuerySelector("#account")!.TextContent);
        Assert.NotEmpty(ReadCsv(await File.ReadAllTextAsync(location.Csv)));
    }

    private async Task<List<Dictionary<string, AttributeValue>>> AuditItemsSinceAsync(DateTimeOffset since)
    {
        var items = (await _dynamo.ScanAsync(new ScanRequest { TableName = Table })).Items;
        // Approval items share the table; findings are the items with a risk.
        return [.. items.Where(i => i.ContainsKey("risk") && DateTimeOffset.Parse(i["createdAt"].S, System.Globalization.CultureInfo.InvariantCulture) >= since)];
    }

    private static List<Dictionary<string, string>> ReadCsv(string csv)
    {
        var options = new CsvReaderOptions
        {
            Separator = ',', Mode = CsvMode.Rfc4180,
            MalformedData = CsvMalformedDataHandling.Throw, FieldCountMismatch = CsvFieldCountHandling.Throw,
        };
        using var reader = CsvReader.FromText(csv, options);
        var header = reader.Headers.ToArray();
        var rows = new List<Dictionary<string, string>>();
        while (reader.Read()) rows.Add(header.Select((h, i) => (h, i)).ToDictionary(c => c.h, c => reader.GetString(c.i)));
        return rows;
    }
}
