using System.Diagnostics;

namespace DuoQServerless.Benchmarks.Warm;

/// <summary>One sample's per-event figures: each event timed on its own, so the tail (a GC, a
/// page fault) shows in p99 instead of being averaged away as in an iteration mean.</summary>
public sealed record EventLatency(GuardSample Sample, int Events, double P50Ns, double P99Ns, double P999Ns, double MaxNs, double MeanNs, double AllocatedBytes);

/// <summary>
/// Times every sample's parse + detect + decide one event at a time. Samples are interleaved in
/// rounds so that machine noise falls on all of them alike; the first rounds warm up the JIT
/// (tiered compilation reaches its optimized code) and are not counted.
/// </summary>
public static class PerEventLatency
{
    public static IReadOnlyList<EventLatency> Measure(IReadOnlyList<GuardSample> samples, int rounds, int eventsPerRound, int warmupRounds)
    {
        var timings = samples.Select(_ => new List<long>(rounds * eventsPerRound)).ToArray();
        var allocated = new long[samples.Count];
        for (var round = 0; round < warmupRounds + rounds; round++)
        {
            var counted = round >= warmupRounds;
            for (var s = 0; s < samples.Count; s++)
            {
                var sample = samples[s];
                var before = GC.GetAllocatedBytesForCurrentThread();
                for (var i = 0; i < eventsPerRound; i++)
                {
                    var start = Stopwatch.GetTimestamp();
                    GC.KeepAlive(sample.Handle());
                    var took = Stopwatch.GetTimestamp() - start;
                    if (counted) timings[s].Add(took);
                }
                if (counted) allocated[s] += GC.GetAllocatedBytesForCurrentThread() - before;
            }
        }
        var nsPerTick = 1e9 / Stopwatch.Frequency;
        return samples.Select((sample, s) =>
        {
            var sorted = timings[s].Select(t => t * nsPerTick).Order().ToArray();
            return new EventLatency(sample, sorted.Length, Percentile(sorted, 50), Percentile(sorted, 99), Percentile(sorted, 99.9),
                sorted[^1], sorted.Average(), (double)allocated[s] / sorted.Length);
        }).ToArray();
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    public static double Percentile(double[] sorted, double percentile)
    {
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
