using Amazon;
using Amazon.Runtime;
using DuoQServerless.Aws.Protocol;

namespace DuoQServerless.Aws;

/// <summary>
/// Everything that decides where AWS calls go and how they are signed, for every client the
/// <see cref="AwsClientFactory"/> builds: ours (IAM, RDS, SNS, Step Functions) and the served
/// SDK clients alike.
/// </summary>
public sealed record AwsSettings
{
    public required RegionEndpoint Region { get; init; }

    /// <summary>One URL for every service (moto, <c>duoq --endpoint</c>); wins over <c>AWS_ENDPOINT_URL*</c>.</summary>
    public Uri? EndpointOverride { get; init; }

    /// <summary>Fixed credentials (tests, a chosen profile); null uses AWSSDK.Core's default chain.</summary>
    public AWSCredentials? Credentials { get; init; }

    /// <summary>Reads an environment variable (<c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c>...); tests pass a dictionary lookup.</summary>
    public Func<string, string?> EnvironmentVariables { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>The retry policy of our clients; the served SDK clients get the same number of attempts.</summary>
    public AwsRetryPolicy Retry { get; init; } = AwsRetryPolicy.Standard;

    /// <summary>Told about every finished AWS call of every client the factory builds.</summary>
    public IAwsCallObserver? Observer { get; init; }

    /// <summary>The clock requests are signed with.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>How long one HTTP attempt may take.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Settings as a Lambda function or the CLI finds them: the region from <c>AWS_REGION</c>
    /// (set by Lambda) or <c>AWS_DEFAULT_REGION</c>, credentials from the default chain.
    /// </summary>
    public static AwsSettings FromEnvironment(Func<string, string?> environment, Uri? endpointOverride = null)
    {
        var region = environment("AWS_REGION") is { Length: > 0 } set ? set : environment("AWS_DEFAULT_REGION");
        if (string.IsNullOrWhiteSpace(region))
            throw new InvalidOperationException("No AWS region: set AWS_REGION or AWS_DEFAULT_REGION (e.g. us-east-1)");
        return new AwsSettings
        {
            Region = RegionEndpoint.GetBySystemName(region.Trim()),
            EndpointOverride = endpointOverride,
            EnvironmentVariables = environment,
        };
    }
}
