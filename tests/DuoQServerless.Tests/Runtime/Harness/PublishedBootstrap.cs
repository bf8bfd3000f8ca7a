using System.Diagnostics;

namespace DuoQServerless.Tests.Runtime.Harness;

/// <summary>
/// The Native AOT bootstrap under test: $DUOQ_BOOTSTRAP when set (scripts/test.sh publishes it
/// first), otherwise published once here into a temporary directory so plain `dotnet test` works.
/// </summary>
public sealed class PublishedBootstrap : IAsyncLifetime
{
    public const string Variable = "DUOQ_BOOTSTRAP";
    private string? _temporary;

    public string Path { get; private set; } = "";

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } given)
        {
            Path = File.Exists(given) ? given : throw new FileNotFoundException($"{Variable} points at no file", given);
            return;
        }
        _temporary = Directory.CreateTempSubdirectory("duoq-bootstrap-").FullName;
        Path = await PublishAsync(_temporary);
    }

    public Task DisposeAsync()
    {
        if (_temporary is not null) Directory.Delete(_temporary, recursive: true);
        return Task.CompletedTask;
    }

    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "DuoQServerless.sln"))) return directory.FullName;
        throw new DirectoryNotFoundException($"No DuoQServerless.sln above {AppContext.BaseDirectory}");
    }

    private static async Task<string> PublishAsync(string temporary)
    {
        var output = System.IO.Path.Combine(temporary, "out");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Its own artifacts path: the publish must not rewrite obj/ under the build that runs these tests.
        string[] arguments =
        [
            "publish", System.IO.Path.Combine(RepositoryRoot(), "src", "DuoQServerless.Functions"),
            "-c", "Release", "-r", "linux-x64", "-o", output,
            "--artifacts-path", System.IO.Path.Combine(temporary, "build"), "-nologo",
        ];
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // Variables `dotnet test` sets for its own MSBuild would steer the nested one.
        foreach (var name in start.Environment.Keys.Where(n => n.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(name);

        using var publish = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var stdout = publish.StandardOutput.ReadToEndAsync();
        var stderr = publish.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        try
        {
            await publish.WaitForExitAsync(timeout.Token);
        }
        // A publish that hangs must not hold the test run forever, nor outlive it.
        catch (OperationCanceledException)
        {
            publish.Kill(entireProcessTree: true);
            throw new TimeoutException("dotnet publish of the bootstrap took over 10 minutes");
        }
        var bootstrap = System.IO.Path.Combine(output, "bootstrap");
        if (publish.ExitCode != 0 || !File.Exists(bootstrap))
            throw new InvalidOperationException($"dotnet publish failed ({publish.ExitCode}):\n{await stdout}\n{await stderr}");
        return bootstrap;
    }
}

[CollectionDefinition(Name)]
public sealed class PublishedBootstrapCollection : ICollectionFixture<PublishedBootstrap>
{
    public const string Name = "published bootstrap";
}
