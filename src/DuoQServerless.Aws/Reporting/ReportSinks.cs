using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using DuoQServerless.Core.Reporting;

namespace DuoQServerless.Aws.Reporting;

/// <summary>Where a report's files go: the report bucket (the Lambda) or a directory (the CLI's --out).</summary>
public interface IReportSink
{
    /// <summary>Writes the files under <paramref name="folder"/> ("reports/2026/11/24/120000/"), report.html last.</summary>
    Task<ReportLocation> WriteAsync(string folder, IReadOnlyList<ReportFile> files, CancellationToken cancellationToken = default);
}

/// <summary>The report could not be written; the message names where.</summary>
public sealed class ReportWriteException(string message, Exception inner) : Exception(message, inner);

public static class ReportWriter
{
    /// <summary>Renders the three files and writes them under the report's dated folder.</summary>
    public static Task<ReportLocation> WriteAsync(ComplianceReport report, IReportSink sink, CancellationToken cancellationToken = default) =>
        sink.WriteAsync(ReportFiles.Prefix(report.GeneratedAt), ReportFiles.Render(report), cancellationToken);

    /// <summary>report.html is written last, so once it is there the whole report is.</summary>
    internal static IEnumerable<ReportFile> HtmlLast(IReadOnlyList<ReportFile> files) =>
        files.OrderBy(f => f.Name == ReportFiles.HtmlName ? 1 : 0);
}

/// <summary>
/// Writes to the report bucket. The bucket's encryption, privacy and lifecycle rule are the
/// template's; objects carry only their content type. <paramref name="consoleRegion"/>, when
/// given, adds an S3 console link to the location for the SNS message.
/// </summary>
public sealed class S3ReportSink(IAmazonS3 s3, string bucket, string? consoleRegion = null) : IReportSink
{
    public async Task<ReportLocation> WriteAsync(string folder, IReadOnlyList<ReportFile> files, CancellationToken cancellationToken = default)
    {
        foreach (var file in ReportWriter.HtmlLast(files))
        {
            var key = folder + file.Name;
            try
            {
                using var body = new MemoryStream(file.Content, writable: false);
                await s3.PutObjectAsync(new PutObjectRequest
                {
                    BucketName = bucket,
                    Key = key,
                    InputStream = body,
                    ContentType = file.ContentType,
                }, cancellationToken);
            }
            // Translated here so callers see which object failed, not an SDK type.
            catch (AmazonServiceException e)
            {
                throw new ReportWriteException($"could not write s3://{bucket}/{key}: {e.ErrorCode} {e.Message}", e);
            }
        }
        string Uri(string name) => $"s3://{bucket}/{folder}{name}";
        return new ReportLocation($"s3://{bucket}/{folder}", Uri(ReportFiles.HtmlName), Uri(ReportFiles.JsonName), Uri(ReportFiles.CsvName))
        {
            BrowseUrl = consoleRegion is null ? null
                : $"https://s3.console.aws.amazon.com/s3/buckets/{System.Uri.EscapeDataString(bucket)}?region={System.Uri.EscapeDataString(consoleRegion)}&prefix={System.Uri.EscapeDataString(folder)}",
        };
    }
}

/// <summary>Writes under a local directory (the CLI's --out, ./duoq-report by default), in the same dated folders.</summary>
public sealed class DirectoryReportSink(string root) : IReportSink
{
    public async Task<ReportLocation> WriteAsync(string folder, IReadOnlyList<ReportFile> files, CancellationToken cancellationToken = default)
    {
        var directory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(Path.Combine(root, folder.Replace('/', Path.DirectorySeparatorChar))));
        foreach (var file in ReportWriter.HtmlLast(files))
        {
            var path = Path.Combine(directory, file.Name);
            try
            {
                Directory.CreateDirectory(directory);
                await File.WriteAllBytesAsync(path, file.Content, cancellationToken);
            }
            // A read-only or full disk is the user's to fix; say which file.
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ReportWriteException($"could not write {path}: {e.Message}", e);
            }
        }
        var html = Path.Combine(directory, ReportFiles.HtmlName);
        return new ReportLocation(directory, html, Path.Combine(directory, ReportFiles.JsonName), Path.Combine(directory, ReportFiles.CsvName))
        {
            BrowseUrl = new Uri(html).AbsoluteUri,
        };
    }
}
