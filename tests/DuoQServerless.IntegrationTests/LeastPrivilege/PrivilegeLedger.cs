using Amazon.SimpleSystemsManagement.Model;
using DuoQServerless.Aws.Protocol;

namespace DuoQServerless.IntegrationTests.LeastPrivilege;

/// <summary>
/// What a function's role in template.yaml grants against what its scenario called: the calls the
/// role refuses (resources included), the actions it grants that nothing used, and the table row.
/// </summary>
public static class PrivilegeLedger
{
    /// <summary>Granted for AWS's own use of the role, never called by the code; the reason is the evidence.</summary>
    public static readonly IReadOnlyDictionary<string, string> PlatformGrants = new Dictionary<string, string>
    {
        ["sqs:SendMessage"] = "Lambda sends failed async events to the dead-letter queue with the function's role",
    };

    /// <summary>AWS refused the call for want of a permission (each service has its own code for it).</summary>
    public static bool IsRefusal(AwsCall call) =>
        call.ErrorCode is "AccessDenied" or "AccessDeniedException" or "UnauthorizedOperation" or "AuthorizationError";

    /// <summary>Calls IAM allows whatever the policy says; the reason is AWS's documentation.</summary>
    public static readonly IReadOnlyDictionary<string, string> AlwaysAllowed = new Dictionary<string, string>
    {
        ["sts:GetCallerIdentity"] = "no permission is needed to call it, and an explicit deny has no effect",
    };

    /// <summary>Calls another service makes with the function's permissions: SSM decrypting a SecureString.</summary>
    public static IEnumerable<(AwsCall Call, string Via)> Implied(IEnumerable<AwsCall> calls, IReadOnlySet<string> secureParameters) =>
        from call in calls
        where call.Request is GetParameterRequest { WithDecryption: true } get && secureParameters.Contains(get.Name) && call.Succeeded
        select (new AwsCall("kms", "Decrypt", null, null) { Region = call.Region }, $"ssm.{call.Region}.amazonaws.com");

    public static IReadOnlyList<string> Refusals(TemplateRole role, IReadOnlyList<AwsCall> calls, IReadOnlySet<string> secureParameters) =>
        calls.Where(c => !AlwaysAllowed.ContainsKey(c.Action)).Select(c => role.Refusal(c))
            .Concat(Implied(calls, secureParameters).Select(i => role.Refusal(i.Call, i.Via)))
            .OfType<string>().Distinct().ToList();

    /// <summary>The actions the scenario used, its own calls and those made on its behalf.</summary>
    public static IReadOnlySet<string> Used(IReadOnlyList<AwsCall> calls, IReadOnlySet<string> secureParameters) =>
        calls.Select(c => c.Action).Concat(Implied(calls, secureParameters).Select(i => i.Call.Action)).ToHashSet(StringComparer.Ordinal);

    public static IReadOnlyList<string> Unused(TemplateRole role, IReadOnlyList<AwsCall> calls, IReadOnlySet<string> secureParameters)
    {
        var used = Used(calls, secureParameters);
        return role.Actions.Where(a => !used.Contains(a) && !PlatformGrants.ContainsKey(a)).ToList();
    }

    /// <summary>Statements no call of the scenario needed (a resource wider than the calls, a duplicate grant).</summary>
    public static IReadOnlyList<string> UnneededStatements(TemplateRole role, IReadOnlyList<AwsCall> calls, IReadOnlySet<string> secureParameters)
    {
        var all = calls.Select(c => (c, (string?)null)).Concat(Implied(calls, secureParameters).Select(i => (i.Call, (string?)i.Via))).ToList();
        return role.StatementsAllowingNone(all).Where(s => !PlatformGrants.Keys.Any(s.Contains)).ToList();
    }

    /// <summary>The closing note's row: function | granted | covered | scope.</summary>
    public static string Row(TemplateRole role, IReadOnlyList<AwsCall> calls, IReadOnlySet<string> secureParameters)
    {
        var used = Used(calls, secureParameters);
        var scoped = role.Actions.Select(a => $"{a}{(used.Contains(a) ? "" : " (platform)")} [{Scope(role, a)}]");
        return $"| {role.Handler} | {role.Actions.Count} | {role.Actions.Count(used.Contains)} | {string.Join(", ", scoped)} |";
    }

    private static string Scope(TemplateRole role, string action)
    {
        var resources = role.Document.Statements
            .Where(s => s.Actions.Patterns.Contains(action))
            .SelectMany(s => s.Resources?.Patterns ?? ["*"]).Distinct().ToList();
        return resources.Contains("*") ? "*" : "scoped";
    }
}
