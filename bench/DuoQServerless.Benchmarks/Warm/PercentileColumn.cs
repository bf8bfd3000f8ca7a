using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace DuoQServerless.Benchmarks.Warm;

/// <summary>
/// A percentile BenchmarkDotNet has no predefined column for (it has P0..P100 in steps, no P99).
/// Like its own P-columns it is a percentile of the iterations' per-operation means.
/// </summary>
public sealed class PercentileColumn(int percentile) : IColumn
{
    public string Id => $"P{percentile}";
    public string ColumnName => $"P{percentile}";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Statistics;
    public int PriorityInCategory => percentile;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Time;
    public string Legend => $"Percentile {percentile} of the iterations' means";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) =>
        summary[benchmarkCase]?.ResultStatistics is { } statistics
            ? Reporting.Figures.Micros(statistics.Percentiles.Percentile(percentile))
            : "-";
}
