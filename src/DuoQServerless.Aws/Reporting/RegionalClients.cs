using Amazon;
using Amazon.EC2;
using DuoQServerless.Aws.Iam;
using DuoQServerless.Aws.Rds;

namespace DuoQServerless.Aws.Reporting;

/// <summary>
/// Clients for every region a report scans, all with the home settings' endpoint, credentials,
/// retry and observer. <see cref="Ec2"/> hands out a new client per call because the EC2 scanners
/// dispose theirs; the other clients are shared per region. Disposing this disposes them all.
/// </summary>
public sealed class RegionalClients(AwsSettings home) : IDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<string, AwsClientFactory> _shared = new(StringComparer.Ordinal);
    private readonly List<AwsClientFactory> _owned = [];

    /// <summary>The home region's clients: IAM (global) and anything else not per region.</summary>
    public AwsClientFactory Home => Shared(home.Region.SystemName);

    /// <summary>A new EC2 client for <paramref name="region"/>; the caller disposes it.</summary>
    public IAmazonEC2 Ec2(string region)
    {
        var factory = new AwsClientFactory(For(region));
        lock (_gate) _owned.Add(factory);
        return factory.Ec2;
    }

    public RdsClient Rds(string region) => Shared(region).Rds;

    /// <summary>IAM is global: every region gets the home region's client.</summary>
    public IamClient Iam(string region) => Home.Iam;

    public void Dispose()
    {
        lock (_gate)
        {
            // Disposing an SDK client twice (once by its scanner, once here) does nothing the second time.
            foreach (var factory in _owned.Concat(_shared.Values)) factory.Dispose();
            _owned.Clear();
            _shared.Clear();
        }
    }

    private AwsClientFactory Shared(string region)
    {
        lock (_gate)
        {
            if (!_shared.TryGetValue(region, out var factory))
                _shared[region] = factory = new AwsClientFactory(For(region));
            return factory;
        }
    }

    private AwsSettings For(string region) =>
        region == home.Region.SystemName ? home : home with { Region = RegionEndpoint.GetBySystemName(region) };
}
