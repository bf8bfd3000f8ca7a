using Amazon;
using Amazon.EC2.Model;
using DuoQServerless.Aws;
using DuoQServerless.Aws.Iam;
using DuoQServerless.Aws.Protocol;
using DuoQServerless.Aws.Rds;
using DuoQServerless.Aws.Sns;
using DuoQServerless.Aws.StepFunctions;
using DuoQServerless.IntegrationTests.Harness;

namespace DuoQServerless.IntegrationTests.Clients;

/// <summary>Where calls go: explicit endpoint, then AWS_ENDPOINT_URL_&lt;SERVICE&gt;, then AWS_ENDPOINT_URL, as the served SDK clients do.</summary>
public sealed class EndpointSpecs(MotoFixture moto) : MotoTest(moto)
{
    // The discard port: nothing listens there, so a call that went there would fail.
    private const string Nowhere = "http://127.0.0.1:9/";

    private AwsClientFactory FromEnvironment(Func<string, string?> environment, string region = TestCredentials.Region, Uri? endpointOverride = null) =>
        new(new AwsSettings
        {
            Region = RegionEndpoint.GetBySystemName(region),
            EndpointOverride = endpointOverride,
            Credentials = TestCredentials.Default,
            EnvironmentVariables = environment,
            Retry = AwsRetryPolicy.None,
        });

    [Fact]
    public async Task AWS_ENDPOINT_URL_IAM_sends_IAM_calls_there_and_leaves_other_services_alone()
    {
        using var setUp = MotoClients.Factory(Endpoint);
        await setUp.Iam.CreateRoleAsync("guarded");
        using var aws = FromEnvironment(MotoClients.Environment(("AWS_ENDPOINT_URL_IAM", Endpoint.ToString())));

        var role = await aws.Iam.GetRoleAsync(new GetRoleRequest("guarded"));

        Assert.Equal("guarded", role.RoleName);
        Assert.Equal(new Uri("https://rds.us-east-1.amazonaws.com/"), aws.EndpointFor(AwsService.Rds).Url);
    }

    [Fact]
    public async Task AWS_ENDPOINT_URL_sends_every_client_there_served_SDK_clients_included()
    {
        using var aws = FromEnvironment(MotoClients.Environment(("AWS_ENDPOINT_URL", Endpoint.ToString())));

        var topic = await aws.Sns.CreateTopicAsync(new CreateTopicRequest("from-env"));
        var instances = await aws.Rds.DescribeDBInstancesAsync(new DescribeDBInstancesRequest()).ToListAsync();
        var vpcs = await aws.Ec2.DescribeVpcsAsync(new DescribeVpcsRequest());

        Assert.EndsWith(":from-env", topic);
        Assert.Empty(instances);
        Assert.Contains(vpcs.Vpcs, v => v.IsDefault == true);
    }

    [Fact]
    public async Task A_service_variable_wins_over_AWS_ENDPOINT_URL()
    {
        using var aws = FromEnvironment(MotoClients.Environment(
            ("AWS_ENDPOINT_URL", Nowhere),
            ("AWS_ENDPOINT_URL_SFN", Endpoint.ToString()),
            ("AWS_ENDPOINT_URL_EC2", Endpoint.ToString())));

        var missing = await Assert.ThrowsAsync<AwsApiException>(() => aws.StepFunctions.DescribeExecutionAsync(
            new DescribeExecutionRequest($"arn:aws:states:us-east-1:{TestCredentials.AccountId}:execution:m:e")));
        var vpcs = await aws.Ec2.DescribeVpcsAsync(new DescribeVpcsRequest());

        Assert.Equal(AwsErrorCodes.ExecutionDoesNotExist, missing.ErrorCode);
        Assert.NotEmpty(vpcs.Vpcs);
        Assert.Equal(new Uri(Nowhere), aws.EndpointFor(AwsService.Sns).Url);
    }

    [Fact]
    public async Task An_explicit_endpoint_wins_over_the_environment()
    {
        using var setUp = MotoClients.Factory(Endpoint);
        await setUp.Iam.CreateRoleAsync("guarded");
        using var aws = FromEnvironment(
            MotoClients.Environment(("AWS_ENDPOINT_URL", Nowhere), ("AWS_ENDPOINT_URL_IAM", Nowhere), ("AWS_ENDPOINT_URL_EC2", Nowhere)),
            endpointOverride: Endpoint);

        var role = await aws.Iam.GetRoleAsync(new GetRoleRequest("guarded"));
        var vpcs = await aws.Ec2.DescribeVpcsAsync(new DescribeVpcsRequest());

        Assert.Equal("guarded", role.RoleName);
        Assert.NotEmpty(vpcs.Vpcs);
    }

    [Fact]
    public void AWS_IGNORE_CONFIGURED_ENDPOINT_URLS_leaves_every_service_on_its_public_endpoint()
    {
        using var aws = FromEnvironment(
            MotoClients.Environment(("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"), ("AWS_ENDPOINT_URL", Nowhere), ("AWS_ENDPOINT_URL_EC2", Nowhere)),
            region: "eu-west-1");

        Assert.Equal(new AwsEndpoint(new Uri("https://iam.amazonaws.com/"), RegionEndpoint.USEast1), aws.EndpointFor(AwsService.Iam));
        Assert.Equal(new AwsEndpoint(new Uri("https://rds.eu-west-1.amazonaws.com/"), RegionEndpoint.EUWest1), aws.EndpointFor(AwsService.Rds));
        Assert.Equal(new AwsEndpoint(new Uri("https://sns.eu-west-1.amazonaws.com/"), RegionEndpoint.EUWest1), aws.EndpointFor(AwsService.Sns));
        Assert.Equal(new AwsEndpoint(new Uri("https://states.eu-west-1.amazonaws.com/"), RegionEndpoint.EUWest1), aws.EndpointFor(AwsService.StepFunctions));
        Assert.Null(aws.Ec2.Config.ServiceURL);
        Assert.Equal(RegionEndpoint.EUWest1, aws.Ec2.Config.RegionEndpoint);
    }

    [Fact]
    public async Task IAM_signs_for_us_east_1_from_any_region_while_RDS_signs_for_its_own()
    {
        using var inUsEast1 = MotoClients.Factory(Endpoint);
        await inUsEast1.Iam.CreateRoleAsync("guarded");
        await inUsEast1.Rds.CreateInstanceAsync("orders-db");
        using var inIreland = FromEnvironment(MotoClients.EmptyEnvironment, region: "eu-west-1", endpointOverride: Endpoint);

        var role = await inIreland.Iam.GetRoleAsync(new GetRoleRequest("guarded"));
        var irishInstances = await inIreland.Rds.DescribeDBInstancesAsync(new DescribeDBInstancesRequest()).ToListAsync();

        Assert.Equal("guarded", role.RoleName);
        Assert.Empty(irishInstances);
        Assert.Equal(RegionEndpoint.USEast1, inIreland.EndpointFor(AwsService.Iam).SigningRegion);
    }

    [Fact]
    public void Settings_from_the_environment_take_the_region_Lambda_sets()
    {
        var lambda = AwsSettings.FromEnvironment(MotoClients.Environment(("AWS_REGION", "eu-central-1"), ("AWS_DEFAULT_REGION", "us-west-2")));
        var cli = AwsSettings.FromEnvironment(MotoClients.Environment(("AWS_DEFAULT_REGION", "us-west-2")));

        Assert.Equal(RegionEndpoint.EUCentral1, lambda.Region);
        Assert.Equal(RegionEndpoint.USWest2, cli.Region);
        Assert.Throws<InvalidOperationException>(() => AwsSettings.FromEnvironment(MotoClients.EmptyEnvironment));
    }

    [Fact]
    public void An_endpoint_variable_that_is_not_an_http_url_is_refused_with_its_name()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            FromEnvironment(MotoClients.Environment(("AWS_ENDPOINT_URL_SNS", "localhost:4566"))).EndpointFor(AwsService.Sns));

        Assert.Contains("AWS_ENDPOINT_URL_SNS", error.Message);
    }
}
