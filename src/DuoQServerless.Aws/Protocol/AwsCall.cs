using System.Collections.Concurrent;

namespace DuoQServerless.Aws.Protocol;

/// <summary>
/// One AWS API call as the account sees it: the service's IAM action prefix, the operation,
/// the request that named the resource, and the error code when it failed. Both the project's
/// protocol clients and the served SDK clients built by <c>AwsClientFactory</c> report here,
/// so least-privilege checks can collect every action the code really performs and the
/// resources it acts on (<see cref="ResourcesIn"/>).
/// </summary>
/// <param name="Request">Our request record, or the served SDK's <c>AmazonWebServiceRequest</c>.</param>
public sealed record AwsCall(string Service, string Operation, object? Request, string? ErrorCode)
{
    /// <summary>The IAM action this call needs, e.g. <c>iam:DetachRolePolicy</c>.</summary>
    public string Action => $"{Service}:{Operation}";

    public bool Succeeded => ErrorCode is null;

    /// <summary>The region the call was signed for (an ARN's region).</summary>
    public string Region { get; init; } = "";

    /// <summary>The Query protocol parameters as sent (IAM, RDS, SNS): resource names are read from them.</summary>
    public QueryParameters? Parameters { get; init; }

    /// <summary>
    /// The ARNs IAM authorizes this call against, in an account: <c>arn:aws:ec2:us-east-1:123456789012:security-group/sg-1</c>
    /// for a revoke, <c>"*"</c> for an action without resource-level permissions (ec2:Describe*).
    /// Computed on demand, so a call nobody asks about costs nothing.
    /// </summary>
    public IReadOnlyList<string> ResourcesIn(string accountId) => AwsCallResources.Of(this, accountId);

    /// <summary>The service condition keys the request sets (dynamodb:LeadingKeys), for policy conditions.</summary>
    public IReadOnlyDictionary<string, string[]> ConditionKeys => AwsCallResources.ConditionKeysOf(this);

    // What the call was and how it ended; region and parameters are how it was sent, derived detail.
    public bool Equals(AwsCall? other) =>
        other is not null && Service == other.Service && Operation == other.Operation && Equals(Request, other.Request) && ErrorCode == other.ErrorCode;

    public override int GetHashCode() => HashCode.Combine(Service, Operation, Request, ErrorCode);
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
