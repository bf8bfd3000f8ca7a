using Amazon.DynamoDBv2;
using Amazon.EC2;
using Amazon.KeyManagementService;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SecurityToken;
using Amazon.SimpleSystemsManagement;
using Amazon.SQS;
using DuoQServerless.Aws.Iam;
using DuoQServerless.Aws.Protocol;
using DuoQServerless.Aws.Rds;
using DuoQServerless.Aws.Sns;
using DuoQServerless.Aws.StepFunctions;

namespace DuoQServerless.Aws;

/// <summary>
/// The one place AWS clients come from. Every client it builds uses the same region, endpoint
/// rules (explicit override, then <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c>, then <c>AWS_ENDPOINT_URL</c>),
/// credentials and observer. Our protocol clients share one signed transport; the served SDK
/// clients report their calls through their request events. Clients are created on first use
/// and shared; disposing the factory disposes them.
/// </summary>
public sealed class AwsClientFactory : IDisposable
{
    private readonly HttpClient _http;
    private readonly SignedAwsTransport _transport;
    private readonly Lazy<IamClient> _iam;
    private readonly Lazy<RdsClient> _rds;
    private readonly Lazy<SnsClient> _sns;
    private readonly Lazy<StepFunctionsClient> _stepFunctions;
    private readonly Lazy<IAmazonEC2> _ec2;
    private readonly Lazy<IAmazonDynamoDB> _dynamoDb;
    private readonly Lazy<IAmazonKeyManagementService> _kms;
    private readonly Lazy<IAmazonSecurityTokenService> _sts;
    private readonly Lazy<IAmazonS3> _s3;
    private readonly Lazy<IAmazonSimpleSystemsManagement> _ssm;
    private readonly Lazy<IAmazonSQS> _sqs;

    public AwsClientFactory(AwsSettings settings)
    {
        Settings = settings;
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = settings.Timeout };
        _transport = new SignedAwsTransport(_http, new AwsCredentialSource(settings.Credentials), settings.Retry, settings.Observer, settings.Clock);
        _iam = new(() => new IamClient(QueryClient(AwsService.Iam)));
        _rds = new(() => new RdsClient(QueryClient(AwsService.Rds)));
        _sns = new(() => new SnsClient(QueryClient(AwsService.Sns)));
        _stepFunctions = new(() => new StepFunctionsClient(new JsonProtocolClient(AwsService.StepFunctions, EndpointFor(AwsService.StepFunctions), _transport)));
        _ec2 = new(() => Served("ec2", new AmazonEC2Config(), (c, config) => c is null ? new AmazonEC2Client(config) : new AmazonEC2Client(c, config)));
        _dynamoDb = new(() => Served("dynamodb", new AmazonDynamoDBConfig(), (c, config) => c is null ? new AmazonDynamoDBClient(config) : new AmazonDynamoDBClient(c, config)));
        _kms = new(() => Served("kms", new AmazonKeyManagementServiceConfig(), (c, config) => c is null ? new AmazonKeyManagementServiceClient(config) : new AmazonKeyManagementServiceClient(c, config)));
        _sts = new(() => Served("sts", new AmazonSecurityTokenServiceConfig(), (c, config) => c is null ? new AmazonSecurityTokenServiceClient(config) : new AmazonSecurityTokenServiceClient(c, config)));
        _s3 = new(() => Served("s3", new AmazonS3Config(), (c, config) =>
        {
            // moto and other emulators serve buckets under the path, not as subdomains.
            config.ForcePathStyle = config.ServiceURL is not null;
            return c is null ? new AmazonS3Client(config) : new AmazonS3Client(c, config);
        }));
        _ssm = new(() => Served("ssm", new AmazonSimpleSystemsManagementConfig(), (c, config) => c is null ? new AmazonSimpleSystemsManagementClient(config) : new AmazonSimpleSystemsManagementClient(c, config)));
        _sqs = new(() => Served("sqs", new AmazonSQSConfig(), (c, config) => c is null ? new AmazonSQSClient(config) : new AmazonSQSClient(c, config)));
    }

    public AwsSettings Settings { get; }

    public IamClient Iam => _iam.Value;

    public RdsClient Rds => _rds.Value;

    public SnsClient Sns => _sns.Value;

    public StepFunctionsClient StepFunctions => _stepFunctions.Value;

    public IAmazonEC2 Ec2 => _ec2.Value;

    public IAmazonDynamoDB DynamoDb => _dynamoDb.Value;

    public IAmazonKeyManagementService Kms => _kms.Value;

    public IAmazonSecurityTokenService Sts => _sts.Value;

    public IAmazonS3 S3 => _s3.Value;

    public IAmazonSimpleSystemsManagement Ssm => _ssm.Value;

    public IAmazonSQS Sqs => _sqs.Value;

    /// <summary>Where our client for <paramref name="service"/> sends its requests, and the region it signs for.</summary>
    public AwsEndpoint EndpointFor(AwsService service) =>
        AwsEndpointResolver.Resolve(service, Settings.Region, Settings.EndpointOverride, Settings.EnvironmentVariables);

    /// <summary>A Query protocol client on the shared transport, for actions without a typed operation.</summary>
    public QueryProtocolClient QueryClient(AwsService service) => new(service, EndpointFor(service), _transport);

    public void Dispose()
    {
        foreach (var client in Created()) client.Dispose();
        _http.Dispose();
    }

    private IEnumerable<IDisposable> Created()
    {
        if (_ec2.IsValueCreated) yield return _ec2.Value;
        if (_dynamoDb.IsValueCreated) yield return _dynamoDb.Value;
        if (_kms.IsValueCreated) yield return _kms.Value;
        if (_sts.IsValueCreated) yield return _sts.Value;
        if (_s3.IsValueCreated) yield return _s3.Value;
        if (_ssm.IsValueCreated) yield return _ssm.Value;
        if (_sqs.IsValueCreated) yield return _sqs.Value;
    }

    /// <summary>
    /// Configures a served SDK client like ours: the endpoint is resolved here from the same
    /// settings (so the SDK's own reading of the process environment is switched off), the
    /// same number of attempts, and every finished call reported to the observer.
    /// </summary>
    private TClient Served<TConfig, TClient>(string service, TConfig config, Func<AWSCredentials?, TConfig, TClient> create)
        where TConfig : ClientConfig
        where TClient : AmazonServiceClient
    {
        var endpoint = AwsEndpointResolver.ConfiguredEndpoint(config.ServiceId, Settings.EndpointOverride, Settings.EnvironmentVariables);
        if (endpoint is null)
        {
            config.RegionEndpoint = Settings.Region;
        }
        else
        {
            config.ServiceURL = endpoint.ToString();
            config.AuthenticationRegion = Settings.Region.SystemName;
        }
        config.IgnoreConfiguredEndpointUrls = true;
        config.RetryMode = RequestRetryMode.Standard;
        config.MaxErrorRetry = Math.Max(0, Settings.Retry.MaxAttempts - 1);
        config.Timeout = Settings.Timeout;
        var client = create(Settings.Credentials, config);
        if (Settings.Observer is { } observer) SdkCallReporting.Attach(client, service, observer);
        return client;
    }
}
