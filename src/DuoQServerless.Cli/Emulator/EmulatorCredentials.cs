using Amazon.Runtime;

namespace DuoQServerless.Cli.Emulator;

/// <summary>The keys an emulator is called with: it accepts any, and fixed fake ones keep a real
/// profile's credentials away from it.</summary>
public static class EmulatorCredentials
{
    public const string Key = "testing";

    public static AWSCredentials Create() => new BasicAWSCredentials(Key, Key);
}
