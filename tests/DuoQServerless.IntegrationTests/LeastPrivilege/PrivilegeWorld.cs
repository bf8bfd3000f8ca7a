using System.Text;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using DuoQServerless.Aws;
using DuoQServerless.Aws.Audit;
using DuoQServerless.Cli.Emulator;
using DuoQServerless.IntegrationTests.Clients;

namespace DuoQServerless.IntegrationTests.LeastPrivilege;

/// <summary>
/// One IAM-enforcing emulator for one function's specs: the stack as the functions see it (audit
/// table, findings topic, approval queue and state machine, report bucket, policy parameters under
/// /duoq/), an "admin" user that seeds and inspects the account, and the user "function" whose
/// only policy is what a spec grants it (the role's actions, or all but one).
/// </summary>
public abstract class PrivilegeWorld : IAsyncLifetime
{
    public const string ReportBucket = "duoq-reports";
    private const string FunctionUser = "function";
    private MotoServer? _server;
    private AwsClientFactory? _admin;

    /// <summary>The function's Handler in template.yaml.</summary>
    public abstract string Handler { get; }

    public Uri Endpoint => (_server ?? throw new InvalidOperationException("not started")).Endpoint;

    /// <summary>Clients signing as a user allowed everything: set-up and inspection, never the function.</summary>
    public AwsClientFactory Admin => _admin ?? throw new InvalidOperationException("not started");

    public EmulatorStack Stack { get; private set; } = null!;

    public AuditStore Audit => new(Admin.DynamoDb, Stack.AuditTable);

    public BasicAWSCredentials Function { get; private set; } = null!;

    public TemplateRole Role { get; private set; } = null!;

    /// <summary>SecureString parameters: reading them with decryption has SSM call kms:Decrypt for the function.</summary>
    public HashSet<string> SecureParameters { get; } = new(StringComparer.Ordinal);

    public async Task InitializeAsync()
    {
        _server = await MotoServer.StartAsync();
        using (var setUp = MotoClients.Factory(_server.Endpoint))
        {
            await setUp.Iam.CreateUserAsync("admin");
            var adminKey = await setUp.Iam.CreateAccessKeyAsync("admin");
            await setUp.Iam.PutUserPolicyAsync("admin", "everything", IamSetup.AllowPolicy("*"));
            await setUp.Iam.CreateUserAsync(FunctionUser);
            var key = await setUp.Iam.CreateAccessKeyAsync(FunctionUser);
            Function = new BasicAWSCredentials(key.AccessKeyId, key.SecretAccessKey);
            _admin = MotoClients.Factory(_server.Endpoint, credentials: new BasicAWSCredentials(adminKey.AccessKeyId, adminKey.SecretAccessKey));
        }
        Stack = await EmulatorStack.EnsureAsync(Admin, CancellationToken.None);
        await Admin.S3.PutBucketAsync(ReportBucket);
        Role = TemplateRole.Of(Handler, StackNames.For(EmulatorStack.StackName, Stack.AuditTable, Stack.TopicArn, ReportBucket));
        await SeedAsync();
        await GrantAsync(Role.Actions);

        // From here on moto checks every signature and every identity policy.
        using var http = new HttpClient();
        using var enforce = await http.PostAsync(new Uri(_server.Endpoint, "/moto-api/reset-auth"), new StringContent("0", Encoding.UTF8));
        enforce.EnsureSuccessStatusCode();
    }

    /// <summary>What this function's world holds before any scenario (parameters, a Q role...).</summary>
    protected virtual Task SeedAsync() => Task.CompletedTask;

    /// <summary>Replaces the function user's policy: exactly these actions (moto enforces actions, not resources).</summary>
    public Task GrantAsync(IEnumerable<string> actions) =>
        Admin.Iam.PutUserPolicyAsync(FunctionUser, "role", TemplateRole.ActionsOnly(actions));

    public async Task PutParameterAsync(string name, string value, bool secure = false)
    {
        await Admin.Ssm.PutParameterAsync(new PutParameterRequest
        {
            Name = name, Value = value, Overwrite = true, Type = secure ? ParameterType.SecureString : ParameterType.String,
        });
        if (secure) SecureParameters.Add(name);
    }

    /// <summary>The function's environment as template.yaml sets it, signing as the function user.</summary>
    public Dictionary<string, string> Environment(IReadOnlyDictionary<string, string>? extra = null)
    {
        var environment = Stack.FunctionEnvironment(Endpoint);
        environment["AWS_ACCESS_KEY_ID"] = Function.GetCredentials().AccessKey;
        environment["AWS_SECRET_ACCESS_KEY"] = Function.GetCredentials().SecretKey;
        foreach (var (name, value) in extra ?? new Dictionary<string, string>()) environment[name] = value;
        return environment;
    }

    public async Task DisposeAsync()
    {
        _admin?.Dispose();
        if (_server is not null) await _server.DisposeAsync();
    }
}
