using System.Diagnostics;
using DuoQServerless.Cli;
using DuoQServerless.Testing;

namespace DuoQServerless.IntegrationTests.Cli;

// In the emulator collection: no other test starts an emulator while this one counts them.
[Collection(Harness.MotoCollection.Name)]
public sealed class DemoSpecs(Harness.MotoFixture moto)
{
    [Fact]
    public async Task The_demo_runs_to_completion_as_a_process_catching_each_risk_and_leaves_no_emulator_behind()
    {
        var reports = Directory.CreateTempSubdirectory("duoq-demo-report-");
        Assert.Contains(moto.Server.ProcessId, EmulatorProcessesOf(Environment.ProcessId)); // the count sees emulators at all
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "duoq.dll"), "demo", "--out", reports.FullName },
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var demo = Process.Start(start)!;
        var output = demo.StandardOutput.ReadToEndAsync();
        var error = demo.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await demo.WaitForExitAsync(timeout.Token);
        var text = await output;

        Assert.True(demo.ExitCode == 0, $"exit {demo.ExitCode}\n{text}\n{await error}");
        foreach (var risk in new[] { "public-ssh", "oversized-instance", "rds-deletion-protection-off", "rds-delete", "iam-change" })
            Assert.Contains(risk, text);
        Assert.Contains("revoked tcp 22 from 0.0.0.0/0", text);
        Assert.Contains("reject: page 200, decision 200, execution Succeeded; guard: restoring DB instance orders-staging", text);
        Assert.Contains("approve: page 200, decision 200, execution Succeeded; guard: approved by Demo Approver", text);
        Assert.Contains("2 of 11 checks fail: session-duration, network", text);
        Assert.Contains("Caught and done: 6 findings", text);
        Assert.Single(Directory.EnumerateFiles(reports.FullName, "report.html", SearchOption.AllDirectories));
        Assert.Contains("Emulator stopped.", text);
        Assert.Empty(EmulatorProcessesOf(demo.Id));
        reports.Delete(recursive: true);
    }

    [Fact]
    public async Task An_unknown_option_is_a_usage_error_with_exit_code_2()
    {
        var error = new StringWriter();

        var exit = await DuoqCommand.RunAsync(["demo", "--no-such-option"], new CliContext(new StringWriter(), error, new Dictionary<string, string?>(), "."));

        Assert.Equal(2, exit);
        Assert.Contains("--no-such-option", error.ToString());
    }

    // The emulators a process started: their launcher file is named after that process's pid.
    private static HashSet<int> EmulatorProcessesOf(int ownerPid) =>
        Directory.EnumerateDirectories("/proc")
            .Select(dir => int.TryParse(Path.GetFileName(dir), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && CommandLine(pid).Contains($"duoq_moto_{ownerPid}.py", StringComparison.Ordinal))
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
