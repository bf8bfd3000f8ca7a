using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using DuoQServerless.Core.Approval;

namespace DuoQServerless.Aws.Approval;

/// <summary>Thrown when the link-signing key cannot be read; the message names the parameter.</summary>
public sealed class ApprovalKeyUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The approval-link key: an SSM SecureString parameter, read decrypted.</summary>
public static class ApprovalLinkKey
{
    public static async Task<ApprovalLink> LoadAsync(IAmazonSimpleSystemsManagement ssm, string parameterName, CancellationToken cancellationToken = default)
    {
        GetParameterResponse response;
        try
        {
            response = await ssm.GetParameterAsync(new GetParameterRequest { Name = parameterName, WithDecryption = true }, cancellationToken);
        }
        // Translated so the function's init error names the parameter instead of an SDK type.
        catch (ParameterNotFoundException e)
        {
            throw new ApprovalKeyUnavailableException($"The approval link key parameter {parameterName} does not exist.", e);
        }
        // Refused (AccessDenied: the role needs ssm:GetParameter on it and kms:Decrypt via SSM) or
        // unreachable: the init error names the parameter and AWS's code.
        catch (Amazon.Runtime.AmazonServiceException e)
        {
            throw new ApprovalKeyUnavailableException($"The approval link key parameter {parameterName} could not be read: {e.ErrorCode}: {e.Message}", e);
        }

        if (response.Parameter.Type != ParameterType.SecureString)
            throw new ApprovalKeyUnavailableException($"The approval link key parameter {parameterName} must be a SecureString, not {response.Parameter.Type}.");
        try
        {
            return ApprovalLink.FromSecret(response.Parameter.Value);
        }
        // Too short a key: say which parameter to fix.
        catch (ArgumentException e)
        {
            throw new ApprovalKeyUnavailableException($"The approval link key in {parameterName} is too short: {e.Message}", e);
        }
    }
}
