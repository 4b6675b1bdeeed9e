using System.Globalization;

namespace XmppDotNet.Xtls.IntegrationTests.Faults;

/// <summary>
/// How long a fault run is: XTLS_SM_CUTS cuts (default 20, at most 500) at points chosen by XTLS_SM_SEED
/// (default 198), with XTLS_SM_MESSAGES_PER_CUT messages each way per cut (default 10).
/// </summary>
internal sealed record FaultRunSettings(int Cuts, int Seed, int MessagesPerCut)
{
    public int Messages => Cuts * MessagesPerCut;

    public static FaultRunSettings FromEnvironment() => new(
        Read("XTLS_SM_CUTS", 20, 1, 500),
        Read("XTLS_SM_SEED", 198, int.MinValue, int.MaxValue),
        Read("XTLS_SM_MESSAGES_PER_CUT", 10, 1, 100));

    private static int Read(string variable, int fallback, int min, int max)
    {
        string? text = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) || value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(variable, text, $"{variable} must be an integer from {min} to {max}.");
        }

        return value;
    }
}
