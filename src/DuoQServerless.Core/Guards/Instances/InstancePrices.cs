using System.Globalization;
using DuoQServerless.Core.Policy;

namespace DuoQServerless.Core.Guards.Instances;

/// <summary>An instance type's size and on-demand Linux price in us-east-1.</summary>
public sealed record InstancePrice(string InstanceType, int Vcpus, decimal UsdPerHour)
{
    public const int HoursPerMonth = 730;

    public decimal UsdPerMonth => UsdPerHour * HoursPerMonth;
}

/// <summary>The price table shipped as instance-prices.csv.</summary>
public sealed class InstancePrices
{
    private readonly IReadOnlyDictionary<string, InstancePrice> prices;

    private InstancePrices(IReadOnlyDictionary<string, InstancePrice> prices) => this.prices = prices;

    public static InstancePrices Bundled => bundled.Value;

    public IReadOnlyCollection<InstancePrice> All => prices.Values.ToArray();

    public InstancePrice? Find(string instanceType) => prices.GetValueOrDefault(instanceType.ToLowerInvariant());

    public static InstancePrices Parse(string csv)
    {
        var table = new Dictionary<string, InstancePrice>(StringComparer.Ordinal);
        foreach (var (line, number) in csv.Split('\n').Select((line, index) => (line.Trim(), index + 1)))
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var cells = line.Split(',');
            if (cells.Length != 3 ||
                !int.TryParse(cells[1], NumberStyles.None, CultureInfo.InvariantCulture, out var vcpus) ||
                !decimal.TryParse(cells[2], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var price))
                throw new FormatException($"price table line {number} is not 'instanceType,vcpus,usdPerHour': {line}");
            table[cells[0]] = new InstancePrice(cells[0], vcpus, price);
        }
        return new InstancePrices(table);
    }

    /// <summary>vCPUs guessed from the size name, for types the table lacks: large = 2, xlarge = 4,
    /// Nxlarge = 4N (true across current x86 families). Null for metal and unknown sizes.</summary>
    public static int? EstimateVcpus(string instanceType)
    {
        var size = instanceType[(instanceType.IndexOf('.') + 1)..].ToLowerInvariant();
        if (size is "nano" or "micro" or "small" or "medium" or "large") return 2;
        if (size == "xlarge") return 4;
        if (size.EndsWith("xlarge", StringComparison.Ordinal) &&
            int.TryParse(size.AsSpan(0, size.Length - "xlarge".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var multiple))
            return multiple * 4;
        return null;
    }

    private static readonly Lazy<InstancePrices> bundled = new(() => Parse(EmbeddedData.Read("instance-prices.csv")));
}
