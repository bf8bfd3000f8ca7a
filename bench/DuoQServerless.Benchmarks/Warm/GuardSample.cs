using System.Text.Json;
using DuoQServerless.Benchmarks.Reporting;
using DuoQServerless.Core.Decisions;
using DuoQServerless.Core.Detection;
using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Policy;

namespace DuoQServerless.Benchmarks.Warm;

/// <summary>
/// One sample from events/ as its guard receives it, with what the guard would have looked up
/// before deciding (resource tags, managed policy documents) prepared in advance, so that what is
/// timed is the guard's own work and no I/O.
/// </summary>
public sealed record GuardSample(string File, string Guard, string Outcome, string Json, Detector Detector,
    IReadOnlyDictionary<string, string> ResourceTags, DetectionFacts Facts)
{
    /// <summary>The samples the BenchmarkDotNet table shows: one risky sample per risk, and a benign one.</summary>
    public static readonly IReadOnlyList<string> Representative =
    [
        "ssh/risky-authorize-ipv4-22.json",
        "rds/risky-delete-instance-skip-final-snapshot.json",
        "iam/risky-put-role-policy-passrole-star.json",
        "instance/risky-run-m5-24xlarge.json",
        "instance/benign-run-t3-micro.json",
    ];

    // A customer managed policy's document, for any sample whose detector asks for one.
    private const string AdminDocument = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""";

    private static readonly Lazy<IReadOnlyList<GuardSample>> all = new(Load);

    /// <summary>Every sample in events/expectations.json.</summary>
    public static IReadOnlyList<GuardSample> All => all.Value;

    public static GuardSample Named(string file) => All.Single(sample => sample.File == file);

    /// <summary>Parse, detect and decide, as <c>GuardPipeline</c> does before any AWS call that acts.</summary>
    public object Handle()
    {
        if (GuardInput.Parse(Json) is not GuardInput.Event { Record: var record })
            throw new InvalidOperationException($"{File} is not a CloudTrail event");
        var policy = GuardPolicy.Default;
        var facts = Detector.FactsNeeded(record, policy).Count > 0 ? Facts : DetectionFacts.None;
        var outcome = Detector.Detect(record, policy, facts);
        return outcome is DetectionOutcome.Detected { Finding: var finding }
            ? Decider.Decide(finding, policy, ResourceTags, dryRun: false)
            : outcome;
    }

    private static IReadOnlyList<GuardSample> Load()
    {
        using var manifest = JsonDocument.Parse(System.IO.File.ReadAllText(Repo.Of("events", "expectations.json")));
        return manifest.RootElement.EnumerateArray().Select(entry =>
        {
            var file = entry.GetProperty("file").GetString()!;
            var guard = entry.GetProperty("guard").GetString()!;
            var tags = new Dictionary<string, string>(StringComparer.Ordinal);
            if (entry.TryGetProperty("resourceTags", out var given))
                foreach (var tag in given.EnumerateObject()) tags[tag.Name] = tag.Value.GetString()!;
            var json = System.IO.File.ReadAllText(Repo.Of("events", file));
            var detector = Detectors.All.Single(d => d.Guard.Id() == guard);
            var facts = new DetectionFacts(FactsFor(json, detector));
            return new GuardSample(file, guard, entry.GetProperty("outcome").GetString()!, json, detector, tags, facts);
        }).ToArray();
    }

    private static Dictionary<string, string> FactsFor(string json, Detector detector)
    {
        var documents = new Dictionary<string, string>(StringComparer.Ordinal);
        if (GuardInput.Parse(json) is GuardInput.Event { Record: var record })
            foreach (var request in detector.FactsNeeded(record, GuardPolicy.Default))
                if (request is FactRequest.ManagedPolicyDocument { PolicyArn: var arn })
                    documents[arn] = AdminDocument;
        return documents;
    }
}
