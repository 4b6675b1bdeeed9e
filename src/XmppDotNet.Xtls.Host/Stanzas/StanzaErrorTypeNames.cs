namespace XmppDotNet.Xtls.Host.Stanzas;

/// <summary>The wire names of <see cref="StanzaErrorType"/> values.</summary>
internal static class StanzaErrorTypeNames
{
    /// <summary>The value of the <c>type</c> attribute.</summary>
    internal static string ToWire(StanzaErrorType type) => type switch
    {
        StanzaErrorType.Auth => "auth",
        StanzaErrorType.Cancel => "cancel",
        StanzaErrorType.Continue => "continue",
        StanzaErrorType.Modify => "modify",
        StanzaErrorType.Wait => "wait",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown stanza error type."),
    };

    /// <summary>Parses a <c>type</c> attribute, ignoring ASCII case (some servers capitalise it).</summary>
    internal static bool TryParse(string? value, out StanzaErrorType type)
    {
        foreach (StanzaErrorType candidate in Enum.GetValues<StanzaErrorType>())
        {
            if (string.Equals(value, ToWire(candidate), StringComparison.OrdinalIgnoreCase))
            {
                type = candidate;
                return true;
            }
        }

        type = StanzaErrorType.Cancel;
        return false;
    }
}
