using System.Text.Json;
using System.Text.Json.Serialization;

namespace DuoQServerless.Core.Findings;

/// <summary>The message Step Functions sends a guard when a finding is rejected or times out.</summary>
public sealed record RevertRequest(Finding Revert);

/// <summary>Source-generated JSON for findings (AOT: no reflection). camelCase, kebab-case enum values.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    AllowOutOfOrderMetadataProperties = true,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(Finding))]
[JsonSerializable(typeof(RevertRequest))]
[JsonSerializable(typeof(RevertPlan))]
public sealed partial class FindingJsonContext : JsonSerializerContext;

public static class FindingJson
{
    public static string Serialize(Finding finding) => JsonSerializer.Serialize(finding, FindingJsonContext.Default.Finding);

    public static string SerializeIndented(Finding finding) =>
        JsonSerializer.Serialize(finding, IndentedContext.Finding);

    public static string SerializeRevertRequest(Finding finding) =>
        JsonSerializer.Serialize(new RevertRequest(finding), FindingJsonContext.Default.RevertRequest);

    /// <summary>Reads a finding; null when the JSON is not one. Never throws on bad input.</summary>
    public static Finding? Deserialize(string json, out string? error)
    {
        try
        {
            var finding = JsonSerializer.Deserialize(json, FindingJsonContext.Default.Finding);
            error = finding is null ? "null is not a finding" : null;
            return finding;
        }
        // Bad input from outside (a hand-edited revert request) is an answer, not a crash. Besides
        // JsonException the serializer throws NotSupportedException for a revert plan without its
        // "kind" discriminator and InvalidOperationException for strings that are not valid UTF-16.
        catch (Exception exception) when (exception is JsonException or NotSupportedException or InvalidOperationException)
        {
            error = exception.Message;
            return null;
        }
    }

    private static readonly FindingJsonContext IndentedContext = new(new JsonSerializerOptions(FindingJsonContext.Default.Options)
    {
        WriteIndented = true,
    });
}
