using Amazon;
using Amazon.Runtime;
using DuoQServerless.Aws;
using DuoQServerless.Aws.Protocol;
using DuoQServerless.IntegrationTests.Harness;

namespace DuoQServerless.IntegrationTests.Clients;

/// <summary>
/// Base of the client specs against the shared emulator: a factory pointed at moto, signing
/// with the test credentials, recording every call, retrying without sleeping.
/// </summary>
public abstract class ClientSpec(MotoFixture moto) : MotoTest(moto)
{
    private AwsClientFactory? _aws;

    protected AwsCallRecorder Calls { get; } = new();

    protected AwsClientFactory Aws => _aws ?? throw new InvalidOperationException("the test has not started");

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _aws = MotoClients.Factory(Endpoint, Calls);
    }

    public override Task DisposeAsync()
    {
        _aws?.Dispose();
        return base.DisposeAsync();
    }
}

public static class MotoClients
{
    /// <summary>No variables at all: nothing in the test host's environment can redirect a call.</summary>
    public static readonly Func<string, string?> EmptyEnvironment = _ => null;

    public static AwsRetryPolicy NoSleeping { get; } = AwsRetryPolicy.Standard with { Wait = (_, _) => Task.CompletedTask };

    public static AwsClientFactory Factory(Uri endpoint, IAwsCallObserver? observer = null, AWSCredentials? credentials = null) =>
        new(new AwsSettings
        {
            Region = RegionEndpoint.GetBySystemName(TestCredentials.Region),
            EndpointOverride = endpoint,
            Credentials = credentials ?? TestCredentials.Default,
            EnvironmentVariables = EmptyEnvironment,
            Observer = observer,
            Retry = NoSleeping,
        });

    public static Func<string, string?> Environment(params (string Name, string Value)[] variables)
    {
        var values = variables.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        return name => values.GetValueOrDefault(name);
    }
}
