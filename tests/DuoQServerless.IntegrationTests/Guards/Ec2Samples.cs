using Amazon.EC2;
using DuoQServerless.Core.CloudTrail;
using DuoQServerless.Core.Detection;
using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Policy;
using DuoQServerless.IntegrationTests.Harness;
using DuoQServerless.Testing;

namespace DuoQServerless.IntegrationTests.Guards;

/// <summary>EC2 clients for the emulator, and findings made from the repository's events/ samples by
/// the real parser and detector, with the sample's resource ids replaced by the emulator's.</summary>
internal static class Ec2Samples
{
    public static AmazonEC2Client Client(Uri endpoint, Amazon.Runtime.AWSCredentials? credentials = null) =>
        new(credentials ?? TestCredentials.Default, new AmazonEC2Config { ServiceURL = endpoint.ToString(), AuthenticationRegion = TestCredentials.Region });

    /// <param name="ids">Sample id -> emulator id, replaced wherever the sample mentions it.</param>
    public static Finding FindingFrom(string sample, Detector detector, IReadOnlyDictionary<string, string> ids)
    {
        var json = File.ReadAllText(RepoPaths.Of("events", sample));
        foreach (var (sampleId, emulatorId) in ids)
        {
            Assert.Contains(sampleId, json);
            json = json.Replace(sampleId, emulatorId, StringComparison.Ordinal);
        }
        var record = Assert.IsType<ParseOutcome.Parsed>(CloudTrailParser.Parse(json)).Record;
        return Assert.IsType<DetectionOutcome.Detected>(detector.Detect(record, GuardPolicy.Default)).Finding;
    }
}
