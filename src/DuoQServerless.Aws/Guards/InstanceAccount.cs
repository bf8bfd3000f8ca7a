using DuoQServerless.Core.Approval;
using Amazon.EC2;
using Amazon.EC2.Model;
using DuoQServerless.Core.Detection;
using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Notifications;

namespace DuoQServerless.Aws.Guards;

/// <summary>
/// The oversized-instance guard's account: EC2 instances. A revert reads the instances' states
/// and stops those still running, never terminates; instances already stopped, stopping,
/// terminated or gone are reported as such. EC2 actions called: DescribeInstances,
/// StopInstances, CreateTags.
/// </summary>
/// <remarks>
/// The finding's resource id is one instance id (the detector names the first instance of a
/// launch); a comma-separated list of ids is read as all of them. The revert plan always
/// carries every instance of the launch.
/// </remarks>
public sealed class InstanceAccount(IAmazonEC2 ec2, InstanceAccountOptions? options = null) : IGuardAccount
{
    public const string ResourceType = "AWS::EC2::Instance";

    private readonly InstanceAccountOptions _options = options ?? new InstanceAccountOptions();

    private static readonly IReadOnlyDictionary<string, string> NoTags = new Dictionary<string, string>();

    public async Task<IReadOnlyDictionary<string, string>> TagsOfAsync(AffectedResource resource, CancellationToken cancellationToken)
    {
        if (resource.Type != ResourceType)
            throw new ArgumentException($"the instance account reads {ResourceType}, not {resource.Type}", nameof(resource));
        var ids = InstanceIdsOf(resource);
        // A launch that started nothing names its instance type instead: there is nothing to read.
        if (ids.Count == 0) return NoTags;
        var instances = await AwsErrors.ReadAsync(() => DescribeAsync(ids, cancellationToken), cancellationToken);
        if (instances.Count == 0) return NoTags;
        // Several instances of one launch: only a tag every one of them carries speaks for them all.
        var tagSets = instances.Select(instance => (instance.Tags ?? []).ToDictionary(tag => tag.Key, tag => tag.Value ?? "")).ToArray();
        return tagSets[0]
            .Where(tag => tagSets.All(tags => tags.TryGetValue(tag.Key, out var value) && value == tag.Value))
            .ToDictionary();
    }

    /// <summary>The oversized-instance detector asks for no facts.</summary>
    public Task<DetectionFacts> LookUpAsync(IReadOnlyList<FactRequest> requests, CancellationToken cancellationToken) =>
        Task.FromResult(DetectionFacts.None);

    public Task<ActionResult> RevertAsync(RevertPlan plan, CancellationToken cancellationToken) => plan switch
    {
        StopInstances stop => AwsErrors.ResultOfAsync(() => StopAsync(stop, cancellationToken), cancellationToken),
        // The launch failed or started nothing: no instance runs, so there is nothing to stop.
        NothingToRestore nothing => Task.FromResult<ActionResult>(new ActionResult.AlreadyDone($"nothing to stop: {nothing.Reason}")),
        _ => Task.FromResult<ActionResult>(new ActionResult.Failed($"the instance account cannot carry out a {plan.KindName} plan")),
    };

    public async Task<ActionResult> MarkApprovedAsync(AffectedResource resource, string approvalId, CancellationToken cancellationToken)
    {
        if (resource.Type != ResourceType) return new ActionResult.NotTaken();
        var ids = InstanceIdsOf(resource);
        if (ids.Count == 0) return new ActionResult.NotTaken();
        return await AwsErrors.ResultOfAsync(async () =>
        {
            var taggable = (await DescribeAsync(ids, cancellationToken))
                .Where(instance => instance.State?.Name?.Value != InstanceStateName.Terminated.Value)
                .Select(instance => instance.InstanceId)
                .ToList();
            if (taggable.Count == 0) return new ActionResult.NotTaken();
            await ec2.CreateTagsAsync(new CreateTagsRequest(taggable, [new Tag(ApprovalTag.Key, approvalId)]), cancellationToken);
            return new ActionResult.Done($"tagged {string.Join(", ", taggable)} {ApprovalTag.Key}={approvalId}");
        }, cancellationToken);
    }

    private async Task<ActionResult> StopAsync(StopInstances plan, CancellationToken cancellationToken)
    {
        var ids = plan.InstanceIds.Distinct().ToArray();
        var states = await StatesAsync(ids, cancellationToken);
        // EC2 stops only running instances, and a launch's event can arrive while they still boot.
        var deadline = _options.Time.GetUtcNow() + _options.PendingWait;
        while (states.Values.Any(state => state == InstanceStateName.Pending.Value) && _options.Time.GetUtcNow() < deadline)
        {
            await Task.Delay(_options.PollInterval, _options.Time, cancellationToken);
            states = await StatesAsync(ids, cancellationToken);
        }

        var toStop = ids.Where(id => states.GetValueOrDefault(id) is { } state &&
                                     (state == InstanceStateName.Running.Value || state == InstanceStateName.Pending.Value)).ToList();
        var notes = ids.Except(toStop).Select(id => Note(id, states.GetValueOrDefault(id))).ToArray();
        if (toStop.Count == 0)
            return new ActionResult.AlreadyDone(string.Join("; ", notes));

        var response = await ec2.StopInstancesAsync(new StopInstancesRequest(toStop), cancellationToken);
        var stopped = (response.StoppingInstances ?? [])
            .Select(change => $"{change.InstanceId} ({change.PreviousState?.Name?.Value} -> {change.CurrentState?.Name?.Value})")
            .DefaultIfEmpty(string.Join(", ", toStop));
        var detail = $"stopped {string.Join(", ", stopped)}, not terminated: start again with " +
                     $"aws ec2 start-instances --instance-ids {string.Join(" ", toStop)}";
        return new ActionResult.Done(string.Join("; ", notes.Prepend(detail)));
    }

    /// <summary>Why an instance needs no stop, by the state it is in (null: EC2 no longer knows it).</summary>
    private static string Note(string id, string? state) => state switch
    {
        null => $"instance not found: nothing to stop ({id})",
        "stopped" or "stopping" => $"{id} already {state}",
        "shutting-down" => $"instance terminating: nothing to stop ({id})",
        "terminated" => $"instance terminated: nothing to stop ({id})",
        _ => $"{id} is {state}: not stopped",
    };

    private async Task<Dictionary<string, string?>> StatesAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken) =>
        (await DescribeAsync(ids, cancellationToken)).ToDictionary(instance => instance.InstanceId, instance => instance.State?.Name?.Value);

    /// <summary>The instances EC2 still knows among <paramref name="ids"/>. Filtering by instance-id,
    /// unlike naming InstanceIds, answers an unknown id with nothing rather than an error for all.</summary>
    private async Task<IReadOnlyList<Instance>> DescribeAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var instances = new List<Instance>();
        var request = new DescribeInstancesRequest { Filters = [new Filter("instance-id", ids.ToList())] };
        do
        {
            var page = await ec2.DescribeInstancesAsync(request, cancellationToken);
            instances.AddRange((page.Reservations ?? []).SelectMany(reservation => reservation.Instances ?? []));
            request.NextToken = page.NextToken;
        } while (!string.IsNullOrEmpty(request.NextToken));
        return instances;
    }

    private static IReadOnlyList<string> InstanceIdsOf(AffectedResource resource) =>
        resource.Id.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(id => id.StartsWith("i-", StringComparison.Ordinal))
            .ToArray();
}

/// <summary>How the instance account waits for instances still booting before it stops them.</summary>
public sealed record InstanceAccountOptions
{
    /// <summary>How long a revert waits for pending instances to be running (EC2 stops only
    /// running ones). Keep it well inside the function's timeout.</summary>
    public TimeSpan PendingWait { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    public TimeProvider Time { get; init; } = TimeProvider.System;
}
