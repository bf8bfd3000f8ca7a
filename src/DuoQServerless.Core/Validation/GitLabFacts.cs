namespace DuoQServerless.Core.Validation;

/// <summary>
/// What the GitLab probe learned. Each observation is one call: the TLS handshake, GET
/// /api/v4/version, GET /api/v4/applications, GET /api/v4/users?username=amazon-q, the GraphQL
/// <c>cloudConnectorStatus</c> query and GET /api/v4/usage_data/service_ping.
/// </summary>
public sealed record GitLabFacts(
    Uri? Url,
    Observation<TlsFacts> Tls,
    Observation<string> Version,
    Observation<IReadOnlyList<GitLabApplication>> Applications,
    Observation<GitLabUser> AmazonQUser,
    Observation<CloudConnectorStatus> CloudConnector,
    Observation<string> ServicePingUuid)
{
    public static GitLabFacts NotAsked(string why, Uri? url = null) => new(
        url,
        Observe.NotAsked<TlsFacts>(why),
        Observe.NotAsked<string>(why),
        Observe.NotAsked<IReadOnlyList<GitLabApplication>>(why),
        Observe.NotAsked<GitLabUser>(why),
        Observe.NotAsked<CloudConnectorStatus>(why),
        Observe.NotAsked<string>(why));
}

/// <summary>The certificate the GitLab host presented and how it verified.</summary>
public sealed record TlsFacts(
    string Host,
    int Port,
    string Subject,
    string Issuer,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    bool ChainsToTrustedRoot,
    bool SelfSigned,
    bool HostNameMatches,
    IReadOnlyList<string> ChainProblems);

/// <summary>An instance-wide OAuth application (GET /api/v4/applications).</summary>
public sealed record GitLabApplication(long Id, string Name, string? CallbackUrl, bool Confidential);

/// <summary>A user (GET /api/v4/users?username=...). State is "active", "blocked", "deactivated"...</summary>
public sealed record GitLabUser(long Id, string Username, string Name, string State, bool? Bot);

/// <summary>GitLab's own Cloud Connector probes; the Amazon Q end-to-end probe is among them once Amazon Q is connected.</summary>
public sealed record CloudConnectorStatus(bool? Success, IReadOnlyList<CloudConnectorProbe> Probes);

public sealed record CloudConnectorProbe(string Name, bool Success, string? Message);
