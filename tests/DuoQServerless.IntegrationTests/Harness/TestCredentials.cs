namespace DuoQServerless.IntegrationTests.Harness;

/// <summary>
/// Tests sign with fixed fake credentials for moto's default account, so nothing depends on
/// the machine's AWS configuration and nothing can reach a real account.
/// </summary>
public static class TestCredentials
{
    public const string AccountId = "123456789012";
    public const string Region = "us-east-1";
    public static readonly Amazon.Runtime.BasicAWSCredentials Default = new("testing", "testing");
}
