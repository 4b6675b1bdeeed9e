namespace XmppDotNet.Xtls.Tests.Faults;

/// <summary>
/// The probability of each fault per tunnel IQ; what is left over is delivered unchanged. A cut
/// (<see cref="Cut"/>) ends the connection of the IQ's sender or of its recipient, each half the time.
/// </summary>
internal sealed record FaultRates(double Drop, double Duplicate, double Delay, double Reorder, double Cut = 0)
{
    public FaultKind Pick(double roll)
    {
        if (Drop < 0 || Duplicate < 0 || Delay < 0 || Reorder < 0 || Cut < 0 || Drop + Duplicate + Delay + Reorder + Cut > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(roll), "The rates must be non-negative and add up to at most 1.");
        }

        return roll switch
        {
            _ when roll < Drop => FaultKind.Drop,
            _ when roll < Drop + Duplicate => FaultKind.Duplicate,
            _ when roll < Drop + Duplicate + Delay => FaultKind.Delay,
            _ when roll < Drop + Duplicate + Delay + Reorder => FaultKind.Reorder,
            _ when roll < Drop + Duplicate + Delay + Reorder + (Cut / 2) => FaultKind.CutSender,
            _ when roll < Drop + Duplicate + Delay + Reorder + Cut => FaultKind.CutReceiver,
            _ => FaultKind.None,
        };
    }
}
