using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement.Model;
using DuoQServerless.Aws;
using DuoQServerless.Aws.Approval;
using DuoQServerless.Aws.Audit;
using DuoQServerless.Aws.Guards;
using DuoQServerless.Aws.Notifications;
using DuoQServerless.Core.Detection;
using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Policy;
using DuoQServerless.Functions.Runtime;

namespace DuoQServerless.Functions.Guards;

/// <summary>The environment variables template.yaml sets on the functions.</summary>
public static class FunctionVariables
{
    public const string AuditTable = "DUOQ_AUDIT_TABLE";
    public const string TopicArn = "DUOQ_TOPIC_ARN";
    public const string ApprovalStateMachineArn = "DUOQ_APPROVAL_STATE_MACHINE_ARN";
    /// <summary>Optional: an SSM parameter holding the policy document; the bundled default otherwise.</summary>
    public const string PolicyParameter = "DUOQ_POLICY_PARAMETER";
    /// <summary>Optional: the policy document itself (a small document, or `duoq replay --policy FILE`).</summary>
    public const string PolicyDocument = "DUOQ_POLICY_DOCUMENT";
    /// <summary>Optional: "true" forces dry-run whatever the policy says.</summary>
    public const string DryRun = "DUOQ_DRY_RUN";
    /// <summary>Comma-separated ARN patterns of this stack's own roles (template.yaml derives them from
    /// the stack name): their changes are the guards' reverts and are never acted on.</summary>
    public const string SelfPrincipals = "DUOQ_SELF_PRINCIPALS";
    /// <summary>Comma-separated name patterns of this stack's own resources ("&lt;stack name&gt;-*"): any
    /// change to them is a self-protection finding.</summary>
    public const string SelfResources = "DUOQ_SELF_RESOURCES";

    public static string Required(IRuntimeEnvironment environment, string name) =>
        environment.Get(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: template.yaml sets it on every function");
}

/// <summary>A guard as a Lambda handler: its pipeline built once at init, one report per invocation.</summary>
public sealed class GuardHandler(GuardPipeline pipeline) : ILambdaHandler
{
    /// <summary>The registry entry of a guard: builds its clients, loads the policy, picks its account.</summary>
    public static Func<HandlerInit, CancellationToken, Task<ILambdaHandler>> For(Detector detector, Func<AwsClientFactory, AuditStore, IGuardAccount> account) =>
        async (init, cancellationToken) =>
        {
            var aws = new AwsClientFactory(FunctionAws.Settings(init));
            var policy = await PolicyLoader.LoadAsync(init.Environment, aws, cancellationToken);
            var services = Compose(detector, policy, aws, init.Environment, account, init.Clock);
            init.Logger.Info("Guard ready", ("guard", detector.Guard.Id()), ("dryRun", policy.DryRun));
            return new GuardHandler(new GuardPipeline(services));
        };

    /// <summary>A guard's services as its function composes them: the audit table, topic and state
    /// machine its environment names, reached through <paramref name="aws"/>.</summary>
    public static GuardServices Compose(
        Detector detector, GuardPolicy policy, AwsClientFactory aws, IRuntimeEnvironment environment,
        Func<AwsClientFactory, AuditStore, IGuardAccount> account, TimeProvider clock)
    {
        var audit = new AuditStore(aws.DynamoDb, FunctionVariables.Required(environment, FunctionVariables.AuditTable));
        return new GuardServices(
            detector,
            policy,
            account(aws, audit),
            audit,
            new SnsFindingNotifier(aws.Sns, FunctionVariables.Required(environment, FunctionVariables.TopicArn)),
            new StepFunctionsApprovalStarter(aws.StepFunctions, FunctionVariables.Required(environment, FunctionVariables.ApprovalStateMachineArn)),
            clock);
    }

    public async Task<byte[]> HandleAsync(JsonElement @event, LambdaContext context, CancellationToken cancellationToken)
    {
        var report = await pipeline.HandleAsync(@event.GetRawText(), context.InvokedFunctionArn, context.Logger, cancellationToken);
        return JsonSerializer.SerializeToUtf8Bytes(report, GuardJson.Default.GuardReport);
    }
}

/// <summary>AWS settings of a function: region and endpoint from its environment; credentials from
/// its environment when set there (Lambda sets them; so does a local run against an emulator),
/// else AWSSDK.Core's default chain.</summary>
public static class FunctionAws
{
    /// <summary>The settings of a function being initialised, reporting its calls to the init's observer, if any.</summary>
    public static AwsSettings Settings(HandlerInit init) => Settings(init.Environment) with { Observer = init.AwsCalls };

    public static AwsSettings Settings(IRuntimeEnvironment environment)
    {
        var settings = AwsSettings.FromEnvironment(environment.Get);
        return environment.Get("AWS_ACCESS_KEY_ID") is { Length: > 0 } keyId && environment.Get("AWS_SECRET_ACCESS_KEY") is { Length: > 0 } secret
            ? settings with
            {
                Credentials = environment.Get("AWS_SESSION_TOKEN") is { Length: > 0 } token
                    ? new SessionAWSCredentials(keyId, secret, token)
                    : new BasicAWSCredentials(keyId, secret),
            }
            : settings;
    }
}

/// <summary>Loads the guards' policy: the document in the environment, or the SSM parameter named
/// there, else the bundled default. A malformed document is an init error naming the bad fields.</summary>
public static class PolicyLoader
{
    public static async Task<GuardPolicy> LoadAsync(IRuntimeEnvironment environment, AwsClientFactory aws, CancellationToken cancellationToken)
    {
        var policy = GuardPolicy.Default;
        if (environment.Get(FunctionVariables.PolicyDocument) is { Length: > 0 } document)
            policy = Parse(document, FunctionVariables.PolicyDocument);
        else if (environment.Get(FunctionVariables.PolicyParameter) is { Length: > 0 } name)
        {
            GetParameterResponse parameter;
            try
            {
                parameter = await aws.Ssm.GetParameterAsync(new GetParameterRequest { Name = name, WithDecryption = true }, cancellationToken);
            }
            // An init error that names the parameter and AWS's code (AccessDenied, ParameterNotFound):
            // Lambda retries the event and then hands it to the dead-letter queue, so nothing is lost.
            catch (AmazonServiceException e)
            {
                throw new InvalidOperationException($"Cannot read the policy document from SSM parameter {name}: {e.ErrorCode}: {e.Message}", e);
            }
            policy = Parse(parameter.Parameter.Value, $"SSM parameter {name}");
        }
        if (environment.Get(FunctionVariables.SelfPrincipals) is { Length: > 0 } self)
            policy = policy with { SelfPrincipals = [.. policy.SelfPrincipals, .. self.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)] };
        if (environment.Get(FunctionVariables.SelfResources) is { Length: > 0 } resources)
            policy = policy with { SelfResources = [.. policy.SelfResources, .. resources.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)] };
        return environment.Get(FunctionVariables.DryRun) is "true" ? policy with { DryRun = true } : policy;
    }

    public static GuardPolicy Parse(string document, string source) => GuardPolicy.Parse(document) switch
    {
        PolicyLoad.Loaded loaded => loaded.Policy,
        PolicyLoad.Rejected rejected => throw new InvalidOperationException(new StringBuilder($"The policy document in {source} is invalid: ")
            .AppendJoin("; ", rejected.Errors).ToString()),
        _ => throw new InvalidOperationException("unexpected policy load outcome"),
    };
}
