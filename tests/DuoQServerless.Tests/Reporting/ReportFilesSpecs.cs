using System.Text;
using DuoQServerless.Core.Reporting;
using DuoQServerless.Testing.Reporting;

namespace DuoQServerless.Tests.Reporting;

/// <summary>The three files of a report and the dated folder they go in.</summary>
public sealed class ReportFilesSpecs
{
    [Fact]
    public void A_report_is_three_files_with_their_media_types()
    {
        var files = ReportFiles.Render(ReportSamples.Full());

        Assert.Equal(
            [("report.html", "text/html; charset=utf-8"), ("report.json", "application/json"), ("findings.csv", "text/csv; charset=utf-8; header=present")],
            files.Select(f => (f.Name, f.ContentType)));
        Assert.StartsWith("<!DOCTYPE html>", Encoding.UTF8.GetString(files[0].Content));
    }

    [Fact]
    public void The_folder_is_dated_in_UTC_down_to_the_second()
    {
        var inParis = new DateTimeOffset(2026, 11, 24, 1, 2, 3, TimeSpan.FromHours(1));

        Assert.Equal("reports/2026/11/24/000203/", ReportFiles.Prefix(inParis));
    }
}
