using Amazon;

namespace DuoQServerless.Aws.Protocol;

/// <summary>Where requests to a service go, and which region their signature names.</summary>
public sealed record AwsEndpoint(Uri Url, RegionEndpoint SigningRegion);

/// <summary>
/// Picks a service's endpoint the way the served SDK clients do: an explicit override first
/// (moto, <c>duoq --endpoint</c>), then <c>AWS_ENDPOINT_URL_&lt;SERVICE_ID&gt;</c>, then
/// <c>AWS_ENDPOINT_URL</c>, unless <c>AWS_IGNORE_CONFIGURED_ENDPOINT_URLS</c> is true; otherwise
/// the service's public endpoint for the region. The environment is read through the delegate
/// so tests never touch the process environment.
/// </summary>
public static class AwsEndpointResolver
{
    public const string GlobalVariable = "AWS_ENDPOINT_URL";
    public const string IgnoreVariable = "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS";

    /// <summary>The variable that overrides one service, e.g. <c>AWS_ENDPOINT_URL_SFN</c> or <c>AWS_ENDPOINT_URL_DYNAMODB</c>.</summary>
    public static string ServiceVariable(string serviceId) =>
        $"{GlobalVariable}_{serviceId.ToUpperInvariant().Replace(' ', '_')}";

    /// <summary>The configured (non-default) endpoint for a service id, or null when the SDK default applies.</summary>
    public static Uri? ConfiguredEndpoint(string serviceId, Uri? explicitOverride, Func<string, string?> environment)
    {
        if (explicitOverride is not null) return explicitOverride;
        if (string.Equals(environment(IgnoreVariable)?.Trim(), "true", StringComparison.OrdinalIgnoreCase)) return null;
        foreach (var variable in new[] { ServiceVariable(serviceId), GlobalVariable })
        {
            var value = environment(variable);
            if (string.IsNullOrWhiteSpace(value)) continue;
            return Uri.TryCreate(value.Trim(), UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
                ? url
                : throw new ArgumentException($"{variable} must be an absolute http(s) URL, not '{value}'");
        }
        return null;
    }

    public static AwsEndpoint Resolve(AwsService service, RegionEndpoint region, Uri? explicitOverride, Func<string, string?> environment)
    {
        var signingRegion = service.IsGlobal ? GlobalSigningRegion(region) : region;
        var configured = ConfiguredEndpoint(service.ServiceId, explicitOverride, environment);
        return new AwsEndpoint(configured ?? DefaultUrl(service, region), signingRegion);
    }

    private static Uri DefaultUrl(AwsService service, RegionEndpoint region)
    {
        var suffix = region.PartitionDnsSuffix ?? "amazonaws.com";
        if (!service.IsGlobal) return new Uri($"https://{service.EndpointPrefix}.{region.SystemName}.{suffix}/");
        return region.PartitionName switch
        {
            "aws-cn" => new Uri($"https://{service.EndpointPrefix}.cn-north-1.{suffix}/"),
            "aws-us-gov" => new Uri($"https://{service.EndpointPrefix}.us-gov.{suffix}/"),
            _ => new Uri($"https://{service.EndpointPrefix}.{suffix}/"),
        };
    }

    // IAM is global: every partition signs its requests for one home region.
    private static RegionEndpoint GlobalSigningRegion(RegionEndpoint region) => region.PartitionName switch
    {
        "aws-cn" => RegionEndpoint.CNNorth1,
        "aws-us-gov" => RegionEndpoint.USGovCloudWest1,
        _ => RegionEndpoint.USEast1,
    };
}
