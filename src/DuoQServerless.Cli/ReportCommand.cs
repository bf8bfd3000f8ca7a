using System.CommandLine;
using System.Text.RegularExpressions;
using Amazon;
using Amazon.Runtime;
using Amazon.SecurityToken.Model;
using DuoQServerless.Aws;
using DuoQServerless.Aws.Approval;
using DuoQServerless.Aws.Audit;
using DuoQServerless.Aws.Reporting;
using DuoQServerless.Aws.Validation;
using DuoQServerless.Cli.Emulator;
using DuoQServerless.Core.Audit;
using DuoQServerless.Core.Policy;
using DuoQServerless.Core.Reporting;
using DuoQServerless.Functions.Guards;
using Spectre.Console;

namespace DuoQServerless.Cli;

/// <summary>What `duoq report` was asked for, checked.</summary>
/// <param name="Regions">Regions to scan; empty means the policy's reportRegions.</param>
/// <param name="Since">How far back guard activity is read.</param>
/// <param name="AuditTable">The audit table; null: DUOQ_AUDIT_TABLE, or the emulator stack's with an endpoint.</param>
public sealed record ReportRequest(Uri? Endpoint, IReadOnlyList<string> Regions, string OutDirectory, TimeSpan Since, string? PolicyDocument = null, string? AuditTable = null);

/// <summary>
/// `duoq report`: the compliance report the scheduled function makes, written to a local folder
/// (the same three files under the same dated folders) with its summary printed. Exit 0 when the
/// report is written, 2 on bad arguments, 3 when the account or the folder could not be reached.
/// </summary>
public static partial class ReportCommand
{
    /// <summary>Audit items live 400 days; a longer window would only look empty.</summary>
    private static readonly TimeSpan LongestSince = TimeSpan.FromDays(400);

    public static Command Create(CliContext context)
    {
        var endpoint = new Option<string?>("--endpoint") { Description = "Send every AWS call to this URL (an emulator such as moto, e.g. from `duoq demo --keep`); fake \"testing\" keys unless credentials are set." };
        var regions = new Option<string[]>("--region") { Description = "A region to scan (repeat, or separate with commas); default: the policy's reportRegions.", AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--out") { Description = "Folder the report goes under (dated subfolders).", DefaultValueFactory = _ => "duoq-report" };
        var since = new Option<string>("--since") { Description = "How far back guard activity is read: 90m, 24h, 7d (at most 400d).", DefaultValueFactory = _ => "24h" };
        var policy = new Option<string?>("--policy") { Description = "A policy document (YAML or JSON) instead of the bundled default: thresholds, exemption tags, regions." };
        var auditTable = new Option<string?>("--audit-table") { Description = "The audit table (default: DUOQ_AUDIT_TABLE; the emulator stack's with --endpoint)." };
        var command = new Command("report", "Scan the account as it is now, add what the guards caught and did, and write report.html, report.json and findings.csv.")
        {
            endpoint, regions, output, since, policy, auditTable,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var request = new ReportRequest(
                EndpointOption.Parse(parse.GetValue(endpoint)),
                RegionsOf(parse.GetValue(regions) ?? []),
                context.ResolvePath(parse.GetValue(output)!),
                SinceOf(parse.GetValue(since)!),
                parse.GetValue(policy) is { } file ? await ReadPolicyAsync(context, file, cancellationToken) : null,
                parse.GetValue(auditTable));
            return await RunAsync(context, request, cancellationToken);
        });
        return command;
    }

    public static async Task<int> RunAsync(CliContext context, ReportRequest request, CancellationToken cancellationToken)
    {
        var policy = request.PolicyDocument is { } document ? PolicyOf(document) : GuardPolicy.Default;
        IReadOnlyList<string> regions = request.Regions.Count > 0 ? request.Regions : policy.ReportRegions;
        using var clients = new RegionalClients(Settings(context, request.Endpoint, regions[0]));
        var aws = clients.Home;
        var now = DateTimeOffset.UtcNow;

        string account;
        try
        {
            account = (await aws.Sts.GetCallerIdentityAsync(new GetCallerIdentityRequest(), cancellationToken)).Account;
        }
        // No credentials, or AWS unreachable: there is no account to report on.
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException or HttpRequestException)
        {
            await context.Error.WriteLineAsync($"duoq: cannot read the account: {e.Message}");
            return ExitCodes.InternalError;
        }

        var table = request.AuditTable ?? Variable(context, "DUOQ_AUDIT_TABLE")
            ?? (request.Endpoint is null ? null : (await EmulatorStack.EnsureAsync(aws, cancellationToken)).AuditTable);
        var run = new ReportRun { Account = account, Regions = regions, Since = now - request.Since, Now = now };
        Func<DateTimeOffset, CancellationToken, IAsyncEnumerable<AuditEntry>> auditSince = (_, _) => NoEntries();
        if (table is null)
        {
            context.Ui.MarkupLine("[yellow]No audit table[/] (--audit-table or DUOQ_AUDIT_TABLE): what the guards caught and did is not in this report.");
        }
        else
        {
            var approvals = new ApprovalStore(aws.DynamoDb, table);
            var validation = await new ValidationStore(aws.DynamoDb, table).GetLastAsync(cancellationToken);
            run = run with
            {
                Validator = validation?.Report is { } last ? ValidatorSection.From(last) : null,
                ApproverOf = async (id, ct) => (await approvals.GetAsync(id, ct))?.DecidedBy,
            };
            auditSince = new AuditStore(aws.DynamoDb, table).ListSinceAsync;
        }

        context.Ui.MarkupLine($"Scanning account [bold]{Markup.Escape(account)}[/] in {Markup.Escape(string.Join(", ", regions))}...");
        var scanners = ComplianceScanners.For(policy, clients, now);
        var report = context.Ui.Profile.Capabilities.Interactive
            ? await WithProgressBarsAsync(context.Ui, progress => ComplianceReportRun.BuildAsync(run, scanners, auditSince, progress, cancellationToken))
            : await ComplianceReportRun.BuildAsync(run, scanners, auditSince, p => ProgressLine(context.Out, p), cancellationToken);

        ReportLocation location;
        try
        {
            location = await ReportWriter.WriteAsync(report, new DirectoryReportSink(request.OutDirectory), cancellationToken);
        }
        // A read-only or full disk: nothing was reported; the message names the file.
        catch (ReportWriteException e)
        {
            await context.Error.WriteLineAsync($"duoq: {e.Message}");
            return ExitCodes.InternalError;
        }

        context.Out.WriteLine();
        context.Out.Write(ReportNotice.Compose(report, location).Message);
        return ExitCodes.Ok;
    }

    private static async Task<ComplianceReport> WithProgressBarsAsync(IAnsiConsole ui, Func<Action<ScanProgress>, Task<ComplianceReport>> build)
    {
        ComplianceReport? report = null;
        await ui.Progress().AutoClear(false).StartAsync(async progress =>
        {
            var bars = new Dictionary<(string, string), ProgressTask>();
            report = await build(p =>
            {
                var key = (p.Scanner, p.Region);
                if (!bars.TryGetValue(key, out var bar)) bars[key] = bar = progress.AddTask(Markup.Escape(Scan(p)), maxValue: 1);
                if (p.Step == ScanStep.Failed) bar.Description = Markup.Escape($"{Scan(p)}: not scanned ({p.Problem})");
                if (p.Step != ScanStep.Started) bar.Value = 1;
            });
        });
        return report!;
    }

    private static void ProgressLine(TextWriter output, ScanProgress p)
    {
        switch (p.Step)
        {
            case ScanStep.Started:
                break;
            case ScanStep.Finished:
                output.WriteLine($"  [{p.Finished}/{p.Total}] {Scan(p)}: done");
                break;
            case ScanStep.Failed:
                output.WriteLine($"  [{p.Finished}/{p.Total}] {Scan(p)}: not scanned ({p.Problem})");
                break;
            default:
                throw new System.Diagnostics.UnreachableException();
        }
    }

    private static string Scan(ScanProgress p) => p.Region == AccountScan.GlobalRegion ? $"{p.Scanner} (global)" : $"{p.Scanner} in {p.Region}";

    private static async IAsyncEnumerable<AuditEntry> NoEntries()
    {
        await Task.CompletedTask;
        yield break;
    }

    private static IReadOnlyList<string> RegionsOf(string[] values)
    {
        var regions = values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct(StringComparer.Ordinal).ToArray();
        // RegionEndpoint accepts any text; a name not shaped like a region is a typo.
        foreach (var region in regions)
            if (!RegionName().IsMatch(region)) throw new UsageException($"--region: \"{region}\" is not an AWS region name (like us-east-1)");
        return regions;
    }

    private static TimeSpan SinceOf(string text) =>
        Durations.TryParse(text.Trim(), out var since) && since > TimeSpan.Zero && since <= LongestSince
            ? since
            : throw new UsageException($"--since: \"{text}\" is not a duration from 1s to 400d, such as 90m, 24h or 7d");

    private static async Task<string> ReadPolicyAsync(CliContext context, string file, CancellationToken cancellationToken)
    {
        var path = context.ResolvePath(file);
        if (!File.Exists(path)) throw new UsageException($"--policy: no such file {path}");
        var document = await File.ReadAllTextAsync(path, cancellationToken);
        _ = PolicyOf(document, path); // a bad policy is the user's to fix, before anything is scanned
        return document;
    }

    private static GuardPolicy PolicyOf(string document, string source = "--policy")
    {
        try
        {
            return PolicyLoader.Parse(document, source);
        }
        // PolicyLoader names every bad field; that message is the usage error.
        catch (InvalidOperationException e)
        {
            throw new UsageException(e.Message);
        }
    }

    private static string? Variable(CliContext context, string name) =>
        context.Environment.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    /// <summary>The home region (audit table, IAM, STS): AWS_REGION or AWS_DEFAULT_REGION, else the first region scanned.</summary>
    private static AwsSettings Settings(CliContext context, Uri? endpoint, string firstRegion)
    {
        string? Lookup(string name) => Variable(context, name);
        var home = (Lookup("AWS_REGION") ?? Lookup("AWS_DEFAULT_REGION") ?? firstRegion).Trim();
        if (!RegionName().IsMatch(home)) throw new UsageException($"AWS_REGION: \"{home}\" is not an AWS region name (like us-east-1)");
        AWSCredentials? credentials = (Lookup("AWS_ACCESS_KEY_ID"), Lookup("AWS_SECRET_ACCESS_KEY"), Lookup("AWS_SESSION_TOKEN")) switch
        {
            ({ } id, { } secret, { } token) => new SessionAWSCredentials(id, secret, token),
            ({ } id, { } secret, null) => new BasicAWSCredentials(id, secret),
            _ when endpoint is not null => EmulatorCredentials.Create(),
            // The default chain: profile, SSO, instance or container role.
            _ => null,
        };
        return new AwsSettings { Region = RegionEndpoint.GetBySystemName(home), EndpointOverride = endpoint, Credentials = credentials, EnvironmentVariables = Lookup };
    }

    [GeneratedRegex(@"^[a-z]{2}(-[a-z]+)+-\d{1,2}$")]
    private static partial Regex RegionName();
}
