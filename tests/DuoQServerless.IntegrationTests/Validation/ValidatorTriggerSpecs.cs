using System.Text.Json;
using DuoQServerless.Aws.Validation;
using DuoQServerless.Functions.Validation;

namespace DuoQServerless.IntegrationTests.Validation;

/// <summary>Which events make the validator run: its schedule, a hand invocation, and CloudTrail changes to its role, GitLab provider or key.</summary>
public sealed class ValidatorTriggerSpecs
{
    private const string KeyId = "a729a18e-d386-412c-b3d2-34530a87d78b";

    private static readonly ValidationTarget WithKey =
        ((TargetOutcome.Valid)ValidationTarget.Create(null, GuideSetup.InstanceId, KeyId, null, null, null)).Target;

    private static readonly ValidationTarget WithoutKey =
        ((TargetOutcome.Valid)ValidationTarget.Create(null, GuideSetup.InstanceId, null, null, null, null)).Target;

    private static ValidatorTrigger From(string json, ValidationTarget? target = null)
    {
        using var document = JsonDocument.Parse(json);
        return ValidatorTrigger.From(document.RootElement, target ?? WithKey);
    }

    private static string CloudTrail(string source, string eventName, string requestParameters) =>
        "{\"detail-type\":\"AWS API Call via CloudTrail\",\"source\":\"aws." + source + "\",\"detail\":{"
        + "\"eventSource\":\"" + source + ".amazonaws.com\",\"eventName\":\"" + eventName + "\","
        + "\"userIdentity\":{\"arn\":\"arn:aws:sts::123456789012:assumed-role/QDeveloperAgent/s\"},"
        + "\"requestParameters\":" + requestParameters + "}}";

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"action":"validate"}""")]
    public void An_empty_event_or_the_validate_action_runs_on_demand(string json) =>
        Assert.IsType<ValidatorTrigger.OnDemand>(From(json));

    [Fact]
    public void The_EventBridge_schedule_runs_it()
    {
        var trigger = Assert.IsType<ValidatorTrigger.Schedule>(From("""{"detail-type":"Scheduled Event","source":"aws.events","time":"2025-06-01T12:00:00Z","detail":{}}"""));

        Assert.Equal("schedule at 2025-06-01T12:00:00Z", trigger.Describe());
    }

    [Theory]
    [InlineData("""{"action":"delete"}""", "unknown action \"delete\"")]
    [InlineData("[1]", "not an object")]
    [InlineData("""{"detail-type":"EC2 Instance State-change Notification","detail":{}}""", "neither a schedule nor a CloudTrail event")]
    public void Anything_else_is_an_invalid_event(string json, string reason) =>
        Assert.Contains(reason, Assert.IsType<ValidatorTrigger.Invalid>(From(json)).Reason);

    [Theory]
    [InlineData("UpdateAssumeRolePolicy")]
    [InlineData("UpdateRole")]
    [InlineData("DetachRolePolicy")]
    [InlineData("PutRolePolicy")]
    public void A_change_to_the_role_runs_it_and_names_who_made_it(string eventName)
    {
        var trigger = Assert.IsType<ValidatorTrigger.SetupChanged>(From(CloudTrail("iam", eventName, """{"roleName":"QDeveloperAccess"}""")));

        Assert.Equal($"{eventName} by arn:aws:sts::123456789012:assumed-role/QDeveloperAgent/s", trigger.Describe());
    }

    [Fact]
    public void A_change_to_another_role_or_an_unrelated_call_does_not()
    {
        Assert.IsType<ValidatorTrigger.Unrelated>(From(CloudTrail("iam", "UpdateRole", """{"roleName":"SomethingElse"}""")));
        Assert.IsType<ValidatorTrigger.Unrelated>(From(CloudTrail("iam", "CreateUser", """{"userName":"QDeveloperAccess"}""")));
    }

    [Fact]
    public void A_change_to_a_GitLab_identity_provider_runs_it_and_one_to_another_provider_does_not()
    {
        var gitLab = $$"""{"openIDConnectProviderArn":"arn:aws:iam::123456789012:oidc-provider/auth.token.gitlab.com/cc/oidc/{{GuideSetup.InstanceId}}"}""";
        const string gitHub = """{"openIDConnectProviderArn":"arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"}""";

        Assert.IsType<ValidatorTrigger.SetupChanged>(From(CloudTrail("iam", "DeleteOpenIDConnectProvider", gitLab)));
        Assert.IsType<ValidatorTrigger.Unrelated>(From(CloudTrail("iam", "DeleteOpenIDConnectProvider", gitHub)));
    }

    [Fact]
    public void A_change_to_the_configured_key_by_id_or_ARN_runs_it_and_one_to_another_key_does_not()
    {
        Assert.IsType<ValidatorTrigger.SetupChanged>(From(CloudTrail("kms", "DisableKey", $$"""{"keyId":"arn:aws:kms:us-east-1:123456789012:key/{{KeyId}}"}""")));
        Assert.IsType<ValidatorTrigger.SetupChanged>(From(CloudTrail("kms", "PutKeyPolicy", $$"""{"keyId":"{{KeyId}}","policyName":"default"}""")));
        Assert.IsType<ValidatorTrigger.Unrelated>(From(CloudTrail("kms", "ScheduleKeyDeletion", """{"keyId":"0b7c1d3e-aaaa-bbbb-cccc-1234567890ab"}""")));
        Assert.IsType<ValidatorTrigger.Unrelated>(From(CloudTrail("kms", "DisableKey", $$"""{"keyId":"{{KeyId}}"}"""), WithoutKey));
    }
}
