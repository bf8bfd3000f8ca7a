using System.Text;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using DuoQServerless.Benchmarks.Reporting;
using static DuoQServerless.Benchmarks.Reporting.Figures;

namespace DuoQServerless.Benchmarks.Warm;

/// <summary><c>warm [--quick]</c>: BenchmarkDotNet over the representative samples and all samples,
/// then each sample timed one event at a time; prints both tables and writes bench/out/warm.md.</summary>
public static class WarmRun
{
    public const double GoalP99Ns = 1_000_000;

    public static int Run(bool quick, TextWriter console)
    {
        var config = Config(quick);
        var representative = BenchmarkRunner.Run<GuardWorkBenchmarks>(config);
        var everySample = BenchmarkRunner.Run<AllSamplesBenchmark>(config);
        var reports = representative.Reports.Concat(everySample.Reports).ToArray();
        if (reports.Length == 0 || reports.Any(r => !r.Success || r.ResultStatistics is null))
        {
            console.WriteLine("A benchmark failed; see BenchmarkDotNet's log above.");
            return 1;
        }

        var (rounds, perRound, warmup) = quick ? (5, 100, 2) : (20, 500, 4);
        var perEvent = PerEventLatency.Measure(GuardSample.All, rounds, perRound, warmup);

        var bdn = BdnTable(reports);
        var byGuard = GuardTable(perEvent);
        var worst = perEvent.MaxBy(e => e.P99Ns)!;
        console.WriteLine();
        console.WriteLine("BenchmarkDotNet (per event):");
        console.WriteLine(bdn.ToConsole());
        console.WriteLine($"Each event timed alone ({perEvent[0].Events:#,0} events per sample, {perEvent.Count} samples):");
        console.WriteLine(byGuard.ToConsole());
        console.WriteLine($"Worst p99: {Micros(worst.P99Ns)} ({worst.Sample.File}); goal p99 < 1 ms: {(worst.P99Ns < GoalP99Ns ? "met" : "NOT met")}");

        var path = WriteSection("warm.md", Section(quick, bdn, byGuard, perEvent, worst));
        console.WriteLine($"Wrote {path}");
        return 0;
    }

    private static IConfig Config(bool quick)
    {
        var job = (quick ? Job.ShortRun : Job.Default.WithWarmupCount(6).WithIterationCount(30))
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithId(quick ? "Quick" : "Warm");
        return ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddColumn(StatisticColumn.P50, StatisticColumn.P95, new PercentileColumn(99), StatisticColumn.OperationsPerSecond)
            .AddLogger(ConsoleLogger.Default)
            .WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"))
            .WithOptions(ConfigOptions.DisableLogFile);
    }

    private static Table BdnTable(IEnumerable<BenchmarkReport> reports)
    {
        var table = new Table("case", "mean", "p50", "p95", "p99", "events/s", "allocated/event");
        foreach (var report in reports)
        {
            var stats = report.ResultStatistics!;
            var name = report.BenchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == "Sample")?.Value as string
                ?? $"all {AllSamplesBenchmark.Count} samples (per event)";
            var bytes = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase);
            table.Add(name, Micros(stats.Mean), Micros(stats.Percentiles.P50), Micros(stats.Percentiles.P95), Micros(stats.Percentiles.Percentile(99)),
                Count(1e9 / stats.Mean), bytes is { } b ? Count(b) + " B" : "-");
        }
        return table;
    }

    private static Table GuardTable(IReadOnlyList<EventLatency> perEvent)
    {
        var table = new Table("guard", "samples", "p50 (median sample)", "p99 (worst sample)", "p99.9 (worst)", "max", "mean allocated/event");
        foreach (var group in perEvent.GroupBy(e => e.Sample.Guard))
        {
            var p50s = group.Select(e => e.P50Ns).Order().ToArray();
            table.Add(group.Key, group.Count().ToString(), Micros(PerEventLatency.Percentile(p50s, 50)), Micros(group.Max(e => e.P99Ns)),
                Micros(group.Max(e => e.P999Ns)), Micros(group.Max(e => e.MaxNs)), Count(group.Average(e => e.AllocatedBytes)) + " B");
        }
        return table;
    }

    private static string Section(bool quick, Table bdn, Table byGuard, IReadOnlyList<EventLatency> perEvent, EventLatency worst)
    {
        var text = new StringBuilder();
        text.AppendLine("### Warm guard work: parse + detect + decide");
        text.AppendLine();
        text.AppendLine($"Measured {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC on {Machine.Describe()}{(quick ? " (quick run: short job, few events; not for comparison)" : "")}.");
        text.AppendLine();
        text.AppendLine("Method: what a warm guard does with each event before any AWS call that acts — `GuardInput.Parse` " +
            "(one `JsonDocument` parse into a `CloudTrailRecord`), `Detector.FactsNeeded` + `Detector.Detect` with any " +
            "looked-up facts prepared in advance, and `Decider.Decide` under the default policy with the resource's tags " +
            "given. Samples are the files of `events/` (`events/expectations.json`). JIT, Release, tiered compilation at its " +
            "steady state; in-process BenchmarkDotNet 0.15.8 with `MemoryDiagnoser`.");
        text.AppendLine();
        text.AppendLine("BenchmarkDotNet: one risky sample per risk, a benign one, and every sample once per operation. " +
            "Its p50/p95/p99 are percentiles of the iterations' per-event means (each iteration runs thousands of events), " +
            "events/s is 1/mean, allocated is per event:");
        text.AppendLine();
        text.Append(bdn.ToMarkdown());
        text.AppendLine();
        text.AppendLine($"Each event timed alone (`Stopwatch` around one parse + detect + decide; {perEvent[0].Events:#,0} events per sample, " +
            "samples interleaved in rounds after warm-up rounds, GC pauses included), per guard over all of its samples " +
            "(risky, benign, failed calls, exempt and own reverts):");
        text.AppendLine();
        text.Append(byGuard.ToMarkdown());
        text.AppendLine();
        text.AppendLine($"Goal: p99 < 1 ms per event. Worst per-event p99 over all {perEvent.Count} samples: **{Micros(worst.P99Ns)}** " +
            $"(`{worst.Sample.File}`) — {(worst.P99Ns < GoalP99Ns ? "met" : "**not met**")}.");
        return text.ToString();
    }
}
