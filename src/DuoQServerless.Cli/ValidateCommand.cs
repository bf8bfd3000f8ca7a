using DuoQServerless.Cli.Emulator;
using System.CommandLine;
using Amazon;
using Amazon.Runtime;
using DuoQServerless.Aws;
using DuoQServerless.Aws.Validation;
using DuoQServerless.Core.Validation;
using Spectre.Console;

namespace DuoQServerless.Cli;

/// <summary>
/// `duoq validate`: checks a GitLab Duo with Amazon Q setup against GitLab's guide and prints a
/// table a person reads, or the report JSON. Exit 0 when nothing fails, 1 when a check fails,
/// 2 on bad arguments, 3 when AWS could not be asked at all.
/// </summary>
public static partial class ValidateCommand
{
    public static Command Create(CliContext context)
    {
        var endpoint = new Option<string?>("--endpoint") { Description = "Send every AWS call to this URL (an emulator such as moto); fake \"testing\" keys unless credentials are set." };
        var region = new Option<string?>("--region") { Description = "AWS region (default: AWS_REGION or AWS_DEFAULT_REGION; us-east-1 with --endpoint)." };
        var role = new Option<string?>("--role") { Description = $"The IAM role GitLab assumes (default {DuoQSetupFacts.DefaultRoleName})." };
        var instanceId = new Option<string?>("--instance-id") { Description = "The GitLab instance UUID, from the provider URL in GitLab's Amazon Q settings." };
        var kmsKey = new Option<string?>("--kms-key") { Description = "The customer managed KMS key Amazon Q uses (id, ARN or alias), if any." };
        var groups = new Option<string[]>("--security-group") { Description = "A security group of the GitLab instance (repeat, or separate with commas).", AllowMultipleArgumentsPerToken = true };
        var gitLabUrl = new Option<string?>("--gitlab-url") { Description = "The GitLab instance's URL, e.g. https://gitlab.example.com." };
        var tokenParameter = new Option<string?>("--gitlab-token-parameter") { Description = "The SSM SecureString parameter holding a GitLab admin token (scopes api, read_service_ping)." };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON instead of a table." };
        var command = new Command("validate", "Check the GitLab Duo with Amazon Q setup (IAM identity provider, role, permissions, KMS key, network, GitLab) against GitLab's guide.")
        {
            endpoint, region, role, instanceId, kmsKey, groups, gitLabUrl, tokenParameter, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var target = ValidationTarget.Create(
                parse.GetValue(role), parse.GetValue(instanceId), parse.GetValue(kmsKey), parse.GetValue(groups),
                parse.GetValue(gitLabUrl), parse.GetValue(tokenParameter)) switch
            {
                TargetOutcome.Valid valid => valid.Target,
                TargetOutcome.Invalid invalid => throw new UsageException(string.Join("\n", invalid.Errors.Select(e => "--" + e))),
                _ => throw new System.Diagnostics.UnreachableException(),
            };
            var settings = Settings(context, parse.GetValue(endpoint), parse.GetValue(region));
            return await RunAsync(context, settings, target, parse.GetValue(json), cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, AwsSettings settings, ValidationTarget target, bool json, CancellationToken cancellationToken)
    {
        ValidationReport report;
        using (var aws = new AwsClientFactory(settings))
        {
            try
            {
                var facts = await new DuoQSetupGatherer(aws).GatherAsync(target, cancellationToken);
                report = DuoQValidator.Validate(facts, DateTimeOffset.UtcNow);
            }
            // No account could be read at all: there is no report, only why.
            catch (SetupUnreadableException e)
            {
                await context.Error.WriteLineAsync($"duoq: cannot validate: {e.Message}");
                return ExitCodes.InternalError;
            }
        }

        if (json) await context.Out.WriteLineAsync(report.ToJson());
        else ValidationTable.Write(context.Ui, report);
        return report.HasFailures ? ExitCodes.Findings : ExitCodes.Ok;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^[a-z]{2}(-[a-z]+)+-\d+$")]
    private static partial System.Text.RegularExpressions.Regex RegionName();

    private static AwsSettings Settings(CliContext context, string? endpoint, string? region)
    {
        string? Variable(string name) => context.Environment.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

        Uri? endpointUri = null;
        if (endpoint is not null && !(Uri.TryCreate(endpoint, UriKind.Absolute, out endpointUri) && endpointUri.Scheme is "http" or "https"))
            throw new UsageException($"--endpoint: \"{endpoint}\" is not an http(s) URL");

        var regionName = region ?? Variable("AWS_REGION") ?? Variable("AWS_DEFAULT_REGION") ?? (endpointUri is null ? null : "us-east-1");
        if (regionName is null) throw new UsageException("no AWS region: pass --region or set AWS_REGION");
        regionName = regionName.Trim();
        // GetBySystemName accepts any text; a name not shaped like a region is a typo.
        if (!RegionName().IsMatch(regionName)) throw new UsageException($"--region: \"{regionName}\" is not an AWS region name (like us-east-1)");
        var regionEndpoint = RegionEndpoint.GetBySystemName(regionName);

        AWSCredentials? credentials = (Variable("AWS_ACCESS_KEY_ID"), Variable("AWS_SECRET_ACCESS_KEY"), Variable("AWS_SESSION_TOKEN")) switch
        {
            ({ } id, { } secret, { } token) => new SessionAWSCredentials(id, secret, token),
            ({ } id, { } secret, null) => new BasicAWSCredentials(id, secret),
            _ when endpointUri is not null => EmulatorCredentials.Create(),
            // The default chain: profile, SSO, instance or container role.
            _ => null,
        };

        return new AwsSettings
        {
            Region = regionEndpoint,
            EndpointOverride = endpointUri,
            Credentials = credentials,
            EnvironmentVariables = Variable,
        };
    }
}
