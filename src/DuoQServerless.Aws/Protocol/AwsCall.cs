using System.Collections.Concurrent;

namespace DuoQServerless.Aws.Protocol;

/// <summary>
/// One AWS API call as the account sees it: the service's IAM action prefix, the operation,
/// the request that named the resource, and the error code when it failed. Both the project's
/// protocol clients and the served SDK clients built by <c>AwsClientFactory</c> report here,
/// so least-privilege checks can collect every action the code really performs.
/// </summary>
/// <param name="Request">Our request record, or the served SDK's <c>AmazonWebServiceRequest</c>.</param>
public sealed record AwsCall(string Service, string Operation, object? Request, string? ErrorCode)
{
    /// <summary>The IAM action this call needs, e.g. <c>iam:DetachRolePolicy</c>.</summary>
    public string Action => $"{Service}:{Operation}";

    public bool Succeeded => ErrorCode is null;
}

/// <summary>Told about every AWS call once it has finished (after any retries).</summary>
public interface IAwsCallObserver
{
    void OnCall(AwsCall call);
}

/// <summary>Keeps every call it is told about; safe to share between concurrent calls.</summary>
public sealed class AwsCallRecorder : IAwsCallObserver
{
    private readonly ConcurrentQueue<AwsCall> _calls = new();

    public IReadOnlyList<AwsCall> Calls => _calls.ToArray();

    /// <summary>The distinct IAM actions called, in first-call order.</summary>
    public IReadOnlyList<string> Actions => _calls.Select(c => c.Action).Distinct(StringComparer.Ordinal).ToArray();

    public void OnCall(AwsCall call) => _calls.Enqueue(call);

    public void Clear() => _calls.Clear();
}
