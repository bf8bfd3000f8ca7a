namespace DuoQServerless.Benchmarks.Reporting;

/// <summary>Files of this repository, found from the benchmark's output directory or the working directory.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string Of(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "DuoQServerless.sln")))
                    return dir.FullName;
        throw new InvalidOperationException($"DuoQServerless.sln not found above {AppContext.BaseDirectory}");
    }
}
