using BenchmarkDotNet.Attributes;

namespace DuoQServerless.Benchmarks.Warm;

/// <summary>Parse + detect + decide of one sample, as a warm guard does it for each event.</summary>
public class GuardWorkBenchmarks
{
    private GuardSample _sample = null!;

    public static IEnumerable<string> Samples => GuardSample.Representative;

    [ParamsSource(nameof(Samples))]
    public string Sample { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _sample = GuardSample.Named(Sample);
    }

    [Benchmark]
    public object ParseDetectDecide() => _sample.Handle();
}

/// <summary>Every sample in events/ once per operation; the figures are per event.</summary>
public class AllSamplesBenchmark
{
    public const int Count = 44;

    private IReadOnlyList<GuardSample> _all = null!;

    [GlobalSetup]
    public void Setup()
    {
        _all = GuardSample.All;
        if (_all.Count != Count)
            throw new InvalidOperationException($"events/ holds {_all.Count} samples; update {nameof(AllSamplesBenchmark)}.{nameof(Count)}");
    }

    [Benchmark(OperationsPerInvoke = Count)]
    public object? EverySample()
    {
        object? last = null;
        foreach (var sample in _all) last = sample.Handle();
        return last;
    }
}
