using System.CommandLine;
using Amazon;
using Amazon.SimpleSystemsManagement;
using PutParameterRequest = Amazon.SimpleSystemsManagement.Model.PutParameterRequest;
using ParameterType = Amazon.SimpleSystemsManagement.ParameterType;
using Amazon.SQS.Model;
using DuoQServerless.Aws;
using DuoQServerless.Aws.Sns;
using DuoQServerless.Cli.Demo;
using DuoQServerless.Cli.Emulator;
using DuoQServerless.Functions.Approval;
using Spectre.Console;

namespace DuoQServerless.Cli;

/// <summary>`duoq demo`: the whole product against the embedded emulator, no AWS account needed.</summary>
public static class DemoCommand
{
    public static Command Create(CliContext context)
    {
        var keep = new Option<bool>("--keep") { Description = "Leave the emulator running and print its endpoint for --endpoint." };
        var output = new Option<string>("--out") { Description = "Where the compliance report is written.", DefaultValueFactory = _ => "duoq-report" };
        var command = new Command("demo", "Start the embedded emulator, replay risky and benign events through the guards, walk approvals, validate the Amazon Q setup and write the compliance report.")
        {
            keep, output,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(context, parse.GetValue(keep), parse.GetValue(output)!, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, bool keep, string reportDirectory, CancellationToken cancellationToken)
    {
        var ui = context.Ui;
        var events = EventsDirectory(context);
        ui.MarkupLine("[bold]DuoQServerless demo[/]: starting the embedded AWS emulator (moto) on 127.0.0.1...");
        var emulator = await MotoServer.StartAsync(cancellationToken: cancellationToken);
        try
        {
            ui.MarkupLine($"Emulator ready at [blue]{emulator.Endpoint}[/]");
            using var aws = new AwsClientFactory(new AwsSettings
            {
                Region = RegionEndpoint.USEast1,
                EndpointOverride = emulator.Endpoint,
                Credentials = EmulatorCredentials.Create(),
            });
            var stack = await EmulatorStack.EnsureAsync(aws, cancellationToken);
            var inbox = await SubscribeInboxAsync(aws, stack, cancellationToken);
            var environment = stack.FunctionEnvironment(emulator.Endpoint);
            environment[ApprovalVariables.KeyParameter] = await CreateLinkKeyAsync(aws.Ssm, cancellationToken);
            environment[ApprovalVariables.BaseUrl] = "https://approvals.duoq.example";
            ui.MarkupLine($"Deployed into the emulator: audit table [blue]{stack.AuditTable}[/], topic, approval queue and state machine.");

            var samples = await DemoAccount.SeedAsync(aws, cancellationToken);
            ui.MarkupLine($"Seeded a small account; replaying {samples.Count} CloudTrail events from events/ through the guards:");
            await using var guards = new LocalGuards(environment);
            await ReplayAsync(ui, samples, events, guards, cancellationToken);

            ui.MarkupLine("Walking the approvals by opening the emailed links as a person would: the admin policy approved, the database delete rejected:");
            var decisions = new Dictionary<string, string> { ["iam-change"] = "approve", ["rds-delete"] = "reject" };
            foreach (var walk in await new DemoApprovals(aws, stack, environment, guards, inbox).WalkAsync(decisions, cancellationToken))
                ui.MarkupLine($"  {walk.Decision}: page {walk.GetStatus}, decision {walk.PostStatus}, execution {walk.ExecutionStatus}; guard: {Markup.Escape(walk.GuardResult)}");

            var (keyId, groupId) = await DemoAccount.SeedAmazonQSetupAsync(aws, cancellationToken);
            ui.MarkupLine("Validating the GitLab Duo with Amazon Q setup (three steps deliberately wrong):");
            await DuoqCommand.RunAsync(["validate", "--endpoint", emulator.Endpoint.ToString(), "--instance-id", DemoAccount.InstanceUuid, "--kms-key", keyId, "--security-group", groupId], context, cancellationToken);

            ui.MarkupLine("Writing the compliance report (what is exposed now, what was caught and done):");
            await DuoqCommand.RunAsync(["report", "--endpoint", emulator.Endpoint.ToString(), "--out", context.ResolvePath(reportDirectory)], context, cancellationToken);

            if (keep)
            {
                ui.MarkupLine($"--keep: the emulator stays up. Use [blue]--endpoint {emulator.Endpoint}[/]; Ctrl+C stops it.");
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            return ExitCodes.Ok;
        }
        finally
        {
            await emulator.DisposeAsync();
            ui.MarkupLine("Emulator stopped.");
        }
    }

    // A live table: one row per event as the guard answers it.
    private static async Task ReplayAsync(IAnsiConsole ui, IReadOnlyList<DemoEvent> samples, string events, LocalGuards guards, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("duoq-demo-");
        try
        {
            var table = new Table().AddColumns("event", "risk", "decision", "action", "result");
            async Task AddRowsAsync(Action refresh)
            {
                foreach (var sample in samples)
                {
                    var path = Path.Combine(directory.FullName, Path.GetFileName(sample.Sample));
                    await File.WriteAllTextAsync(path, sample.Rewrite(events), cancellationToken);
                    var line = await ReplayCommand.ReplayOneAsync(path, guards, cancellationToken);
                    table.AddRow(Markup.Escape(sample.Sample), line.Risk, line.Decision, line.Action, Markup.Escape($"{line.Status}: {line.Detail}"));
                    refresh();
                }
            }
            // Live on a terminal; a log or a pipe gets the table once, not once per row.
            if (ui.Profile.Capabilities.Interactive)
                await ui.Live(table).StartAsync(live => AddRowsAsync(live.Refresh));
            else
            {
                await AddRowsAsync(() => { });
                ui.Write(table);
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    // The topic's email subscribers, played by a queue the demo reads.
    private static async Task<string> SubscribeInboxAsync(AwsClientFactory aws, EmulatorStack stack, CancellationToken cancellationToken)
    {
        var inbox = (await aws.Sqs.CreateQueueAsync(new CreateQueueRequest("duoq-demo-inbox"), cancellationToken)).QueueUrl;
        var arn = (await aws.Sqs.GetQueueAttributesAsync(inbox, ["QueueArn"], cancellationToken)).QueueARN;
        await aws.Sns.SubscribeAsync(new SubscribeRequest(stack.TopicArn, "sqs", arn), cancellationToken);
        return inbox;
    }

    private static async Task<string> CreateLinkKeyAsync(IAmazonSimpleSystemsManagement ssm, CancellationToken cancellationToken)
    {
        const string name = "/duoq/approval-link-key";
        await ssm.PutParameterAsync(new PutParameterRequest
        {
            Name = name,
            Type = ParameterType.SecureString,
            Value = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48)),
            Overwrite = true,
        }, cancellationToken);
        return name;
    }

    // events/ of this repository: beside the working directory or above the CLI's own files.
    private static string EventsDirectory(CliContext context)
    {
        foreach (var start in new[] { context.WorkingDirectory, AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "events", "expectations.json")))
                    return Path.Combine(dir.FullName, "events");
        throw new UsageException("events/ not found: run the demo from the repository");
    }
}
