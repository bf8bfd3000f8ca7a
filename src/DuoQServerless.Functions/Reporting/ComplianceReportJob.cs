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
public sealed record ReportJobResult(ComplianceReport Report, ReportLocation Location, NotifyOutcome Notification);

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
        var lastReport = new LastReportStore(aws.DynamoDb, destinations.AuditTable);
        var last = await lastReport.GetAsync(cancellationToken);
        var approvals = new ApprovalStore(aws.DynamoDb, destinations.AuditTable);
        var run = new ReportRun
        {
            Account = account,
            Regions = policy.ReportRegions,
            // A marker ahead of this clock (skew between runs) gives an empty period, never a negative one.
            Since = last is null ? now - DefaultWindow : Min(last.GeneratedAt, now),
            Now = now,
            Validator = await ValidatorAsync(cancellationToken),
            ApproverOf = async (id, ct) => (await approvals.GetAsync(id, ct))?.DecidedBy,
        };

        var report = await ComplianceReportRun.BuildAsync(
            run, ComplianceScanners.For(policy, clients, now), new AuditStore(aws.DynamoDb, destinations.AuditTable).ListSinceAsync, progress, cancellationToken);
        var location = await ReportWriter.WriteAsync(report, new S3ReportSink(aws.S3, destinations.ReportBucket, aws.Settings.Region.SystemName), cancellationToken);
        var notification = await PublishAsync(ReportNotice.Compose(report, location), cancellationToken);
        await lastReport.TryAdvanceAsync(now, location.Folder, cancellationToken);
        return new ReportJobResult(report, location, notification);
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
