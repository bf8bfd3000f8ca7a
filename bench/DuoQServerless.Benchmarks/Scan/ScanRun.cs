using System.Diagnostics;
using System.Globalization;
using System.Text;
using Amazon;
using DuoQServerless.Aws;
using DuoQServerless.Aws.Protocol;
using DuoQServerless.Benchmarks.Reporting;
using DuoQServerless.Cli.Emulator;
using static DuoQServerless.Benchmarks.Reporting.Figures;

namespace DuoQServerless.Benchmarks.Scan;

/// <summary><c>scan [--sizes 100,1000,10000] [--scans 3] [--floor-samples 30] [--floor-budget 60]</c>:
/// seeds moto size after size, measures the report's scan against its floor, prints a table and
/// writes bench/out/scan.md.</summary>
public static class ScanRun
{
    public const double GoalRatio = 1.5;
    private const string Region = "us-east-1";

    public static async Task<int> RunAsync(string[] args, TextWriter console)
    {
        var sizes = Option(args, "--sizes", "100,1000,10000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).Order().ToArray();
        var scans = int.Parse(Option(args, "--scans", "3"), CultureInfo.InvariantCulture);
        var floorSamples = int.Parse(Option(args, "--floor-samples", "30"), CultureInfo.InvariantCulture);
        var floorBudget = TimeSpan.FromSeconds(double.Parse(Option(args, "--floor-budget", "60"), CultureInfo.InvariantCulture));

        await using var moto = await MotoServer.StartAsync();
        var settings = new AwsSettings
        {
            Region = RegionEndpoint.GetBySystemName(Region),
            EndpointOverride = moto.Endpoint,
            Credentials = EmulatorCredentials.Create(),
            // A measured request that failed and was retried would be a wrong figure: fail instead.
            Retry = AwsRetryPolicy.None,
            Timeout = TimeSpan.FromMinutes(5),
        };
        using var seeding = new AwsClientFactory(settings with { Retry = AwsRetryPolicy.Standard });
        var seeder = new AccountSeeder(seeding);
        var concurrency = args.Contains("--concurrency") ? int.Parse(Option(args, "--concurrency", "4"), CultureInfo.InvariantCulture) : (int?)null;
        var measurement = new ScanMeasurement(settings, Region, concurrency);
        // JIT warm-up on the empty account: the scan and the rendering.
        GC.KeepAlive(Core.Reporting.ReportFiles.Render(await measurement.ScanAsync(new AwsCallRecorder(), CancellationToken.None)));

        var results = new List<ScanFigures>();
        foreach (var size in sizes)
        {
            var shape = new AccountShape(size);
            var seedStart = Stopwatch.GetTimestamp();
            await seeder.GrowToAsync(shape);
            console.WriteLine($"seeded {size:#,0} groups, {shape.Instances:#,0} instances, {shape.Roles:#,0} roles in {Stopwatch.GetElapsedTime(seedStart).TotalSeconds:0.0} s");
            var figures = await measurement.MeasureAsync(shape, scans, floorSamples, floorBudget);
            results.Add(figures);
            console.WriteLine($"  scan {Millis(figures.WallMs)} ({string.Join(", ", figures.WallsMs.Select(Millis))}), floor {Millis(figures.FloorMs)}, ratio {Ratio(figures.Ratio)}, " +
                $"{figures.Requests} requests ({string.Join(", ", figures.Actions.Select(a => $"{a.Action} x{a.Requests} @ {Millis(a.MedianMs)}"))})");
            console.WriteLine($"  scanners: {string.Join(", ", figures.ScannerMs.Select(s => $"{s.Key} {Millis(s.Value)}"))}");
        }

        var sizesTable = SizesTable(results);
        var actionsTable = ActionsTable(results);
        console.WriteLine();
        console.WriteLine(sizesTable.ToConsole());
        console.WriteLine(actionsTable.ToConsole());
        var path = WriteSection("scan.md", Section(results, sizesTable, actionsTable, scans, floorSamples, floorBudget, concurrency));
        console.WriteLine($"Wrote {path}");
        return 0;
    }

    private static string Option(string[] args, string name, string fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
    }

    private static Table SizesTable(IReadOnlyList<ScanFigures> results)
    {
        var table = new Table("security groups", "instances", "roles", "requests", "scan (median)", "floor", "scan / floor", "per 1,000 groups", "render", "found: open SGs / oversized / admin roles");
        foreach (var r in results)
            table.Add(Count(r.Shape.SecurityGroups), Count(r.Shape.Instances), Count(r.Shape.Roles), Count(r.Requests),
                Millis(r.WallMs), Millis(r.FloorMs), Ratio(r.Ratio), Millis(r.PerThousandGroupsMs), Millis(r.RenderMs),
                $"{r.Found.OpenSecurityGroups} / {r.Found.OversizedInstances} / {r.Found.AdminPrincipals}");
        return table;
    }

    private static Table ActionsTable(IReadOnlyList<ScanFigures> results)
    {
        var table = new Table("security groups", "action", "requests", "median single request", "samples", "floor share");
        foreach (var r in results)
            foreach (var a in r.Actions)
                table.Add(Count(r.Shape.SecurityGroups), a.Action, Count(a.Requests), Millis(a.MedianMs), a.Samples.ToString(CultureInfo.InvariantCulture), Millis(a.FloorMs));
        return table;
    }

    private static string Section(IReadOnlyList<ScanFigures> results, Table sizes, Table actions, int scans, int floorSamples, TimeSpan floorBudget, int? concurrency)
    {
        var largest = results[^1];
        var text = new StringBuilder();
        text.AppendLine("### Compliance report scan against moto: scaling and floor");
        text.AppendLine();
        text.AppendLine($"Measured {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC on {Machine.Describe()}, moto 5.2.1 started by `MotoServer` (one Python process).");
        text.AppendLine();
        text.AppendLine("Method: moto is seeded (over its API, not measured) with N security groups — one in ten open to 0.0.0.0/0 on 22 " +
            "(one in ten of those tagged `duoq:exempt`), one in ten open on 443 —, N/10 instances (one in ten m5.24xlarge) and N/20 roles " +
            "(one in five with AdministratorAccess). The scan is `ComplianceReportRun.BuildAsync` with every scanner of " +
            "`ComplianceScanners.For(GuardPolicy.Default, ...)` over one region (the audit read left empty), timed from start to the " +
            $"built report, scanners run as `ScanOptions` says ({(concurrency is { } c ? $"MaxConcurrency {c}" : "the default, MaxConcurrency 4")}); median of {scans} scans after one JIT warm-up scan on the empty account. Requests are counted per action " +
            "by an `AwsCallRecorder` on `AwsSettings.Observer`. **Floor** = Σ over actions of (requests of that action × the median " +
            "time of one such request alone): the first request the scan made of the action (same page size and filters, no page " +
            "token), re-issued through the same clients against the same seeded moto, interleaved across actions, " +
            $"up to {floorSamples} times each (at least {ScanMeasurement.MinimumSamples}, fewer when {floorBudget.TotalSeconds:0} s per size are spent). " +
            "moto's time per request grows with the account (it builds each answer from every group), and the floor grows with it. " +
            "`render` is `ReportFiles.Render` (HTML, JSON, CSV) of the built report, not part of the scan.");
        text.AppendLine();
        text.Append(sizes.ToMarkdown());
        text.AppendLine();
        text.AppendLine("Each scanner's time from start to finish in the last scan (they run side by side):");
        text.AppendLine();
        foreach (var r in results)
            text.AppendLine($"- {Count(r.Shape.SecurityGroups)} groups: {string.Join(", ", r.ScannerMs.Select(s => $"{s.Key} {Millis(s.Value)}"))}");
        text.AppendLine();
        text.AppendLine("Per action:");
        text.AppendLine();
        text.Append(actions.ToMarkdown());
        text.AppendLine();
        var perThousand = results.Select(r => r.PerThousandGroupsMs).ToArray();
        text.AppendLine($"Goal: scan ≤ {GoalRatio:0.0}x the floor at {largest.Shape.SecurityGroups:#,0} groups: **{Ratio(largest.Ratio)}** — " +
            $"{(largest.Ratio <= GoalRatio ? "met" : "**not met**")}. Time per 1,000 groups by size: {string.Join(", ", results.Select(r => $"{Count(r.Shape.SecurityGroups)}: {Millis(r.PerThousandGroupsMs)}"))}.");
        return text.ToString();
    }
}
