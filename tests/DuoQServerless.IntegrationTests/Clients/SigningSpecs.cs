using System.Net;
using Amazon.Runtime;
using Amazon.SecurityToken.Model;
using DuoQServerless.Aws.Iam;
using DuoQServerless.Aws.Protocol;
using DuoQServerless.Aws.Rds;
using DuoQServerless.Aws.Sns;
using DuoQServerless.Aws.StepFunctions;
using DuoQServerless.Cli.Emulator;
using DuoQServerless.IntegrationTests.Harness;

namespace DuoQServerless.IntegrationTests.Clients;

/// <summary>
/// An emulator that checks every SigV4 signature and IAM policy once its set-up calls are
/// done: the user "auditor" may read one role, list RDS instances, create SNS topics, describe
/// Step Functions executions and assume the role "guarded", nothing else.
/// </summary>
public sealed class EnforcingMoto : IAsyncLifetime
{
    // CreateUser, CreateAccessKey, PutUserPolicy, CreateRole, PutRolePolicy: the calls moto
    // answers before it starts enforcing.
    private const int SetUpCalls = 5;

    private MotoServer? _server;

    public Uri Endpoint => (_server ?? throw new InvalidOperationException("not started")).Endpoint;

    public BasicAWSCredentials Auditor { get; private set; } = null!;

    public string GuardedRoleArn { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _server = await MotoServer.StartAsync(new MotoOptions { InitialNoAuthActionCount = SetUpCalls });
        using var setUp = MotoClients.Factory(_server.Endpoint);
        var auditorArn = await setUp.Iam.CreateUserAsync("auditor");
        var key = await setUp.Iam.CreateAccessKeyAsync("auditor");
        await setUp.Iam.PutUserPolicyAsync("auditor", "audit", IamSetup.AllowPolicy(
            "iam:GetRole", "rds:DescribeDBInstances", "sns:CreateTopic", "states:DescribeExecution", "sts:AssumeRole"));
        GuardedRoleArn = await setUp.Iam.CreateRoleAsync("guarded", $$"""
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"{{auditorArn}}"},"Action":"sts:AssumeRole"}]}
            """);
        await setUp.Iam.PutRolePolicyAsync(new PutRolePolicyRequest("guarded", "read-itself", IamSetup.AllowPolicy("iam:GetRole")));
        Auditor = new BasicAWSCredentials(key.AccessKeyId, key.SecretAccessKey);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}

public sealed class SigningSpecs(EnforcingMoto moto) : IClassFixture<EnforcingMoto>
{
    private static readonly string MissingExecution = $"arn:aws:states:us-east-1:{TestCredentials.AccountId}:execution:none:none";

    [Fact]
    public async Task Requests_signed_with_the_users_secret_are_answered_by_every_service()
    {
        using var aws = MotoClients.Factory(moto.Endpoint, credentials: moto.Auditor);

        var role = await aws.Iam.GetRoleAsync(new GetRoleRequest("guarded"));
        var instances = await aws.Rds.DescribeDBInstancesAsync(new DescribeDBInstancesRequest()).ToListAsync();
        var topic = await aws.Sns.CreateTopicAsync(new CreateTopicRequest("signed-topic"));
        var missing = await Assert.ThrowsAsync<AwsApiException>(() => aws.StepFunctions.DescribeExecutionAsync(new DescribeExecutionRequest(MissingExecution)));

        Assert.Equal(moto.GuardedRoleArn, role.Arn);
        Assert.Empty(instances);
        Assert.EndsWith(":signed-topic", topic);
        Assert.Equal(AwsErrorCodes.ExecutionDoesNotExist, missing.ErrorCode);
    }

    [Fact]
    public async Task A_request_signed_with_a_wrong_secret_is_refused_with_SignatureDoesNotMatch()
    {
        var forged = new BasicAWSCredentials(moto.Auditor.GetCredentials().AccessKey, "not-the-secret");
        using var aws = MotoClients.Factory(moto.Endpoint, credentials: forged);

        var query = await Assert.ThrowsAsync<AwsApiException>(() => aws.Iam.GetRoleAsync(new GetRoleRequest("guarded")));
        var json = await Assert.ThrowsAsync<AwsApiException>(() => aws.StepFunctions.DescribeExecutionAsync(new DescribeExecutionRequest(MissingExecution)));

        Assert.Equal((AwsErrorCodes.SignatureDoesNotMatch, HttpStatusCode.Forbidden, "iam:GetRole"), (query.ErrorCode, query.StatusCode, query.Action));
        Assert.Equal((AwsErrorCodes.SignatureDoesNotMatch, HttpStatusCode.Forbidden, "states:DescribeExecution"), (json.ErrorCode, json.StatusCode, json.Action));
    }

    [Fact]
    public async Task An_access_key_the_account_never_issued_is_refused_with_InvalidClientTokenId()
    {
        using var aws = MotoClients.Factory(moto.Endpoint, credentials: new BasicAWSCredentials("AKIAUNKNOWNKEY000000", "whatever"));

        var error = await Assert.ThrowsAsync<AwsApiException>(() => aws.Iam.GetRoleAsync(new GetRoleRequest("guarded")));

        Assert.Equal(AwsErrorCodes.InvalidClientTokenId, error.ErrorCode);
    }

    [Fact]
    public async Task An_action_the_users_policy_does_not_allow_is_refused_with_AccessDenied()
    {
        var calls = new AwsCallRecorder();
        using var aws = MotoClients.Factory(moto.Endpoint, calls, moto.Auditor);

        var iam = await Assert.ThrowsAsync<AwsApiException>(() => aws.Iam.ListRolePoliciesAsync(new ListRolePoliciesRequest("guarded")).ToListAsync().AsTask());
        var rds = await Assert.ThrowsAsync<AwsApiException>(() => aws.Rds.ModifyDBInstanceAsync(new ModifyDBInstanceRequest("any") { DeletionProtection = false }));
        var states = await Assert.ThrowsAsync<AwsApiException>(() => aws.StepFunctions.StopExecutionAsync(new StopExecutionRequest(MissingExecution)));

        Assert.Equal((AwsErrorCodes.AccessDenied, HttpStatusCode.Forbidden, "iam:ListRolePolicies"), (iam.ErrorCode, iam.StatusCode, iam.Action));
        Assert.Equal((AwsErrorCodes.AccessDenied, "rds:ModifyDBInstance"), (rds.ErrorCode, rds.Action));
        Assert.Equal((AwsErrorCodes.AccessDenied, "states:StopExecution"), (states.ErrorCode, states.Action));
        Assert.Contains("auditor", iam.ErrorMessage);
        Assert.Equal(
            ["iam:ListRolePolicies", "rds:ModifyDBInstance", "states:StopExecution"],
            calls.Calls.Where(c => c.ErrorCode == AwsErrorCodes.AccessDenied).Select(c => c.Action));
    }

    [Fact]
    public async Task Temporary_credentials_from_AssumeRole_sign_with_their_session_token()
    {
        using var asAuditor = MotoClients.Factory(moto.Endpoint, credentials: moto.Auditor);
        var assumed = await asAuditor.Sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = moto.GuardedRoleArn, RoleSessionName = "duoq-guard" });
        var session = new SessionAWSCredentials(assumed.Credentials.AccessKeyId, assumed.Credentials.SecretAccessKey, assumed.Credentials.SessionToken);
        using var asRole = MotoClients.Factory(moto.Endpoint, credentials: session);

        var role = await asRole.Iam.GetRoleAsync(new GetRoleRequest("guarded"));
        var beyondTheRole = await Assert.ThrowsAsync<AwsApiException>(() => asRole.Rds.DescribeDBInstancesAsync(new DescribeDBInstancesRequest()).ToListAsync().AsTask());

        Assert.Equal(moto.GuardedRoleArn, role.Arn);
        Assert.Equal(AwsErrorCodes.AccessDenied, beyondTheRole.ErrorCode);
        Assert.Contains("assumed-role/guarded/duoq-guard", beyondTheRole.ErrorMessage);
    }
}
