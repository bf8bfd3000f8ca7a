using System.Text.Json.Nodes;
using DuoQServerless.Aws;
using DuoQServerless.Functions.Guards;
using DuoQServerless.Testing;

namespace DuoQServerless.IntegrationTests.LeastPrivilege;

/// <summary>A risky CloudTrail event about a resource just made risky in the emulator.</summary>
public delegate Task<string> RiskyEvent(AwsClientFactory admin);

/// <summary>
/// One guard's scenario: the risks it handles, and the risky events its policy exists for. A new
/// path (another event the guard reverts) is one more entry in <see cref="Reverted"/>.
/// </summary>
/// <param name="Risks">The policy's risk ids this guard acts on.</param>
/// <param name="Reverted">Events met in mode revert: each is reverted, recorded and notified.</param>
/// <param name="Approved">Events met in mode approve, each then approved (the guard's tagging); the
/// first is also met once more and rejected (the guard's revert entry). Empty for a guard whose
/// policy has no approve mode.</param>
public sealed record GuardCase(string Handler, IReadOnlyList<string> Risks, IReadOnlyList<RiskyEvent> Reverted, IReadOnlyList<RiskyEvent> Approved)
{
    /// <summary>A sample from events/ with the emulator's ids in place of the sample's and a fresh event id.</summary>
    public static string Sample(string path, IReadOnlyDictionary<string, string>? ids = null)
    {
        var json = File.ReadAllText(RepoPaths.Of("events", path));
        foreach (var (sample, real) in ids ?? new Dictionary<string, string>()) json = json.Replace(sample, real, StringComparison.Ordinal);
        var root = JsonNode.Parse(json)!;
        root["id"] = Guid.NewGuid().ToString();
        root["detail"]!["eventID"] = Guid.NewGuid().ToString();
        return root.ToJsonString();
    }
}

/// <summary>One step of a guard scenario and what the guard answered.</summary>
public sealed record GuardStep(string Name, Invoked Outcome)
{
    public string? FindingId => Outcome.Answer is { } answer && answer.TryGetProperty("findingId", out var id) ? id.GetString() : null;

    public string? Status => Outcome.Answer is { } answer && answer.TryGetProperty("status", out var s) ? s.GetString() : null;
}

/// <summary>Every path a guard's role exists for, through the registry's entry for the guard:
/// revert (and a redelivery), approval start, revert after a rejection, tagging after an approval.</summary>
public static class GuardScenario
{
    /// <summary>The approval paths, as one segment: approval start, revert after rejection, tag after approval.</summary>
    public const string ApprovalSegment = "approval";

    /// <param name="ActionsBySegment">The actions each segment called ("revert #1"... and <see cref="ApprovalSegment"/>).</param>
    public sealed record Result(IReadOnlyList<FunctionRun> Runs, IReadOnlyList<GuardStep> Steps, IReadOnlyDictionary<string, IReadOnlySet<string>> ActionsBySegment)
    {
        public IReadOnlyList<Aws.Protocol.AwsCall> Calls => Runs.SelectMany(r => r.Calls.Calls).ToList();

        public string Logs => string.Concat(Runs.Select(r => r.Logs));

        public IEnumerable<Exception> InitErrors => Runs.Select(r => r.InitError).OfType<Exception>();
    }

    /// <param name="runSegment">Which segments to run (all by default): a removal spec runs only
    /// those that called the removed action, since the others cannot meet its absence.</param>
    public static async Task<Result> RunAsync(PrivilegeWorld world, GuardCase guard, Func<string, bool>? runSegment = null)
    {
        runSegment ??= _ => true;
        var runs = new List<FunctionRun>();
        var steps = new List<GuardStep>();
        var segments = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        var reverting = await StartAsync(world, guard, "revert", runs);
        // A guard whose policy never asks a person (the self guard) has no approval paths.
        var approving = guard.Approved.Count > 0 ? await StartAsync(world, guard, "approve", runs) : null;
        if (reverting.InitError is not null || approving?.InitError is not null) return new Result(runs, steps, segments);

        foreach (var (risky, index) in guard.Reverted.Select((e, i) => (e, i)))
        {
            var segment = $"revert #{index + 1}";
            if (!runSegment(segment)) continue;
            var before = reverting.Calls.Calls.Count;
            var @event = await risky(world.Admin);
            steps.Add(new(segment, await reverting.InvokeAsync(@event)));
            if (index == 0) steps.Add(new("redelivery", await reverting.InvokeAsync(@event)));
            segments[segment] = reverting.Calls.Calls.Skip(before).Select(c => c.Action).ToHashSet(StringComparer.Ordinal);
        }
        if (approving is not null && runSegment(ApprovalSegment))
        {
            await ApprovalPathsAsync(world, guard, approving, steps);
            segments[ApprovalSegment] = approving.Calls.Calls.Select(c => c.Action).ToHashSet(StringComparer.Ordinal);
        }
        return new Result(runs, steps, segments);
    }

    private static async Task ApprovalPathsAsync(PrivilegeWorld world, GuardCase guard, FunctionRun approving, List<GuardStep> steps)
    {
        var rejected = new GuardStep("approval start (to be rejected)", await approving.InvokeAsync(await guard.Approved[0](world.Admin)));
        steps.Add(rejected);
        var granted = new List<GuardStep>();
        foreach (var (risky, index) in guard.Approved.Select((e, i) => (e, i)))
            granted.Add(new($"approval start #{index + 1} (to be approved)", await approving.InvokeAsync(await risky(world.Admin))));
        steps.AddRange(granted);
        // Step Functions answers only an approval that started: the entries follow only those.
        if (rejected.Status == GuardStatus.Done && await FindingJsonAsync(world, rejected) is { } toRevert)
            steps.Add(new("revert after rejection", await approving.InvokeAsync($$"""{"revert":{{toRevert}},"reason":"rejected"}""")));
        foreach (var start in granted)
            if (start.Status == GuardStatus.Done && await FindingJsonAsync(world, start) is { } toTag)
                steps.Add(new("tag after approval", await approving.InvokeAsync($$"""{"approved":{{toTag}},"approvalId":"ap-{{Guid.NewGuid():N}}","decidedBy":"Alice"}""")));
    }

    private static async Task<FunctionRun> StartAsync(PrivilegeWorld world, GuardCase guard, string mode, List<FunctionRun> runs)
    {
        var parameter = $"/duoq/policy-{guard.Handler}-{mode}";
        await world.PutParameterAsync(parameter, "risks:\n" + string.Concat(guard.Risks.Select(r => $"  {r}:\n    mode: {mode}\n")));
        var run = await FunctionRun.StartAsync(guard.Handler, world.Environment(new Dictionary<string, string> { [FunctionVariables.PolicyParameter] = parameter }));
        runs.Add(run);
        return run;
    }

    private static async Task<string?> FindingJsonAsync(PrivilegeWorld world, GuardStep step) =>
        step.FindingId is { } id && await world.Audit.GetAsync(id) is { FindingJson: { Length: > 0 } json } ? json : null;
}
