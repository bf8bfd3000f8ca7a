using DuoQServerless.Aws.Approval;
using DuoQServerless.Aws.Audit;
using DuoQServerless.Aws.Notifications;
using DuoQServerless.Aws.Protocol;
using DuoQServerless.Aws.Reporting;
using DuoQServerless.Aws.Sns;
using DuoQServerless.Aws.Validation;
using DuoQServerless.Core.Policy;
using DuoQServerless.Core.Reporting;

namespace DuoQServerless.Functions.Reporting;

/// <summary>Where the scheduled report reads from and writes to (template.yaml sets them).</summary>
/// <param name="AuditTable">Guard activity, approvals, the validator's last result and <c>report#last</c>.</param>
/// <param name="TopicArn">The findings topic the summary goes to.</param>
/// <param name="ReportBucket">The bucket the three files go to, under reports/.</param>
public sealed record ReportDestinations(string AuditTable, string TopicArn, string ReportBucket);

/// <summary>What one scheduled report did: the report, where it is, whether the summary went out.</summary>
/// <param name="Problems">What the run could not read or save besides the scans (the last report's
/// marker, the validator's result, an approver): the report went out without it; the handler logs it.</param>
public sealed record ReportJobResult(ComplianceReport Report, ReportLocation Location, NotifyOutcome Notification)
{
    public IReadOnlyList<string> Problems { get; init; } = [];
}

/// <summary>
/// One scheduled report: guard activity since the last report (<c>report#last</c>; the last
/// <see cref="DefaultWindow"/> when there is none), the account scanned in every region of the
/// policy, the validator's last stored result, the three files to the bucket, the summary to the
/// topic, then <c>report#last</c> moved to this report. The files are written before the marker
/// moves, so a run that fails leaves its period to the next one.
/// </summary>
public sealed class ComplianceReportJob(GuardPolicy policy, RegionalClients clients, ReportDestinations destinations, TimeProvider clock)
{
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromHours(24);

    public async Task<ReportJobResult> RunAsync(string account, Action<ScanProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var aws = clients.Home;
        // Whole milliseconds: report#last stores them, and the next period must start exactly here.
        var read = clock.GetUtcNow();
        var now = read.AddTicks(-(read.Ticks % TimeSpan.TicksPerMillisecond));
        var problems = new List<string>();
        var lastReport = new LastReportStore(aws.DynamoDb, destinations.AuditTable);
        var last = await TryAsync(problems, "the last report's marker (the period is the default window)", lastReport.GetAsync, cancellationToken);
        var approvals = new ApprovalStore(aws.DynamoDb, destinations.AuditTable);
        var run = new ReportRun
        {
            Account = account,
            Regions = policy.ReportRegions,
            // A marker ahead of this clock (skew between runs) gives an empty period, never a negative one.
            Since = last is null ? now - DefaultWindow : Min(last.GeneratedAt, now),
            Now = now,
            Validator = await TryAsync(problems, "the validator's last result", ValidatorAsync, cancellationToken),
            ApproverOf = async (id, ct) => (await TryAsync(problems, $"the approver of {id}", token => approvals.GetAsync(id, token), ct))?.DecidedBy,
        };

        var report = await ComplianceReportRun.BuildAsync(
            run, ComplianceScanners.For(policy, clients, now), new AuditStore(aws.DynamoDb, destinations.AuditTable).ListSinceAsync, progress, cancellationToken);
        ReportLocation location;
        try
        {
            location = await ReportWriter.WriteAsync(report, new S3ReportSink(aws.S3, destinations.ReportBucket, aws.Settings.Region.SystemName), cancellationToken);
        }
        // Not written (no permission, bucket gone): said on the topic, then the invocation fails so
        // that Lambda retries it; the marker stays, so the next run covers this period too.
        catch (ReportWriteException e)
        {
            await PublishAsync(new ReportNotice($"DuoQ report {account}: not written", $"The compliance report could not be written: {e.Message}"), cancellationToken);
            throw;
        }
        var notification = await PublishAsync(ReportNotice.Compose(report, location), cancellationToken);
        await TryAsync(problems, "the marker for the next report (it will cover this period again)",
            async token => (object?)await lastReport.TryAdvanceAsync(now, location.Folder, token), cancellationToken);
        return new ReportJobResult(report, location, notification) { Problems = problems };
    }

    /// <summary>A read or write the report can do without: its failure becomes a problem the handler logs.</summary>
    private static async Task<T?> TryAsync<T>(List<string> problems, string what, Func<CancellationToken, Task<T?>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(cancellationToken);
        }
        // Refused or unreachable: the report still goes out, without this part.
        catch (Exception e) when (Aws.Guards.AwsErrors.Translate(e, cancellationToken) is { } translated)
        {
            lock (problems) problems.Add($"could not read or save {what}: {translated.Message}");
            return default;
        }
    }

    private async Task<ValidatorSection?> ValidatorAsync(CancellationToken cancellationToken) =>
        (await new ValidationStore(clients.Home.DynamoDb, destinations.AuditTable).GetLastAsync(cancellationToken))?.Report is { } validation
            ? ValidatorSection.From(validation)
            : null;

    private async Task<NotifyOutcome> PublishAsync(ReportNotice notice, CancellationToken cancellationToken)
    {
        try
        {
            var sent = await clients.Home.Sns.PublishAsync(new PublishRequest(destinations.TopicArn, notice.Message) { Subject = notice.Subject }, cancellationToken);
            return new NotifyOutcome.Sent(sent.MessageId);
        }
        // The report is written: a summary that cannot go out is logged, and the next report's goes out.
        // Failing here would make Lambda retry the whole scan for a message.
        catch (AwsApiException e)
        {
            return new NotifyOutcome.NotSent($"{e.ErrorCode}: {e.ErrorMessage}");
        }
        catch (HttpRequestException e)
        {
            return new NotifyOutcome.NotSent($"unreachable: {e.Message}");
        }
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a <= b ? a : b;
}
