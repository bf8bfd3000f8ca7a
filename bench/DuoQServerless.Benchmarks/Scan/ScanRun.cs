namespace DuoQServerless.Benchmarks.Scan;

public static class ScanRun
{
    public static Task<int> RunAsync(string[] args, TextWriter console) => Task.FromResult(0);
}
