using DuoQServerless.Cli;
using DuoQServerless.Core.Validation;
using DuoQServerless.IntegrationTests.Clients;
using DuoQServerless.IntegrationTests.Harness;

namespace DuoQServerless.IntegrationTests.Validation;

/// <summary>`duoq validate` in-process against moto: a table a person reads, JSON with --json, exit codes 0, 1 and 2.</summary>
public sealed class ValidateCommandSpecs(MotoFixture moto) : ClientSpec(moto)
{
    private sealed record Run(int ExitCode, string Out, string Error);

    /// <summary>No variables at all: credentials default to the emulator's fake keys because --endpoint is given.</summary>
    private static async Task<Run> DuoqAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await DuoqCommand.RunAsync(args, new CliContext(output, error, new Dictionary<string, string?>(), "."));
        return new Run(exit, output.ToString(), error.ToString());
    }

    private string[] Arguments(GuideSetup setup, params string[] more) =>
        ["validate", "--endpoint", Endpoint.ToString(), "--instance-id", GuideSetup.InstanceId, "--kms-key", setup.KeyId, "--security-group", setup.GroupId, .. more];

    [Fact]
    public async Task A_healthy_setup_prints_every_check_and_exits_0()
    {
        var setup = await GuideSetup.SeedAsync(Aws);

        var run = await DuoqAsync(Arguments(setup));

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        foreach (var check in DuoQChecks.All) Assert.Contains($"{check.Number} {check.Id}", run.Out);
        Assert.Contains("account 123456789012 (us-east-1), role QDeveloperAccess, instance " + GuideSetup.InstanceId, run.Out);
        Assert.Contains("No check fails.", run.Out);
        Assert.Empty(run.Error);
    }

    [Fact]
    public async Task A_broken_setup_names_the_failing_checks_with_their_fix_and_exits_1()
    {
        var setup = await GuideSetup.SeedAsync(Aws);
        await setup.SetMaxSessionDurationAsync(3600);
        await setup.RevokeAsync("54.226.244.221/32");

        var run = await DuoqAsync(Arguments(setup));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("2 of 11 checks fail: session-duration, network.", run.Out);
        var sessionRow = run.Out.Split('\n').First(l => l.Contains("3 session-duration", StringComparison.Ordinal));
        Assert.Contains("FAIL", sessionRow);
        Assert.Contains("Edit the role", sessionRow);
        var networkRows = string.Join("\n", run.Out.Split('\n')
            .SkipWhile(l => !l.Contains("6 network", StringComparison.Ordinal))
            .TakeWhile(l => !l.Contains("7 gitlab-tls", StringComparison.Ordinal)));
        Assert.Contains("FAIL", networkRows);
        Assert.Contains("54.226.244.221", networkRows);
        Assert.Contains("authorize-security-group-ingress", networkRows);
    }

    [Fact]
    public async Task With_json_the_output_is_the_report_and_the_exit_code_still_says_whether_a_check_fails()
    {
        var setup = await GuideSetup.SeedAsync(Aws);
        await setup.DisableKeyAsync();

        var run = await DuoqAsync(Arguments(setup, "--json"));

        Assert.Equal(1, run.ExitCode);
        var report = ValidationReport.FromJson(run.Out);
        Assert.Equal(CheckStatus.Fail, report.Overall);
        Assert.Equal([DuoQChecks.KmsKey.Id], report.Checks.Where(c => c.Status == CheckStatus.Fail).Select(c => c.Id));
        Assert.Equal(GuideSetup.InstanceId, report.Subject.InstanceId);
    }

    [Theory]
    [InlineData("--instance-id", "not-a-uuid", "--instance-id: \"not-a-uuid\" is not a UUID")]
    [InlineData("--security-group", "default", "--security-group: \"default\" is not a security group id")]
    [InlineData("--gitlab-token-parameter", "/duoq/token", "--gitlab-token-parameter: given without gitlab-url")]
    [InlineData("--region", "moon-1", "--region: \"moon-1\" is not an AWS region name")]
    [InlineData("--endpoint", "localhost:5000", "--endpoint: \"localhost:5000\" is not an http(s) URL")]
    public async Task A_malformed_argument_is_a_usage_error_with_exit_code_2(string option, string value, string message)
    {
        string[] endpoint = option == "--endpoint" ? [] : ["--endpoint", Endpoint.ToString()];

        var run = await DuoqAsync(["validate", .. endpoint, option, value]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Error);
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task An_emulator_that_does_not_answer_is_reported_with_exit_code_3()
    {
        var closed = new Uri($"http://127.0.0.1:{DuoQServerless.Cli.Emulator.LoopbackPort.Free()}");

        var run = await DuoqAsync("validate", "--endpoint", closed.ToString(), "--json");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("duoq: cannot validate:", run.Error);
        Assert.Empty(run.Out);
    }
}
