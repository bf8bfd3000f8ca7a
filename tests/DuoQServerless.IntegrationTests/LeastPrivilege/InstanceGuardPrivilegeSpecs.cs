using Amazon.EC2.Model;
using DuoQServerless.Aws;
using Xunit.Abstractions;

namespace DuoQServerless.IntegrationTests.LeastPrivilege;

public sealed class InstanceGuardWorld : GuardWorld
{
    public override GuardCase Case { get; } = new("instance-guard", ["oversized-instance"], [RunOversizedAsync], [RunOversizedAsync]);

    /// <summary>A running m5.24xlarge, and the sample event of its launch.</summary>
    private static async Task<string> RunOversizedAsync(AwsClientFactory admin)
    {
        var instance = (await admin.Ec2.RunInstancesAsync(new RunInstancesRequest("ami-12c6146b", 1, 1) { InstanceType = "m5.24xlarge" })).Reservation.Instances[0].InstanceId;
        return GuardCase.Sample("instance/risky-run-m5-24xlarge.json", new Dictionary<string, string> { ["i-0c1d2e3f4a5b60002"] = instance });
    }
}

public sealed class InstanceGuardPrivilegeSpecs(InstanceGuardWorld world, ITestOutputHelper output) : GuardPrivilegeSpecs(world, output), IClassFixture<InstanceGuardWorld>
{
    public static IEnumerable<object[]> Actions => GuardWorld.RemovableActions("instance-guard");

    [Fact]
    public Task Every_instance_guard_call_is_allowed_by_its_role_in_template_yaml() => Every_call_is_allowed_by_the_role_in_template_yaml_resources_included();

    [Fact]
    public Task Every_action_of_the_instance_guard_role_is_used() => No_action_the_role_grants_goes_unused();

    [Theory]
    [MemberData(nameof(Actions))]
    public Task Without_one_action_the_instance_guard_is_refused_and_records_and_notifies(string action) => Without_one_action_the_guard_is_refused_records_and_notifies(action);
}
