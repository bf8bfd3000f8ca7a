using System.Text.Json.Nodes;
using DuoQServerless.Core.Detection;
using DuoQServerless.Core.Findings;
using DuoQServerless.Functions.Handlers;
using DuoQServerless.Testing;

namespace DuoQServerless.Tests.Template;

/// <summary>template.yaml and the code declare the same things: the rules watch what the detectors
/// detect, each guard's role grants what its detector declares and nothing more, every function's
/// handler exists and every function is built.</summary>
public sealed class TemplateAgreementSpecs
{
    private static readonly SamTemplate Template = SamTemplate.Load();

    public static TheoryData<string> GuardHandlers => new(Detectors.All.Select(HandlerOf));

    private static string HandlerOf(Detector detector) => $"{detector.Guard.Id()}-guard";

    private static (string LogicalId, string Handler, YamlDotNet.RepresentationModel.YamlMappingNode Properties) Function(string handler) =>
        Template.Functions().Single(f => f.Handler == handler);

    private static Detector DetectorOf(string handler) => Detectors.All.Single(d => HandlerOf(d) == handler);

    [Theory]
    [MemberData(nameof(GuardHandlers))]
    public void Each_guard_rule_watches_exactly_the_events_its_detector_detects(string handler)
    {
        var expected = JsonNode.Parse(EventRulePattern.For(DetectorOf(handler)));

        var pattern = Assert.Single(Template.RulePatterns(Function(handler).Properties));

        Assert.True(JsonNode.DeepEquals(expected, pattern), $"template pattern\n{pattern}\ndetector pattern\n{expected}");
    }

    [Theory]
    [MemberData(nameof(GuardHandlers))]
    public void Each_guard_role_grants_exactly_what_its_detector_declares_plus_the_common_guard_actions_and_approval_only_where_its_policy_allows_it(string handler)
    {
        var detector = DetectorOf(handler);
        var common = new[] { "dynamodb:PutItem", "dynamodb:UpdateItem", "sns:Publish", "ssm:GetParameter", "sqs:SendMessage" };
        var approval = detector.AsksForApproval ? new[] { "states:StartExecution" } : [];
        var expected = detector.RevertActions.Concat(detector.ReadActions).Concat(common).Concat(approval).ToHashSet();

        var granted = Template.PolicyActions(Function(handler).Properties);

        Assert.Empty(expected.Except(granted)); // missing: the guard would fail with AccessDenied
        Assert.Empty(granted.Except(expected)); // extra: more than the code needs
    }

    [Fact]
    public void Every_function_handler_in_the_template_is_registered_in_the_bootstrap()
    {
        var registered = FunctionHandlers.Create().Names;

        Assert.All(Template.Functions(), f => Assert.Contains(f.Handler, registered));
    }

    [Fact]
    public void Every_function_built_by_the_makefile_has_a_build_target()
    {
        var makefile = File.ReadAllText(RepoPaths.Of("Makefile"));

        Assert.All(Template.Functions(), f => Assert.Matches($@"(^|\s)build-{f.LogicalId}(\s|:)", makefile));
    }
}
