using DuoQServerless.Aws.Audit;
using System.Buffers;
using System.Text;
using System.Text.Json;
using DuoQServerless.Aws;
using DuoQServerless.Aws.Notifications;
using DuoQServerless.Aws.Validation;
using DuoQServerless.Core.Validation;
using DuoQServerless.Functions.Guards;
using DuoQServerless.Functions.Runtime;

namespace DuoQServerless.Functions.Validation;

/// <summary>
/// The <c>duoq-validator</c> function: validates the GitLab Duo with Amazon Q setup on its
/// schedule, after CloudTrail events that change the role, the identity provider or the key, and
/// on demand (<c>{}</c> or <c>{"action":"validate"}</c>). Answers the report JSON; an event about
/// something else answers <c>{"validated":false,"reason":...}</c>.
/// </summary>
public sealed class ValidatorHandler(ValidatorRun run, ValidationTarget target) : ILambdaHandler
{
    public const string Name = "duoq-validator";

    /// <summary>The registry entry: settings from the environment (a bad one is an init error), clients built once.</summary>
    public static Task<ILambdaHandler> CreateAsync(HandlerInit init, CancellationToken cancellationToken)
    {
        var settings = ValidatorSettings.From(init.Environment);
        var aws = new AwsClientFactory(FunctionAws.Settings(init));
        var services = new ValidatorServices(
            settings.Target,
            new DuoQSetupGatherer(aws, new GitLabReadOptions { Clock = init.Clock }),
            new ValidationStore(aws.DynamoDb, settings.AuditTable),
            new TrustPolicyStore(aws.DynamoDb, settings.AuditTable),
            new SnsFindingNotifier(aws.Sns, settings.TopicArn),
            init.Clock);
        init.Logger.Info("Validator ready",
            ("role", settings.Target.RoleName),
            ("instanceId", settings.Target.InstanceId),
            ("kmsKey", settings.Target.KmsKeyId),
            ("securityGroups", settings.Target.SecurityGroupIds),
            ("gitLabUrl", settings.Target.GitLabUrl?.ToString()));
        return Task.FromResult<ILambdaHandler>(new ValidatorHandler(new ValidatorRun(services), settings.Target));
    }

    public async Task<byte[]> HandleAsync(JsonElement @event, LambdaContext context, CancellationToken cancellationToken)
    {
        var trigger = ValidatorTrigger.From(@event, target);
        switch (trigger)
        {
            case ValidatorTrigger.Invalid invalid:
                throw new InvalidEventException(invalid.Reason);
            case ValidatorTrigger.Unrelated unrelated:
                context.Logger.Info("Event does not touch the setup: not validated", ("reason", unrelated.Reason));
                return NotValidated(unrelated.Reason);
            case ValidatorTrigger.OnDemand or ValidatorTrigger.Schedule or ValidatorTrigger.SetupChanged:
                break;
            default:
                throw new System.Diagnostics.UnreachableException();
        }

        var outcome = await run.RunAsync(trigger, context.Logger, cancellationToken);
        var report = outcome.Report;
        context.Logger.Info("Validation finished",
            ("trigger", trigger.Describe()),
            ("overall", report.Overall.ToString().ToLowerInvariant()),
            ("failing", report.Checks.Where(c => c.Status == CheckStatus.Fail).Select(c => c.Id)),
            ("warning", report.Checks.Where(c => c.Status == CheckStatus.Warn).Select(c => c.Id)),
            ("change", outcome.Change.Kind.ToString()),
            ("notified", outcome.Notification switch
            {
                null => "not needed",
                NotifyOutcome.Sent sent => $"sent {sent.MessageId}",
                NotifyOutcome.NotSent notSent => $"not sent: {notSent.Error}",
                _ => throw new System.Diagnostics.UnreachableException(),
            }));
        return Encoding.UTF8.GetBytes(report.ToJson());
    }

    private static byte[] NotValidated(string reason)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteBoolean("validated", false);
            writer.WriteString("reason", reason);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
