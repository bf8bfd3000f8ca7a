using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using DuoQServerless.Aws.Reporting;
using DuoQServerless.Core.Reporting;
using DuoQServerless.IntegrationTests.Harness;
using DuoQServerless.Testing.Reporting;

namespace DuoQServerless.IntegrationTests.Reporting;

/// <summary>The three files land under the report's dated folder, in the bucket or in --out.</summary>
public sealed class ReportWriterSpecs(MotoFixture moto) : MotoTest(moto)
{
    private const string Bucket = "duoq-reports-123456789012";
    private AmazonS3Client _s3 = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _s3 = new AmazonS3Client(TestCredentials.Default, new AmazonS3Config
        {
            ServiceURL = Endpoint.ToString(), ForcePathStyle = true, AuthenticationRegion = TestCredentials.Region,
        });
        await _s3.PutBucketAsync(new PutBucketRequest { BucketName = Bucket });
    }

    public override Task DisposeAsync()
    {
        _s3.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_files_are_written_to_the_bucket_under_the_dated_prefix_with_their_content_types()
    {
        var report = ReportSamples.Full();

        var location = await ReportWriter.WriteAsync(report, new S3ReportSink(_s3, Bucket, TestCredentials.Region));

        var listed = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket });
        Assert.Equal(
            ["reports/2026/11/24/120000/findings.csv", "reports/2026/11/24/120000/report.html", "reports/2026/11/24/120000/report.json"],
            listed.S3Objects.Select(o => o.Key).Order(StringComparer.Ordinal));
        Assert.Equal("text/html; charset=utf-8", await ContentTypeAsync("reports/2026/11/24/120000/report.html"));
        Assert.Equal("application/json", await ContentTypeAsync("reports/2026/11/24/120000/report.json"));
        Assert.StartsWith("text/csv", await ContentTypeAsync("reports/2026/11/24/120000/findings.csv"));
        Assert.Equal($"s3://{Bucket}/reports/2026/11/24/120000/report.html", location.Html);
        Assert.Contains("prefix=reports%2F2026%2F11%2F24%2F120000%2F", location.BrowseUrl);
    }

    [Fact]
    public async Task What_is_in_the_bucket_is_exactly_what_was_rendered()
    {
        var report = ReportSamples.Full();

        await ReportWriter.WriteAsync(report, new S3ReportSink(_s3, Bucket));

        using var json = await _s3.GetObjectAsync(Bucket, "reports/2026/11/24/120000/report.json");
        using var reader = new StreamReader(json.ResponseStream, Encoding.UTF8);
        Assert.Equal(ReportJson.Serialize(report), await reader.ReadToEndAsync());
    }

    [Fact]
    public async Task A_missing_bucket_is_reported_with_where_the_write_failed()
    {
        var error = await Assert.ThrowsAsync<ReportWriteException>(() =>
            ReportWriter.WriteAsync(ReportSamples.Full(), new S3ReportSink(_s3, "no-such-bucket")));

        Assert.Contains("s3://no-such-bucket/reports/2026/11/24/120000/", error.Message);
        Assert.Contains("NoSuchBucket", error.Message);
    }

    [Fact]
    public async Task The_same_files_are_written_under_a_local_directory()
    {
        var root = Directory.CreateTempSubdirectory("duoq-report-");
        try
        {
            var location = await ReportWriter.WriteAsync(ReportSamples.Full(), new DirectoryReportSink(root.FullName));

            var folder = Path.Combine(root.FullName, "reports", "2026", "11", "24", "120000");
            Assert.Equal(["findings.csv", "report.html", "report.json"], Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            Assert.Equal(Path.Combine(folder, "report.html"), location.Html);
            Assert.Equal(ReportHtml.Render(ReportSamples.Full()), await File.ReadAllTextAsync(location.Html));
            Assert.StartsWith("file:///", location.BrowseUrl);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    private async Task<string> ContentTypeAsync(string key) =>
        (await _s3.GetObjectMetadataAsync(Bucket, key)).Headers.ContentType;
}
