using DuoQServerless.Testing;
using YamlDotNet.RepresentationModel;

namespace DuoQServerless.IntegrationTests.Faults;

/// <summary>
/// template.yaml keeps every asynchronous invocation that fails: Lambda retries it a bounded number
/// of times within a bounded age, then puts it in the stack's dead-letter queue; EventBridge does the
/// same with an event it could not deliver. Nothing a guard failed on is lost.
/// </summary>
public sealed class DeadLetterTemplateSpecs
{
    private const string DeadLetterArn = "DeadLetterQueue.Arn"; // !GetAtt DeadLetterQueue.Arn, as the reader keeps it
    private static readonly YamlMappingNode Root = LoadRoot();
    private static readonly SamTemplate Template = SamTemplate.Load();

    public static TheoryData<string> AsyncFunctions() => new(AsyncFunctionIds());

    private static IEnumerable<string> AsyncFunctionIds() =>
        Template.Functions().Where(f => Events(f.Properties).Any(e => SamTemplate.Scalar(e.Event, "Type") is "EventBridgeRule" or "Schedule")).Select(f => f.LogicalId);

    [Fact]
    public void The_guards_the_validator_and_the_report_are_invoked_asynchronously()
    {
        var ids = AsyncFunctionIds().ToHashSet();

        Assert.Superset(new HashSet<string> { "SshGuardFunction", "InstanceGuardFunction", "RdsGuardFunction", "IamGuardFunction", "DuoQValidatorFunction", "ComplianceReportFunction" }, ids);
    }

    [Theory]
    [MemberData(nameof(AsyncFunctions))]
    public void A_failed_asynchronous_invocation_is_retried_a_bounded_number_of_times_then_dead_lettered(string functionId)
    {
        var function = Template.Functions().Single(f => f.LogicalId == functionId).Properties;

        var deadLetter = Effective(function, "DeadLetterQueue");
        var invokeConfig = Effective(function, "EventInvokeConfig");

        Assert.Equal(("SQS", DeadLetterArn), (SamTemplate.Scalar(deadLetter, "Type"), SamTemplate.Scalar(deadLetter, "TargetArn")));
        Assert.InRange(int.Parse(SamTemplate.Scalar(invokeConfig, "MaximumRetryAttempts")!), 1, 2);
        Assert.InRange(int.Parse(SamTemplate.Scalar(invokeConfig, "MaximumEventAgeInSeconds")!), 60, 21600);
    }

    [Theory]
    [MemberData(nameof(AsyncFunctions))]
    public void An_event_EventBridge_could_not_deliver_goes_to_the_stacks_dead_letter_queue_not_a_queue_of_its_own(string functionId)
    {
        var function = Template.Functions().Single(f => f.LogicalId == functionId).Properties;

        foreach (var (name, @event) in Events(function).Where(e => SamTemplate.Scalar(e.Event, "Type") is "EventBridgeRule" or "Schedule"))
        {
            var properties = (YamlMappingNode)@event.Children[new YamlScalarNode("Properties")];
            var retry = Child(properties, "RetryPolicy") ?? throw new Xunit.Sdk.XunitException($"{functionId}.{name} has no RetryPolicy");
            var deadLetter = Child(properties, "DeadLetterConfig") ?? throw new Xunit.Sdk.XunitException($"{functionId}.{name} has no DeadLetterConfig");
            Assert.NotNull(SamTemplate.Scalar(retry, "MaximumRetryAttempts"));
            Assert.NotNull(SamTemplate.Scalar(retry, "MaximumEventAgeInSeconds"));
            // With Type, SAM would create an unmonitored queue per rule and ignore any other key.
            Assert.Equal((DeadLetterArn, null), (SamTemplate.Scalar(deadLetter, "Arn"), SamTemplate.Scalar(deadLetter, "Type")));
        }
    }

    [Fact]
    public void EventBridge_may_send_to_the_dead_letter_queue_for_this_stacks_rules_only()
    {
        var policy = Template.Resources("AWS::SQS::QueuePolicy").Single(p => p.Properties.Children[new YamlScalarNode("Queues")] is YamlSequenceNode queues
            && queues.Children.OfType<YamlScalarNode>().Any(q => q.Value == "DeadLetterQueue")).Properties;
        var statement = Assert.Single(((YamlSequenceNode)((YamlMappingNode)policy.Children[new YamlScalarNode("PolicyDocument")]).Children[new YamlScalarNode("Statement")]).Children.Cast<YamlMappingNode>());

        Assert.Equal(("Allow", "sqs:SendMessage", DeadLetterArn), (SamTemplate.Scalar(statement, "Effect"), SamTemplate.Scalar(statement, "Action"), SamTemplate.Scalar(statement, "Resource")));
        Assert.Equal("events.amazonaws.com", SamTemplate.Scalar(Child(statement, "Principal")!, "Service"));
        Assert.EndsWith(":rule/${AWS::StackName}-*", SamTemplate.Scalar(Child(Child(statement, "Condition")!, "ArnLike")!, "aws:SourceArn"));
    }

    private static IEnumerable<(string Name, YamlMappingNode Event)> Events(YamlMappingNode function) =>
        Child(function, "Events") is { } events ? events.Children.Select(e => (((YamlScalarNode)e.Key).Value!, (YamlMappingNode)e.Value)) : [];

    // The function's own setting, else the one in Globals.Function.
    private static YamlMappingNode Effective(YamlMappingNode function, string key) =>
        Child(function, key) ?? Child(Child(Child(Root, "Globals")!, "Function")!, key) ?? throw new Xunit.Sdk.XunitException($"no {key} on the function or in Globals");

    private static YamlMappingNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child as YamlMappingNode : null;

    private static YamlMappingNode LoadRoot()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(RepoPaths.Of("template.yaml"));
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }
}
