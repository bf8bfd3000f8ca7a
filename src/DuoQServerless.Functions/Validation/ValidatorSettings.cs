using DuoQServerless.Aws.Validation;
using DuoQServerless.Functions.Guards;
using DuoQServerless.Functions.Runtime;

namespace DuoQServerless.Functions.Validation;

/// <summary>The environment variables template.yaml sets on the validator function.</summary>
public static class ValidatorVariables
{
    /// <summary>Optional: the role GitLab assumes; QDeveloperAccess by default.</summary>
    public const string RoleName = "DUOQ_Q_ROLE_NAME";
    /// <summary>Optional: the GitLab instance UUID; inferred from the account's only GitLab provider when unset.</summary>
    public const string InstanceId = "DUOQ_INSTANCE_ID";
    /// <summary>Optional: the customer managed key Amazon Q encrypts with.</summary>
    public const string KmsKeyId = "DUOQ_KMS_KEY_ID";
    /// <summary>Optional: the GitLab instance's security groups, comma separated.</summary>
    public const string SecurityGroupIds = "DUOQ_SECURITY_GROUP_IDS";
    /// <summary>Optional: the GitLab instance's URL.</summary>
    public const string GitLabUrl = "DUOQ_GITLAB_URL";
    /// <summary>Optional: the SSM SecureString parameter holding a GitLab administrator's token.</summary>
    public const string GitLabTokenParameter = "DUOQ_GITLAB_TOKEN_PARAMETER";
}

/// <summary>What the validator function validates and where it keeps and sends results.</summary>
public sealed record ValidatorSettings(ValidationTarget Target, string AuditTable, string TopicArn)
{
    /// <exception cref="InvalidOperationException">A variable is missing or malformed: an init error naming it.</exception>
    public static ValidatorSettings From(IRuntimeEnvironment environment)
    {
        var target = ValidationTarget.Create(
            environment.Get(ValidatorVariables.RoleName),
            environment.Get(ValidatorVariables.InstanceId),
            environment.Get(ValidatorVariables.KmsKeyId),
            environment.Get(ValidatorVariables.SecurityGroupIds) is { Length: > 0 } groups ? [groups] : [],
            environment.Get(ValidatorVariables.GitLabUrl),
            environment.Get(ValidatorVariables.GitLabTokenParameter));
        return target switch
        {
            TargetOutcome.Valid valid => new ValidatorSettings(
                valid.Target,
                FunctionVariables.Required(environment, FunctionVariables.AuditTable),
                FunctionVariables.Required(environment, FunctionVariables.TopicArn)),
            TargetOutcome.Invalid invalid => throw new InvalidOperationException(
                "The validator's configuration is invalid: " + string.Join("; ", invalid.Errors.Select(VariableOf))),
            _ => throw new System.Diagnostics.UnreachableException(),
        };
    }

    /// <summary>"instance-id: ..." names the option; the function's reader knows the variable.</summary>
    private static string VariableOf(string error)
    {
        var option = error.Split(':', 2)[0];
        var variable = option switch
        {
            "role" => ValidatorVariables.RoleName,
            "instance-id" => ValidatorVariables.InstanceId,
            "security-group" => ValidatorVariables.SecurityGroupIds,
            "gitlab-url" => ValidatorVariables.GitLabUrl,
            "gitlab-token-parameter" => ValidatorVariables.GitLabTokenParameter,
            _ => option,
        };
        return variable + error[option.Length..];
    }
}
