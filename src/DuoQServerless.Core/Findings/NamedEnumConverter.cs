using System.Text.Json.Serialization;

namespace DuoQServerless.Core.Findings;

/// <summary>
/// Reads and writes an enum by its names only. The default string converter also takes numbers,
/// so a finding handed back with <c>"severity": 22</c> would carry a value outside the enum and
/// crash whatever switches on it; with this converter it is a JSON error the guard reports.
/// </summary>
public sealed class NamedEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(namingPolicy: null, allowIntegerValues: false)
    where TEnum : struct, Enum;
