using DuoQServerless.Cli;

namespace DuoQServerless.IntegrationTests.Cli;

// In the emulator collection: no other test starts an emulator while this one counts them.
[Collection(Harness.MotoCollection.Name)]
public sealed class DemoSpecs(Harness.MotoFixture moto)
{
    [Fact]
    public async Task The_demo_runs_a_handler_through_the_Lambda_runtime_path_and_stops_the_emulator()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var pythonsBefore = MotoProcesses();
        Assert.Contains(moto.Server.ProcessId, pythonsBefore); // the count sees emulators at all

        var exit = await DuoqCommand.RunAsync(["demo"], new CliContext(output, error, new Dictionary<string, string?>(), Directory.GetCurrentDirectory()));

        Assert.True(exit == 0, $"exit {exit}\n{output}\n{error}");
        Assert.Contains("ping handler via the Lambda Runtime API: responded", output.ToString());
        Assert.Contains("\"detail-type\":\"Ping\"", output.ToString());
        Assert.Contains("Emulator stopped.", output.ToString());
        Assert.Empty(MotoProcesses().Except(pythonsBefore));
    }

    [Fact]
    public async Task An_unknown_option_is_a_usage_error_with_exit_code_2()
    {
        var error = new StringWriter();

        var exit = await DuoqCommand.RunAsync(["demo", "--no-such-option"], new CliContext(new StringWriter(), error, new Dictionary<string, string?>(), "."));

        Assert.Equal(2, exit);
        Assert.Contains("--no-such-option", error.ToString());
    }

    // Emulator processes of this test host: the launcher's file is named after our pid.
    private static HashSet<int> MotoProcesses() =>
        Directory.EnumerateDirectories("/proc")
            .Select(dir => int.TryParse(Path.GetFileName(dir), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && CommandLine(pid).Contains($"duoq_moto_{Environment.ProcessId}.py", StringComparison.Ordinal))
            .ToHashSet();

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        // The process ended between listing and reading: it is not left behind.
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
