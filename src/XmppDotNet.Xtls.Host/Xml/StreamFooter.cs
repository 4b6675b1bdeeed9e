namespace XmppDotNet.Xtls.Host.Xml;

/// <summary>The end of an XML stream: the closing tag <c>&lt;/stream:stream&gt;</c>.</summary>
public sealed class StreamFooter
{
    private StreamFooter()
    {
    }

    /// <summary>The only instance.</summary>
    public static StreamFooter Instance { get; } = new();

    /// <summary>The footer as XML: <c>&lt;/stream:stream&gt;</c>.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "Part of the event contract, alongside StreamHeader.ToXml.")]
    public string ToXml() => "</stream:stream>";

    /// <inheritdoc/>
    public override string ToString() => ToXml();
}
