using System.Diagnostics;
using DuoQServerless.Aws;
using DuoQServerless.Aws.Protocol;
using DuoQServerless.Aws.Reporting;
using DuoQServerless.Core.Audit;
using DuoQServerless.Core.Policy;
using DuoQServerless.Core.Reporting;

namespace DuoQServerless.Benchmarks.Scan;

/// <summary>One action's share of the floor: requests the scan made of it and one such request's median time alone.</summary>
public sealed record ActionFloor(string Action, int Requests, double MedianMs, int Samples)
{
    public double FloorMs => Requests * MedianMs;
}

/// <param name="ScannerMs">Each scanner's time from start to finish in the last scan, for the profile.</param>
public sealed record ScanFigures(AccountShape Shape, IReadOnlyList<double> WallsMs, double RenderMs, IReadOnlyList<ActionFloor> Actions, ReportSummary Found, IReadOnlyDictionary<string, double> ScannerMs)
{
    public double WallMs => Median(WallsMs);
    public int Requests => Actions.Sum(a => a.Requests);
    public double FloorMs => Actions.Sum(a => a.FloorMs);
    public double Ratio => WallMs / FloorMs;
    public double PerThousandGroupsMs => WallMs / (Shape.SecurityGroups / 1000.0);

    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

/// <summary>
/// Runs the compliance report's scan (every scanner <see cref="ComplianceScanners"/> sets up, through
/// <see cref="ComplianceReportRun"/>, the audit read left empty) against the seeded account, counting
/// its requests per action with an <see cref="AwsCallRecorder"/>, then times single requests of each
/// action for the floor.
/// </summary>
public sealed class ScanMeasurement(AwsSettings settings, string region, int? concurrency = null)
{
    public const int MinimumSamples = 5;

    public async Task<ScanFigures> MeasureAsync(AccountShape shape, int scans, int floorSamples, TimeSpan floorBudget, CancellationToken cancellationToken = default)
    {
        var walls = new List<double>();
        IReadOnlyList<AwsCall> calls = [];
        IReadOnlyDictionary<string, double> scanners = new Dictionary<string, double>();
        ComplianceReport? report = null;
        for (var i = 0; i < scans; i++)
        {
            var recorder = new AwsCallRecorder();
            var start = Stopwatch.GetTimestamp();
            var began = new Dictionary<string, double>();
            var took = new Dictionary<string, double>();
            report = await ScanAsync(recorder, cancellationToken, p =>
            {
                var at = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                if (p.Step == ScanStep.Started) began[p.Scanner] = at;
                else took[p.Scanner] = at - began[p.Scanner];
            });
            walls.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            scanners = took;
            calls = recorder.Calls;
        }
        if (report!.NotScanned.Count > 0)
            throw new InvalidOperationException("the scan left gaps: " + string.Join("; ", report.NotScanned.Select(g => $"{g.Scanner}: {g.Reason}")));

        var renderStart = Stopwatch.GetTimestamp();
        var files = ReportFiles.Render(report);
        var renderMs = Stopwatch.GetElapsedTime(renderStart).TotalMilliseconds;
        GC.KeepAlive(files);

        var floors = await FloorAsync(calls, floorSamples, floorBudget, cancellationToken);
        return new ScanFigures(shape, walls, renderMs, floors, report.Summary, scanners);
    }

    /// <summary>The scan with no other work in the process; also run once on the empty account to warm up the JIT.</summary>
    public async Task<ComplianceReport> ScanAsync(IAwsCallObserver observer, CancellationToken cancellationToken, Action<ScanProgress>? progress = null)
    {
        using var clients = new RegionalClients(settings with { Observer = observer });
        var now = DateTimeOffset.UtcNow;
        var run = new ReportRun
        {
            Account = "123456789012", Regions = [region], Since = now.AddDays(-1), Now = now,
            Scan = concurrency is { } n ? new ScanOptions { MaxConcurrency = n } : new ScanOptions(),
        };
        return await ComplianceReportRun.BuildAsync(run, ComplianceScanners.For(GuardPolicy.Default, clients, now), NoAudit, progress, cancellationToken);
    }

    private static async IAsyncEnumerable<AuditEntry> NoAudit(DateTimeOffset since, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask;
        yield break;
    }

    /// <summary>
    /// Single requests of each action, interleaved across actions so load falls on all alike; one
    /// unmeasured request of each first. Stops early (after at least <see cref="MinimumSamples"/>
    /// rounds) once <paramref name="budget"/> is spent: at 10,000 groups one moto answer takes seconds.
    /// </summary>
    private async Task<IReadOnlyList<ActionFloor>> FloorAsync(IReadOnlyList<AwsCall> calls, int samples, TimeSpan budget, CancellationToken cancellationToken)
    {
        var recorder = new AwsCallRecorder();
        using var aws = new AwsClientFactory(settings with { Observer = recorder });
        var kinds = calls.GroupBy(c => c.Action, StringComparer.Ordinal)
            .Select(g => (Action: g.Key, Requests: g.Count(), Probe: SingleRequests.For(g.First(), aws), Times: new List<double>()))
            .ToArray();
        var started = Stopwatch.GetTimestamp();
        for (var round = -1; round < samples && (round < MinimumSamples || Stopwatch.GetElapsedTime(started) < budget); round++)
        {
            foreach (var kind in kinds)
            {
                recorder.Clear();
                var start = Stopwatch.GetTimestamp();
                await kind.Probe(cancellationToken);
                var took = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                if (recorder.Calls.Count != 1 || recorder.Calls[0].Action != kind.Action)
                    throw new InvalidOperationException($"the {kind.Action} probe made {string.Join(", ", recorder.Calls.Select(c => c.Action))} instead of one {kind.Action}");
                if (round >= 0) kind.Times.Add(took);
            }
        }
        return kinds.Select(k => new ActionFloor(k.Action, k.Requests, ScanFigures.Median(k.Times), k.Times.Count)).ToArray();
    }
}
