using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using DuoQServerless.Testing;

namespace DuoQServerless.Tests.Approval;

/// <summary>The definition file on its own; ApprovalWorkflowSpecs (integration) executes it in moto.</summary>
public sealed class ApprovalStateMachineSpecs
{
    private static readonly string DefinitionPath = RepoPaths.Of("statemachine", "approval.asl.json");

    private static JsonElement States()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(DefinitionPath));
        return doc.RootElement.GetProperty("States").Clone();
    }

    [Fact]
    public void The_definition_passes_asl_validator()
    {
        var (exitCode, output) = AslValidator(DefinitionPath);

        Assert.True(exitCode == 0, output);
        Assert.Contains("is valid", output);
    }

    [Fact]
    public void Asl_validator_refuses_a_definition_that_points_to_a_missing_state()
    {
        var broken = Path.Combine(Path.GetTempPath(), $"duoq-broken-{Guid.NewGuid():N}.asl.json");
        File.WriteAllText(broken, File.ReadAllText(DefinitionPath).Replace("\"Next\": \"Reverted\"", "\"Next\": \"NoSuchState\""));
        try
        {
            var (exitCode, output) = AslValidator(broken);

            Assert.True(exitCode != 0, output);
        }
        finally
        {
            File.Delete(broken);
        }
    }

    [Fact]
    public void The_only_substitutions_are_the_approval_queue_url_and_the_topic_arn()
    {
        var placeholders = Regex.Matches(File.ReadAllText(DefinitionPath), @"\$\{(\w+)\}").Select(m => m.Groups[1].Value).Distinct().Order();

        Assert.Equal(["ApprovalQueueUrl", "TopicArn"], placeholders);
    }

    [Fact]
    public void Every_guard_invocation_retries_then_notifies_the_topic_then_fails()
    {
        var states = States();
        var invokes = states.EnumerateObject().Where(s => s.Value.TryGetProperty("Resource", out var r) && r.GetString() == "arn:aws:states:::lambda:invoke").ToList();

        Assert.Equal(["Approve", "Revert"], invokes.Select(s => s.Name).Order());
        Assert.All(invokes, invoke =>
        {
            var retry = Assert.Single(invoke.Value.GetProperty("Retry").EnumerateArray());
            Assert.Contains("Lambda.TooManyRequestsException", retry.GetProperty("ErrorEquals").EnumerateArray().Select(e => e.GetString()));
            Assert.True(retry.GetProperty("MaxAttempts").GetInt32() >= 2);
            Assert.True(retry.GetProperty("BackoffRate").GetDouble() > 1);
            var catcher = Assert.Single(invoke.Value.GetProperty("Catch").EnumerateArray());
            Assert.Equal(["States.ALL"], catcher.GetProperty("ErrorEquals").EnumerateArray().Select(e => e.GetString()));
            var notify = states.GetProperty(catcher.GetProperty("Next").GetString()!);
            Assert.Equal("arn:aws:states:::sns:publish", notify.GetProperty("Resource").GetString());
            Assert.Equal("${TopicArn}", notify.GetProperty("Parameters").GetProperty("TopicArn").GetString());
            Assert.Equal("Fail", states.GetProperty(notify.GetProperty("Next").GetString()!).GetProperty("Type").GetString());
        });
    }

    [Fact]
    public void The_request_waits_for_a_task_token_for_the_timeout_the_guard_passed()
    {
        var request = States().GetProperty("RequestApproval");

        Assert.Equal("arn:aws:states:::sqs:sendMessage.waitForTaskToken", request.GetProperty("Resource").GetString());
        Assert.Equal("$.timeoutSeconds", request.GetProperty("TimeoutSecondsPath").GetString());
        Assert.Equal("$$.Task.Token", request.GetProperty("Parameters").GetProperty("MessageBody").GetProperty("taskToken.$").GetString());
        Assert.Equal(["Rejected", "States.Timeout", "States.ALL"],
            request.GetProperty("Catch").EnumerateArray().Select(c => c.GetProperty("ErrorEquals")[0].GetString()));
    }

    private static (int ExitCode, string Output) AslValidator(string path)
    {
        var start = new ProcessStartInfo("npx") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "--yes", "asl-validator", "--json-path", path }) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("asl-validator did not finish within 3 minutes");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
