using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Amazon;
using DuoQServerless.Aws;
using DuoQServerless.Cli.Emulator;
using DuoQServerless.Core.CloudTrail;
using DuoQServerless.Core.Detection;
using DuoQServerless.Core.Findings;
using DuoQServerless.Functions.Guards;

namespace DuoQServerless.Cli;

/// <summary>
/// `duoq replay`: runs CloudTrail events through the same guard code the Lambda functions run,
/// through the Lambda runtime path, and prints one JSON line per event.
/// </summary>
public static class ReplayCommand
{
    public static Command Create(CliContext context)
    {
        var endpoint = new Option<string?>("--endpoint") { Description = "An emulator's URL (moto, e.g. from `duoq demo --keep`)." };
        var region = new Option<string>("--region") { Description = "AWS region.", DefaultValueFactory = _ => "us-east-1" };
        var policy = new Option<FileInfo?>("--policy") { Description = "A policy document (YAML or JSON) instead of the bundled default." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Record and report what would be done; change nothing." };
        var stack = new Option<string?>("--stack") { Description = "A deployed stack whose outputs name the table, topic and state machine (default: samconfig.toml's stack_name when there is no --endpoint)." };
        var events = new Argument<string[]>("EVENT.json") { Description = "CloudTrail events (EventBridge envelope or bare record).", Arity = ArgumentArity.OneOrMore };
        var command = new Command("replay", "Run CloudTrail events through the guards and print what each one did.")
        {
            endpoint, region, policy, dryRun, stack, events,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            context,
            EndpointOption.Parse(parse.GetValue(endpoint)),
            parse.GetValue(stack),
            parse.GetValue(region)!,
            parse.GetValue(policy),
            parse.GetValue(dryRun),
            parse.GetValue(events)!,
            cancellationToken));
        return command;
    }

    /// <param name="endpoint">An emulator: resources are created there when missing. Null: the account the default credentials reach.</param>
    /// <param name="stackName">A deployed stack to read the resources from; nothing is created.</param>
    public static async Task<int> RunAsync(CliContext context, Uri? endpoint, string? stackName, string region, FileInfo? policyFile, bool dryRun, IReadOnlyList<string> eventFiles, CancellationToken cancellationToken)
    {
        var policyDocument = policyFile is null ? null : await ReadPolicyAsync(context, policyFile, cancellationToken);
        using var aws = new AwsClientFactory(new AwsSettings
        {
            Region = RegionEndpoint.GetBySystemName(region),
            EndpointOverride = endpoint,
            Credentials = endpoint is null ? null : EmulatorCredentials.Create(),
        });
        stackName ??= endpoint is null ? SamConfig.StackName(context) : null;
        var stack = stackName is null
            ? await EmulatorStack.EnsureAsync(aws, cancellationToken)
            : await EmulatorStack.ReadDeployedAsync(aws, stackName, cancellationToken);
        await using var guards = new LocalGuards(stack.FunctionEnvironment(endpoint, dryRun, policyDocument));

        var anyInvalid = false;
        foreach (var file in eventFiles)
        {
            var line = await ReplayOneAsync(context.ResolvePath(file), guards, cancellationToken);
            anyInvalid |= line.Status == GuardStatus.Invalid;
            await context.Out.WriteLineAsync(JsonSerializer.Serialize(line, ReplayJson.Default.ReplayLine));
        }
        return anyInvalid ? ExitCodes.Findings : ExitCodes.Ok;
    }

    /// <summary>One event through the guard whose rule would deliver it.</summary>
    internal static async Task<ReplayLine> ReplayOneAsync(string path, LocalGuards guards, CancellationToken cancellationToken)
    {
        string json;
        try
        {
            json = await File.ReadAllTextAsync(path, cancellationToken);
        }
        // An unreadable file is that file's invalid line; the other files still run.
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ReplayLine.Invalid(path, $"cannot read: {e.Message}");
        }
        CloudTrailRecord record;
        switch (CloudTrailParser.Parse(json))
        {
            case ParseOutcome.Parsed parsed:
                record = parsed.Record;
                break;
            case ParseOutcome.Invalid invalid:
                return ReplayLine.Invalid(path, $"{invalid.Field}: {invalid.Reason}");
            default:
                throw new InvalidOperationException("unexpected parse outcome");
        }
        if (Detectors.Watching(record) is not { } detector)
            return new ReplayLine(path, record.EventId, "none", "none", "none", GuardStatus.NotForThisGuard, null, $"no guard watches {record.EventSource} {record.EventName}");

        var result = await guards.InvokeAsync(detector.Guard, json, cancellationToken);
        if (!result.Succeeded)
            return new ReplayLine(path, record.EventId, "none", "none", "none", GuardStatus.Failed, null, result.Body.GetRawText());
        var report = result.Body.Deserialize(GuardJson.Default.GuardReport)!;
        return new ReplayLine(path, report.EventId, report.Risk, report.Decision, report.Action, report.Status, report.FindingId, report.Detail);
    }

    private static async Task<string> ReadPolicyAsync(CliContext context, FileInfo file, CancellationToken cancellationToken)
    {
        var path = context.ResolvePath(file.ToString());
        if (!File.Exists(path)) throw new UsageException($"--policy: no such file {path}");
        var document = await File.ReadAllTextAsync(path, cancellationToken);
        try
        {
            PolicyLoader.Parse(document, path); // a bad policy is the user's to fix, before any event runs
        }
        // PolicyLoader names every bad field; that message is the usage error.
        catch (InvalidOperationException e)
        {
            throw new UsageException(e.Message);
        }
        return document;
    }
}

/// <summary>The four guards, each a <see cref="LocalFunction"/> started on first use.</summary>
public sealed class LocalGuards(IReadOnlyDictionary<string, string> environment, Stream? logs = null) : IAsyncDisposable
{
    private readonly Dictionary<Guard, LocalFunction> _running = [];
    private readonly Stream _logs = logs ?? Stream.Null;

    public Task<LocalInvocationResult> InvokeAsync(Guard guard, string eventJson, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_running.TryGetValue(guard, out var function))
            _running[guard] = function = LocalFunction.Start($"{guard.Id()}-guard", environment, _logs);
        return function.InvokeAsync(eventJson);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var function in _running.Values) await function.DisposeAsync();
    }
}

/// <summary>One line of `duoq replay` output.</summary>
public sealed record ReplayLine(
    string File, string? EventId, string Risk, string Decision, string Action, string Status, string? FindingId, string Detail)
{
    public static ReplayLine Invalid(string file, string reason) => new(file, null, "none", "none", "none", GuardStatus.Invalid, null, reason);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ReplayLine))]
internal sealed partial class ReplayJson : JsonSerializerContext;
