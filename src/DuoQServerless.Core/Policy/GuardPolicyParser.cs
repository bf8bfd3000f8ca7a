using System.Text.RegularExpressions;
using DuoQServerless.Core.Findings;
using DuoQServerless.Core.Guards.Iam;
using DuoQServerless.Core.Guards.Instances;
using DuoQServerless.Core.Guards.Rds;
using DuoQServerless.Core.Guards.Ssh;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DuoQServerless.Core.Policy;

/// <summary>
/// Reads a policy document (YAML, or JSON, which the YAML parser reads too) through YamlDotNet's
/// representation model (no reflection) and validates it against a closed schema.
/// </summary>
internal static partial class GuardPolicyParser
{
    private static readonly IReadOnlyList<string> TopKeys =
        ["version", "dryRun", "protectedRole", "selfPrincipals", "selfResources", "exemptions", "approval", "reportRegions", "risks"];

    private static readonly IReadOnlyList<string> ExemptionKeys = ["tag", "principals"];
    private static readonly IReadOnlyList<string> TagKeys = ["key", "value"];
    private static readonly IReadOnlyList<string> ApprovalKeys = ["timeout", "onTimeout"];

    private static readonly TimeSpan MinTimeout = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(365);

    internal static readonly Exemptions DefaultExemptions = new(new ExemptionTag("duoq:exempt", "true"), []);
    internal static readonly ApprovalSettings DefaultApproval = new(TimeSpan.FromHours(24), TimeoutOutcome.Revert);
    internal static readonly IReadOnlyList<string> DefaultSelfPrincipals =
        ["arn:aws:iam::*:role/duoq-*", "arn:aws:sts::*:assumed-role/duoq-*/*"];
    internal static readonly IReadOnlyList<string> DefaultSelfResources = ["duoq-*"];

    public static PolicyLoad Parse(string text)
    {
        var errors = new List<PolicyError>();
        var root = Load(text, errors);
        if (root is null) return new PolicyLoad.Rejected(errors);
        var map = new PolicyMap(root, "", errors);
        map.AllowOnly(TopKeys);

        map.Choice("version", 1, [("1", 1)]);
        var dryRun = map.Bool("dryRun", false);
        var protectedRole = map.Text("protectedRole", "QDeveloperAccess", CheckRoleName);
        var selfPrincipals = map.Texts("selfPrincipals", DefaultSelfPrincipals, CheckArnPattern);
        var selfResources = map.Texts("selfResources", DefaultSelfResources, CheckNamePattern);
        var regions = map.Texts("reportRegions", ["us-east-1"], CheckRegion);
        var exemptions = ReadExemptions(map.Map("exemptions"), DefaultExemptions);
        var approval = ReadApproval(map.Map("approval"), DefaultApproval);

        var risksMap = map.Map("risks");
        risksMap?.AllowOnly(GuardPolicy.Blocks.Select(block => block.Risk.Id()).ToArray());
        var risks = new Dictionary<Risk, RiskSettings>();
        foreach (var block in GuardPolicy.Blocks)
        {
            var blockMap = risksMap?.Map(block.Risk.Id());
            blockMap?.AllowOnly(block.AllKeys);
            var modes = PolicyModeNames.Modes.Where(mode => block.Modes.Contains(mode.Value)).ToArray();
            risks[block.Risk] = new RiskSettings(
                blockMap?.Choice("mode", block.DefaultMode, modes) ?? block.DefaultMode,
                block.Exemptible ? ReadExemptions(blockMap?.Map("exemptions"), exemptions) : NoExemptions,
                ReadApproval(blockMap?.Map("approval"), approval));
        }

        var policy = new GuardPolicy(
            dryRun,
            protectedRole,
            selfPrincipals,
            regions,
            risks,
            PublicSshSettings.Read(risksMap?.Map(Risk.PublicSsh.Id())),
            RdsDeleteSettings.Read(risksMap?.Map(Risk.RdsDelete.Id())),
            IamChangeSettings.Read(risksMap?.Map(Risk.IamChange.Id())),
            OversizedInstanceSettings.Read(risksMap?.Map(Risk.OversizedInstance.Id())))
        {
            SelfResources = selfResources,
        };
        // Risk blocks are read twice (common keys, then settings): drop the repeated errors of the second read.
        var distinct = errors.Distinct().ToArray();
        return distinct.Length == 0 ? new PolicyLoad.Loaded(policy) : new PolicyLoad.Rejected(distinct);
    }

    private static YamlMappingNode? Load(string text, List<PolicyError> errors)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException error)
        {
            // A malformed document is the operator's input: report where, do not crash the init.
            errors.Add(new PolicyError("$", $"not valid YAML or JSON at line {error.Start.Line}, column {error.Start.Column}: {error.Message}"));
            return null;
        }
        if (stream.Documents.Count == 0) return new YamlMappingNode();
        if (stream.Documents.Count > 1)
        {
            errors.Add(new PolicyError("$", "expected one document, found " + stream.Documents.Count));
            return null;
        }
        switch (stream.Documents[0].RootNode)
        {
            case YamlMappingNode mapping:
                return mapping;
            case YamlScalarNode { Value: null or "" }:
                return new YamlMappingNode();
            default:
                errors.Add(new PolicyError("$", "expected a mapping at the top of the document"));
                return null;
        }
    }

    private static Exemptions ReadExemptions(PolicyMap? map, Exemptions inherited)
    {
        if (map is null) return inherited;
        map.AllowOnly(ExemptionKeys);
        var tag = inherited.Tag;
        if (map.Map("tag") is { } tagMap)
        {
            tagMap.AllowOnly(TagKeys);
            tag = new ExemptionTag(tagMap.Text("key", inherited.Tag.Key), tagMap.Text("value", inherited.Tag.Value));
        }
        // Principal exemptions add up: a risk's own list extends the global one.
        var principals = map.Texts("principals", [], CheckArnPattern);
        return new Exemptions(tag, [.. inherited.Principals, .. principals]);
    }

    private static ApprovalSettings ReadApproval(PolicyMap? map, ApprovalSettings inherited)
    {
        if (map is null) return inherited;
        map.AllowOnly(ApprovalKeys);
        return new ApprovalSettings(
            map.Duration("timeout", inherited.Timeout, MinTimeout, MaxTimeout),
            map.Choice("onTimeout", inherited.OnTimeout, PolicyModeNames.TimeoutOutcomes));
    }

    // What a non-exemptible risk carries: the tag can never match (an empty key is no AWS tag) and no principal is listed.
    private static readonly Exemptions NoExemptions = new(new ExemptionTag("", ""), []);

    private static string? CheckNamePattern(string pattern) =>
        pattern.Trim().Length == 0 || pattern.Trim('*').Length == 0
            ? $"'{pattern}' would match every resource: give a name prefix such as 'duoq-*'"
            : null;

    private static string? CheckArnPattern(string pattern) =>
        pattern.StartsWith("arn:", StringComparison.Ordinal) ? null : $"'{pattern}' is not an ARN pattern (it must start with 'arn:')";

    private static string? CheckRoleName(string name) =>
        RoleName().IsMatch(name) ? null : $"'{name}' is not an IAM role name (1-64 of letters, digits and +=,.@_-)";

    private static string? CheckRegion(string region) =>
        RegionName().IsMatch(region) ? null : $"'{region}' is not an AWS region name such as us-east-1";

    [GeneratedRegex(@"^[A-Za-z0-9_+=,.@-]{1,64}$")]
    private static partial Regex RoleName();

    [GeneratedRegex(@"^[a-z]{2}(-[a-z]+)+-\d{1,2}$")]
    private static partial Regex RegionName();
}
