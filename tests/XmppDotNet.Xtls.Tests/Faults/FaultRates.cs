namespace XmppDotNet.Xtls.Tests.Faults;

/// <summary>The probability of each fault per tunnel IQ; what is left over is delivered unchanged.</summary>
internal sealed record FaultRates(double Drop, double Duplicate, double Delay, double Reorder)
{
    public FaultKind Pick(double roll)
    {
        if (Drop + Duplicate + Delay + Reorder > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(roll), "The rates add up to more than 1.");
        }

        return roll switch
        {
            _ when roll < Drop => FaultKind.Drop,
            _ when roll < Drop + Duplicate => FaultKind.Duplicate,
            _ when roll < Drop + Duplicate + Delay => FaultKind.Delay,
            _ when roll < Drop + Duplicate + Delay + Reorder => FaultKind.Reorder,
            _ => FaultKind.None,
        };
    }
}
