using System.Globalization;

namespace DuoQServerless.Core.Guards.Instances;

/// <summary>Prices as findings show them: "$4.608/h", "$3,363.84/month".</summary>
public static class Money
{
    public static string Hourly(decimal usd) => "$" + usd.ToString("#,0.00##", CultureInfo.InvariantCulture) + "/h";

    public static string Monthly(decimal usd) => "$" + usd.ToString("#,0.00", CultureInfo.InvariantCulture) + "/month";
}
