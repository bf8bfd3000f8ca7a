using System.Runtime.InteropServices;

namespace DuoQServerless.Benchmarks.Reporting;

/// <summary>The machine a figure was measured on, for the sections' first line.</summary>
public static class Machine
{
    public static string Describe() =>
        $"{CpuModel()}, {Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription.Trim()}, {RuntimeInformation.FrameworkDescription}";

    private static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? RuntimeInformation.ProcessArchitecture.ToString() : line[(line.IndexOf(':') + 1)..].Trim();
        }
        // Not Linux (no /proc): the architecture is all we can say.
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }
}
