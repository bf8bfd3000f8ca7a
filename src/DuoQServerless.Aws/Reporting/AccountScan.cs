using Amazon.Runtime;
using DuoQServerless.Core.Reporting;

namespace DuoQServerless.Aws.Reporting;

/// <summary>
/// One kind of check over the account as it is now (security groups, running instances, RDS,
/// IAM...). A regional scanner is run once per region; a global one (IAM) once. A scanner
/// throws when it cannot finish (SDK errors, or <see cref="ScanFailedException"/> from our own
/// clients); <see cref="AccountScan"/> turns that into a gap in the report.
/// </summary>
public interface IAccountScanner
{
    /// <summary>What the report calls this scan when it could not finish ("security groups").</summary>
    string Name { get; }

    ScanReach Reach { get; }

    Task<ScanFindings> ScanAsync(string region, CancellationToken cancellationToken);
}

public enum ScanReach
{
    Regional,
    /// <summary>The service is global (IAM): scanned once, through the home region.</summary>
    Global,
}

/// <summary>A scanner could not finish; the message is for the report's reader.</summary>
public sealed class ScanFailedException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>How far a scan has come, for a progress display. Sent once when a scan starts and once when it ends.</summary>
public sealed record ScanProgress(string Scanner, string Region, ScanStep Step, int Finished, int Total, string? Problem = null);

public enum ScanStep { Started, Finished, Failed }

public sealed record ScanOptions
{
    /// <summary>Scans in flight at once, over every scanner and region; AWS throttles bursts per account.</summary>
    public int MaxConcurrency { get; init; } = 4;

    /// <summary>The region global scanners go through; defaults to the first region scanned.</summary>
    public string? HomeRegion { get; init; }
}

/// <summary>Runs every scanner over every region with bounded concurrency and merges what they found.</summary>
public static class AccountScan
{
    public const string GlobalRegion = "global";

    public static async Task<ScanFindings> RunAsync(
        IReadOnlyList<IAccountScanner> scanners,
        IReadOnlyList<string> regions,
        ScanOptions? options = null,
        Action<ScanProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new ScanOptions();
        if (options.MaxConcurrency < 1) throw new ArgumentOutOfRangeException(nameof(options), options.MaxConcurrency, "MaxConcurrency must be at least 1");
        var home = options.HomeRegion ?? regions.FirstOrDefault();
        var work = scanners.SelectMany(scanner => scanner.Reach switch
        {
            ScanReach.Regional => regions.Distinct(StringComparer.Ordinal).Select(region => (Scanner: scanner, Region: region, Label: region)),
            ScanReach.Global => home is null ? [] : [(Scanner: scanner, Region: home, Label: GlobalRegion)],
            _ => throw new ArgumentOutOfRangeException(nameof(scanners), scanner.Reach, "unknown scan reach"),
        }).ToList();

        var results = new ScanFindings[work.Count];
        var gate = new object();
        var finished = 0;
        void Report(ScanProgress p)
        {
            // The display is called from one thread at a time, so it needs no locking of its own.
            lock (gate) progress?.Invoke(p with { Finished = p.Step == ScanStep.Started ? finished : ++finished });
        }

        await Parallel.ForEachAsync(
            Enumerable.Range(0, work.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.MaxConcurrency, CancellationToken = cancellationToken },
            async (i, token) =>
            {
                var (scanner, region, label) = work[i];
                Report(new ScanProgress(scanner.Name, label, ScanStep.Started, 0, work.Count));
                try
                {
                    results[i] = await scanner.ScanAsync(region, token);
                    Report(new ScanProgress(scanner.Name, label, ScanStep.Finished, 0, work.Count));
                }
                // One region or service failing (access denied, an opted-out region, throttling
                // past the SDK's retries, an unreachable endpoint) must not cost the rest of the
                // report: the gap is listed in it instead.
                catch (Exception e) when (IsScanFailure(e, token))
                {
                    var reason = Reason(e);
                    results[i] = new ScanFindings { Gaps = [new ScanGap(scanner.Name, label, reason)] };
                    Report(new ScanProgress(scanner.Name, label, ScanStep.Failed, 0, work.Count, reason));
                }
            });

        return results.Aggregate(ScanFindings.None, (all, one) => all.Merge(one));
    }

    private static bool IsScanFailure(Exception e, CancellationToken token) => e switch
    {
        ScanFailedException or AmazonServiceException or AmazonClientException or HttpRequestException => true,
        // An HTTP timeout surfaces as a cancellation the caller did not ask for.
        OperationCanceledException => !token.IsCancellationRequested,
        _ => false,
    };

    private static string Reason(Exception e) => e switch
    {
        AmazonServiceException { ErrorCode: { Length: > 0 } code } service => $"{code}: {service.Message}",
        OperationCanceledException => "timed out",
        _ => e.Message,
    };
}
