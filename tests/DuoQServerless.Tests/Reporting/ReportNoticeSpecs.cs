using DuoQServerless.Core.Reporting;
using DuoQServerless.Testing.Reporting;

namespace DuoQServerless.Tests.Reporting;

/// <summary>The SNS message that tells people a report is ready.</summary>
public sealed class ReportNoticeSpecs
{
    private static readonly ReportLocation InBucket = new(
        "s3://duoq-reports/reports/2026/11/24/120000/",
        "s3://duoq-reports/reports/2026/11/24/120000/report.html",
        "s3://duoq-reports/reports/2026/11/24/120000/report.json",
        "s3://duoq-reports/reports/2026/11/24/120000/findings.csv")
    { BrowseUrl = "https://s3.console.aws.amazon.com/s3/buckets/duoq-reports?region=us-east-1&prefix=reports%2F2026%2F11%2F24%2F120000%2F" };

    [Fact]
    public void The_subject_names_the_account_and_the_main_counts_in_under_100_characters()
    {
        var notice = ReportNotice.Compose(ReportSamples.Full(), InBucket);

        Assert.Equal("DuoQ report 123456789012: 6 exposed, 7 caught, 3 reverted, 1 pending approval", notice.Subject);
        Assert.True(notice.Subject.Length < 100);
    }

    [Fact]
    public void A_subject_that_would_be_too_long_is_cut_to_fit_SNS()
    {
        var report = ReportSamples.Full() with { Account = new string('9', 120) };

        var notice = ReportNotice.Compose(report, InBucket);

        Assert.True(notice.Subject.Length < 100, notice.Subject);
        Assert.EndsWith("...", notice.Subject);
    }

    [Fact]
    public void The_message_gives_the_counts_and_where_the_report_is()
    {
        var message = ReportNotice.Compose(ReportSamples.Full(), InBucket).Message;

        Assert.Contains("Exposed now: 6", message);
        Assert.Contains("Security groups open to the internet: 2", message);
        Assert.Contains("Duo/Q validator: 1 of 3 checks failing", message);
        Assert.Contains("Reverted: 3 (failed: 1)", message);
        Assert.Contains("Approvals: 1 pending, 1 approved, 1 rejected, 1 timed out", message);
        Assert.Contains("Not scanned (1): running instances in ap-south-1", message);
        Assert.Contains("Report: s3://duoq-reports/reports/2026/11/24/120000/report.html", message);
        Assert.Contains("Open: https://s3.console.aws.amazon.com/", message);
    }
}
