using System.Buffers;
using System.Text.Json;
using DuoQServerless.Aws;
using DuoQServerless.Aws.Notifications;
using DuoQServerless.Aws.Reporting;
using DuoQServerless.Core.Policy;
using DuoQServerless.Functions.Guards;
using DuoQServerless.Functions.Logging;
using DuoQServerless.Functions.Runtime;

namespace DuoQServerless.Functions.Reporting;

/// <summary>The environment variable the report function has besides the common ones.</summary>
public static class ReportVariables
{
    /// <summary>The report bucket (template.yaml's ReportBucket).</summary>
    public const string ReportBucket = "DUOQ_REPORT_BUCKET";
}

/// <summary>
/// The <c>compliance-report</c> function: on its schedule (or invoked by hand with <c>{}</c> or
/// <c>{"action":"report"}</c>) makes the report, writes it to the bucket and sends the summary.
/// Answers where the report is and its counts.
/// </summary>
public sealed class ComplianceReportHandler(GuardPolicy policy, AwsSettings settings, ReportDestinations destinations, TimeProvider clock) : ILambdaHandler
{
    public const string Name = "compliance-report";

    /// <summary>The registry entry: destinations and policy read at init (a missing one is an init error).</summary>
    public static async Task<ILambdaHandler> CreateAsync(HandlerInit init, CancellationToken cancellationToken)
    {
        var settings = FunctionAws.Settings(init);
        var destinations = new ReportDestinations(
            FunctionVariables.Required(init.Environment, FunctionVariables.AuditTable),
            FunctionVariables.Required(init.Environment, FunctionVariables.TopicArn),
            FunctionVariables.Required(init.Environment, ReportVariables.ReportBucket));
        GuardPolicy policy;
        using (var aws = new AwsClientFactory(settings))
            policy = await PolicyLoader.LoadAsync(init.Environment, aws, cancellationToken);
        init.Logger.Info("Compliance report ready", ("regions", policy.ReportRegions), ("bucket", destinations.ReportBucket));
        return new ComplianceReportHandler(policy, settings, destinations, init.Clock);
    }

    public async Task<byte[]> HandleAsync(JsonElement @event, LambdaContext context, CancellationToken cancellationToken)
    {
        var trigger = Trigger(@event);
        // Clients per invocation: a warm function's next run starts from fresh connections and nothing disposed.
        using var clients = new RegionalClients(settings);
        var job = new ComplianceReportJob(policy, clients, destinations, clock);
        var result = await job.RunAsync(AccountOf(context.InvokedFunctionArn), progress => Log(context.Logger, progress), cancellationToken);

        foreach (var problem in result.Problems)
            context.Logger.Warn("Compliance report made without a part", ("problem", problem));
        var s = result.Report.Summary;
        context.Logger.Info("Compliance report written",
            ("trigger", trigger),
            ("report", result.Location.Html),
            ("exposed", s.ExposedTotal),
            ("accepted", s.Accepted),
            ("findingsCaught", s.FindingsCaught),
            ("notScanned", s.NotScanned),
            ("notified", result.Notification switch
            {
                NotifyOutcome.Sent sent => $"sent {sent.MessageId}",
                NotifyOutcome.NotSent notSent => $"not sent: {notSent.Error}",
                _ => throw new System.Diagnostics.UnreachableException(),
            }));
        return Answer(result);
    }

    /// <summary>"schedule" or "on demand"; any other event is not for this function.</summary>
    private static string Trigger(JsonElement @event)
    {
        if (@event.ValueKind != JsonValueKind.Object)
            throw new InvalidEventException($"the event is a JSON {@event.ValueKind.ToString().ToLowerInvariant()}, not an object");
        if (Text(@event, "detail-type") is { } detailType)
            return detailType == "Scheduled Event"
                ? "schedule"
                : throw new InvalidEventException($"detail-type \"{detailType}\" is not a schedule; {Name} takes its schedule, {{}} or {{\"action\":\"report\"}}");
        return Text(@event, "action") is null or "report"
            ? "on demand"
            : throw new InvalidEventException($"unknown action \"{Text(@event, "action")}\"; {Name} takes {{}} or {{\"action\":\"report\"}}");
    }

    /// <summary>The account is the fifth field of the function's ARN: no STS call needed.</summary>
    private static string AccountOf(string functionArn) =>
        functionArn.Split(':') is { Length: > 4 } parts && parts[4].Length > 0
            ? parts[4]
            : throw new InvalidOperationException($"cannot read the account from the function ARN \"{functionArn}\"");

    private static void Log(LambdaLogger logger, ScanProgress progress)
    {
        switch (progress.Step)
        {
            case ScanStep.Started:
                logger.Debug("Scan started", ("scan", progress.Scanner), ("region", progress.Region));
                break;
            case ScanStep.Finished:
                logger.Info("Scan finished", ("scan", progress.Scanner), ("region", progress.Region), ("done", $"{progress.Finished}/{progress.Total}"));
                break;
            case ScanStep.Failed:
                logger.Warn("Scan failed: listed in the report as not scanned", ("scan", progress.Scanner), ("region", progress.Region), ("reason", progress.Problem));
                break;
            default:
                throw new System.Diagnostics.UnreachableException();
        }
    }

    private static byte[] Answer(ReportJobResult result)
    {
        var s = result.Report.Summary;
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("generatedAt", result.Report.GeneratedAt);
            writer.WriteString("since", result.Report.Period.Since);
            writer.WriteString("folder", result.Location.Folder);
            writer.WriteString("html", result.Location.Html);
            writer.WriteString("json", result.Location.Json);
            writer.WriteString("csv", result.Location.Csv);
            writer.WriteNumber("exposed", s.ExposedTotal);
            writer.WriteNumber("accepted", s.Accepted);
            writer.WriteNumber("findingsCaught", s.FindingsCaught);
            writer.WriteNumber("notScanned", s.NotScanned);
            writer.WriteBoolean("notified", result.Notification is NotifyOutcome.Sent);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
