using System.Text.Json;
using DuoQServerless.Core.CloudTrail;
using DuoQServerless.Core.Decisions;
using DuoQServerless.Core.Detection;
using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Policy;

namespace DuoQServerless.Tests.Guards;

/// <summary>Every sample in events/ is classified as events/expectations.json (and its README table) say.</summary>
public class EventSamples
{
    public static TheoryData<string> SampleFiles() => new(ManifestFiles());

    private static IEnumerable<string> ManifestFiles() =>
        EventsFolder.Manifest().EnumerateArray().Select(entry => entry.GetProperty("file").GetString()!);

    [Theory]
    [MemberData(nameof(SampleFiles))]
    public void Each_sample_is_classified_by_its_own_guard_as_the_manifest_says(string file)
    {
        var expected = Expectation(file);
        var record = Assert.IsType<ParseOutcome.Parsed>(CloudTrailParser.Parse(EventsFolder.Read(file))).Record;

        var detector = Assert.Single(Detectors.All, detector => detector.Guard.Id() == expected.GetProperty("guard").GetString());
        Assert.True(detector.Watches(record), $"the {detector.Guard.Id()} guard does not watch {record.EventName}");
        var alsoWatchedBy = expected.TryGetProperty("alsoWatchedBy", out var also)
            ? also.EnumerateObject().ToDictionary(entry => entry.Name, entry => entry.Value.GetString())
            : [];
        foreach (var other in Detectors.All.Where(other => other != detector))
        {
            var otherOutcome = other.Detect(record, GuardPolicy.Default);
            if (alsoWatchedBy.TryGetValue(other.Guard.Id(), out var otherExpected))
                Assert.Equal(otherExpected, otherOutcome.Name);
            else if (other.Watches(record))
                Assert.IsType<DetectionOutcome.Benign>(otherOutcome); // a guard that also watches the call finds nothing the manifest does not name
            else
                Assert.IsType<DetectionOutcome.NotForThisGuard>(otherOutcome);
        }

        var outcome = detector.Detect(record, GuardPolicy.Default);
        Assert.Equal(expected.GetProperty("outcome").GetString(), outcome.Name);

        var finding = outcome switch
        {
            DetectionOutcome.Detected detected => detected.Finding,
            DetectionOutcome.FailedCall failed => failed.Attempted,
            _ => null,
        };
        Assert.Equal(expected.GetProperty("risk").GetString(), finding?.Risk.Id());
        Assert.Equal(expected.GetProperty("decision").GetString(), DecisionName(finding, outcome, expected));
        if (finding is null) return;

        Assert.Contains(finding.Risk, detector.Risks);
        Assert.Contains(finding.Revert.KindName, detector.PlanKinds);
        Assert.Equal(Finding.IdFor(record.EventId, finding.Risk), finding.Id);
        if (expected.TryGetProperty("revert", out var revert)) Assert.Equal(revert.GetString(), finding.Revert.KindName);
        if (expected.TryGetProperty("severity", out var severity)) Assert.Equal(severity.GetString(), finding.Severity.Id());
        if (expected.TryGetProperty("summary", out var summary)) Assert.Equal(summary.GetString(), finding.Summary);
        if (expected.TryGetProperty("errorCode", out var errorCode))
            Assert.Equal(errorCode.GetString(), Assert.IsType<DetectionOutcome.FailedCall>(outcome).ErrorCode);
        if (expected.TryGetProperty("ruleIds", out var ruleIds))
        {
            var plan = Assert.IsType<RevokeIngressRules>(finding.Revert);
            Assert.Equal(ruleIds.EnumerateArray().Select(id => id.GetString()), plan.Rules.Select(rule => rule.RuleId).OfType<string>());
        }
        if (expected.TryGetProperty("groupNeedsResolution", out var resolution))
            Assert.Equal(resolution.GetBoolean(), Assert.IsType<RevokeIngressRules>(finding.Revert).Group.NeedsResolution);
    }

    [Fact]
    public void Every_json_file_in_events_is_in_the_manifest_and_every_manifest_entry_exists()
    {
        var onDisk = Directory.EnumerateFiles(EventsFolder.Path, "*.json", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(EventsFolder.Path, path).Replace('\\', '/'))
            .Where(path => path is not ("expectations.json" or "ping.json"))
            .Order(StringComparer.Ordinal);
        var listed = ManifestFiles().Order(StringComparer.Ordinal);
        Assert.Equal(listed, onDisk);
    }

    [Fact]
    public void The_samples_cover_each_risk_with_risky_benign_and_failed_calls()
    {
        var entries = EventsFolder.Manifest().EnumerateArray().ToArray();
        Assert.True(entries.Length >= 20, $"{entries.Length} samples");
        foreach (var guard in Enum.GetValues<Guard>())
        {
            var mine = entries.Where(entry => entry.GetProperty("guard").GetString() == guard.Id()).ToArray();
            foreach (var outcome in new[] { "finding", "benign", "failed-call" })
                Assert.Contains(mine, entry => entry.GetProperty("outcome").GetString() == outcome);
        }
        foreach (var risk in RiskNames.All)
            Assert.Contains(entries, entry => entry.GetProperty("risk").GetString() == risk.Id() && entry.GetProperty("outcome").GetString() == "finding");
    }

    [Fact]
    public void The_readme_table_lists_each_sample_with_the_manifest_outcome_risk_and_decision()
    {
        var rows = EventsFolder.Read("README.md").Split('\n')
            .Where(line => line.StartsWith("| `", StringComparison.Ordinal))
            .Select(line => line.Split('|').Select(cell => cell.Trim()).ToArray())
            .ToDictionary(cells => cells[1].Trim('`'), cells => (Guard: cells[2], Outcome: cells[3], Risk: cells[4], Decision: cells[5]));
        foreach (var entry in EventsFolder.Manifest().EnumerateArray())
        {
            var file = entry.GetProperty("file").GetString()!;
            Assert.True(rows.TryGetValue(file, out var row), $"{file} is missing from events/README.md");
            Assert.Equal(entry.GetProperty("guard").GetString(), row.Guard);
            Assert.Equal(entry.GetProperty("outcome").GetString(), row.Outcome);
            Assert.Equal(entry.GetProperty("risk").GetString() ?? "-", row.Risk);
            Assert.Equal(entry.GetProperty("decision").GetString(), row.Decision);
        }
        Assert.Equal(EventsFolder.Manifest().GetArrayLength(), rows.Count);
    }

    private static string DecisionName(Finding? finding, DetectionOutcome outcome, JsonElement expected)
    {
        if (finding is null || outcome is not DetectionOutcome.Detected) return "none";
        var tags = new Dictionary<string, string>();
        if (expected.TryGetProperty("resourceTags", out var given))
            foreach (var tag in given.EnumerateObject()) tags[tag.Name] = tag.Value.GetString()!;
        return Decider.Decide(finding, GuardPolicy.Default, tags, dryRun: false) switch
        {
            Decision.Ignore ignore => "ignore:" + IgnoreReasonNames.Id(ignore.Reason),
            var decision => decision.Action,
        };
    }

    private static JsonElement Expectation(string file) =>
        EventsFolder.Manifest().EnumerateArray().Single(entry => entry.GetProperty("file").GetString() == file);
}
