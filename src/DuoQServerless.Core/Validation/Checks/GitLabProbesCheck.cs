namespace DuoQServerless.Core.Validation.Checks;

/// <summary>
/// Check 10: GitLab's own connection probes (GraphQL cloudConnectorStatus), the Amazon Q end-to-end
/// probe included, each reported with its message. A null answer (the instance does not offer the
/// probes) skips the check.
/// </summary>
internal static class GitLabProbesCheck
{
    private static CheckDefinition Check => DuoQChecks.GitLabProbes;

    public static CheckResult Run(SetupContext context)
    {
        CloudConnectorStatus status;
        switch (context.Facts.GitLab.CloudConnector)
        {
            case Observation<CloudConnectorStatus>.NotAsked notAsked:
                return Check.Skipped(notAsked.Why);
            case Observation<CloudConnectorStatus>.Absent absent:
                return Check.Skipped($"GitLab does not offer its Cloud Connector status probes here: {absent.What}");
            case Observation<CloudConnectorStatus>.Unavailable unavailable:
                return Check.Fail([$"could not run the probes: {unavailable.Error}"], Fixes.GitLabAccess());
            case Observation<CloudConnectorStatus>.Seen seen:
                status = seen.Value;
                break;
            default:
                throw new System.Diagnostics.UnreachableException();
        }

        var evidence = status.Probes
            .Select(p => $"{(p.Success ? "passed" : "FAILED")} {p.Name}: {p.Message ?? "(no message)"}")
            .ToList();
        if (status.Probes.Count == 0) evidence.Add("GitLab reported no probes");

        var failed = status.Probes.Where(p => !p.Success).ToArray();
        if (failed.Length > 0 || status.Success == false)
        {
            evidence.Insert(0, failed.Length > 0
                ? $"{failed.Length} of {status.Probes.Count} probes failed"
                : "GitLab reports the status as unsuccessful");
            return Check.Fail(evidence, Fixes.Probes());
        }

        if (!status.Probes.Any(IsAmazonQProbe))
        {
            evidence.Add("GitLab did not run an Amazon Q probe: it runs one only once Amazon Q is connected");
            return Check.Warn(evidence, Fixes.EnableAmazonQ(context.RoleArn));
        }
        return Check.Pass(evidence);
    }

    /// <summary>
    /// GitLab names the Amazon Q probe after its class (end_to_end_probe, like the generic one), so
    /// its results are told apart by their messages, which all mention Amazon Q.
    /// </summary>
    private static bool IsAmazonQProbe(CloudConnectorProbe probe) =>
        probe.Name.Contains("amazon_q", StringComparison.OrdinalIgnoreCase)
        || (probe.Message?.Contains("Amazon Q", StringComparison.Ordinal) ?? false);
}
