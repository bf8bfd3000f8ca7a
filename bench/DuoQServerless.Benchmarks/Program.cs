using DuoQServerless.Benchmarks.Warm;

// dotnet run -c Release --project bench/DuoQServerless.Benchmarks -- warm [--quick]
//                                                                  -- scan [--sizes 100,1000,10000] [--floor-samples 30]
return args switch
{
    ["warm", .. var rest] => WarmRun.Run(rest.Contains("--quick"), Console.Out),
    ["scan", .. var rest] => await DuoQServerless.Benchmarks.Scan.ScanRun.RunAsync(rest, Console.Out),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: DuoQServerless.Benchmarks warm [--quick] | scan [--sizes 100,1000,10000] [--floor-samples N]");
    return 2;
}
