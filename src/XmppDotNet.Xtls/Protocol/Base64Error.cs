namespace XmppDotNet.Xtls.Protocol;

/// <summary>Why a Base64 chunk was rejected.</summary>
public enum Base64Error
{
    /// <summary>The text (or what it decodes to) is longer than the bound; nothing was decoded.</summary>
    TooLong,

    /// <summary>A character outside the Base64 alphabet and outside XML whitespace.</summary>
    InvalidCharacter,

    /// <summary>Padding in the wrong place, too much of it, or non-zero bits under it.</summary>
    InvalidPadding,

    /// <summary>The number of Base64 characters (whitespace removed) is not a multiple of four.</summary>
    InvalidLength,
}
