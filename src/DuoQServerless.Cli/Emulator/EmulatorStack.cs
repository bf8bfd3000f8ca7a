using System.Reflection;
using System.Xml.Linq;
using Amazon.SQS.Model;
using DuoQServerless.Aws;
using DuoQServerless.Aws.Audit;
using DuoQServerless.Aws.Protocol;
using DuoQServerless.Aws.Sns;
using DuoQServerless.Aws.StepFunctions;
using DuoQServerless.Functions.Guards;

namespace DuoQServerless.Cli.Emulator;

/// <summary>
/// The resources the functions work with: the audit table, the findings topic, the approval
/// queue and state machine. Against an emulator they are created when missing (what
/// template.yaml deploys that moto can run, the repository's own ASL included), so
/// `duoq replay --endpoint` and the demo work on a fresh emulator; against an account they are
/// read from the deployed stack's outputs.
/// </summary>
public sealed record EmulatorStack(string AuditTable, string TopicArn, string ApprovalQueueUrl, string StateMachineArn, string Region)
{
    public const string StackName = "duoq";

    public static async Task<EmulatorStack> EnsureAsync(AwsClientFactory aws, CancellationToken cancellationToken)
    {
        var table = $"{StackName}-audit";
        await Aws.Audit.AuditTable.EnsureExistsAsync(aws.DynamoDb, table, cancellationToken);
        // CreateTopic and CreateQueue answer the existing resource when called again with the same name.
        var topic = await aws.Sns.CreateTopicAsync(new CreateTopicRequest($"{StackName}-findings"), cancellationToken);
        var queue = (await aws.Sqs.CreateQueueAsync(new CreateQueueRequest($"{StackName}-approval-requests"), cancellationToken)).QueueUrl;
        var region = aws.Settings.Region.SystemName;
        var stateMachine = await EnsureStateMachineAsync(aws.StepFunctions, queue, topic, region, cancellationToken);
        return new EmulatorStack(table, topic, queue, stateMachine, region);
    }

    /// <summary>The outputs of a deployed stack (template.yaml's Outputs); nothing is created.</summary>
    public static async Task<EmulatorStack> ReadDeployedAsync(AwsClientFactory aws, string stackName, CancellationToken cancellationToken)
    {
        XElement result;
        try
        {
            result = await aws.QueryClient(AwsService.CloudFormation).InvokeAsync("DescribeStacks", new QueryParameters().Add("StackName", stackName), cancellationToken: cancellationToken);
        }
        // No such stack (or no permission to see it): the user names another with --stack.
        catch (AwsApiException e) when (e.ErrorCode is "ValidationError" or "AccessDenied")
        {
            throw new UsageException($"--stack {stackName}: {e.ErrorMessage}");
        }
        var outputs = result.Members("Stacks").SelectMany(stack => stack.Members("Outputs"))
            .ToDictionary(output => output.RequiredText("OutputKey"), output => output.RequiredText("OutputValue"));
        string Output(string key) => outputs.TryGetValue(key, out var value) ? value : throw new UsageException($"--stack {stackName} has no output {key}: is it a DuoQServerless stack?");
        return new EmulatorStack(Output("AuditTableName"), Output("FindingsTopicArn"), "", Output("ApprovalStateMachineArn"), aws.Settings.Region.SystemName);
    }

    /// <summary>The guard functions' environment, as template.yaml sets it; pointed at the emulator
    /// when there is one, else at the account the default credentials reach.</summary>
    public Dictionary<string, string> FunctionEnvironment(Uri? endpoint, bool dryRun = false, string? policyDocument = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["AWS_REGION"] = Region,
            [FunctionVariables.AuditTable] = AuditTable,
            [FunctionVariables.TopicArn] = TopicArn,
            [FunctionVariables.ApprovalStateMachineArn] = StateMachineArn,
            [FunctionVariables.DryRun] = dryRun ? "true" : "false",
        };
        if (policyDocument is not null) environment[FunctionVariables.PolicyDocument] = policyDocument;
        if (endpoint is not null)
        {
            environment["AWS_ENDPOINT_URL"] = endpoint.ToString().TrimEnd('/');
            environment["AWS_ACCESS_KEY_ID"] = EmulatorCredentials.Key;
            environment["AWS_SECRET_ACCESS_KEY"] = EmulatorCredentials.Key;
        }
        return environment;
    }

    private static async Task<string> EnsureStateMachineAsync(StepFunctionsClient stepFunctions, string queueUrl, string topicArn, string region, CancellationToken cancellationToken)
    {
        var definition = ApprovalDefinition().Replace("${ApprovalQueueUrl}", queueUrl).Replace("${TopicArn}", topicArn);
        try
        {
            var created = await stepFunctions.CreateStateMachineAsync(
                new CreateStateMachineRequest($"{StackName}-approval", definition, $"arn:aws:iam::123456789012:role/{StackName}-approval"), cancellationToken);
            return created.StateMachineArn;
        }
        // Created by an earlier run against this emulator: its ARN follows from the name.
        catch (AwsApiException e) when (e.ErrorCode == "StateMachineAlreadyExists")
        {
            return $"arn:aws:states:{region}:123456789012:stateMachine:{StackName}-approval";
        }
    }

    private static string ApprovalDefinition()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("approval.asl.json")
            ?? throw new InvalidOperationException("approval.asl.json is not embedded in the CLI assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
