using System.Globalization;
using System.Xml.Linq;
using DotNetty.Common.Utilities;
using DotNetty.Transport.Channels;

namespace XmppDotNet.Xtls.Host.Session;

/// <summary>
/// What a server announced it accepts on a stream (XEP-0478, Stream Limits Advertisement): the largest
/// top-level element in bytes, and how long the stream may stay silent. Either may be unknown.
/// </summary>
/// <remarks>
/// The client keeps the limits of the features after authentication (those that govern the session) with the
/// connection; <see cref="ISession.ServerLimits"/> gives those of the current one. A server that announces
/// nothing leaves them unknown: RFC 6120 §13.12 only promises that stanzas of up to 10,000 bytes are accepted.
/// </remarks>
public sealed class StreamLimits
{
    private static readonly XName LimitsName = XName.Get("limits", XmppNamespaces.StreamLimits);
    private static readonly XName MaxBytesName = XName.Get("max-bytes", XmppNamespaces.StreamLimits);
    private static readonly XName IdleSecondsName = XName.Get("idle-seconds", XmppNamespaces.StreamLimits);
    private static readonly AttributeKey<StreamLimits> ChannelKey = AttributeKey<StreamLimits>.ValueOf("xmpp-stream-limits");

    /// <summary>Creates limits; a value that is not positive is refused.</summary>
    /// <param name="maxBytes">The largest top-level element the server accepts, in bytes, or <see langword="null"/> if unknown.</param>
    /// <param name="idleSeconds">Seconds of silence after which the server may check or close the stream, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is zero or negative.</exception>
    public StreamLimits(int? maxBytes, int? idleSeconds)
    {
        if (maxBytes is { } bytes)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes, nameof(maxBytes));
        }

        if (idleSeconds is { } seconds)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(seconds, nameof(idleSeconds));
        }

        MaxBytes = maxBytes;
        IdleSeconds = idleSeconds;
    }

    /// <summary>The largest top-level element (stanza) the server accepts, in UTF-8 bytes; <see langword="null"/> if unknown.</summary>
    public int? MaxBytes { get; }

    /// <summary>Seconds without traffic after which the server may check or close the stream; <see langword="null"/> if unknown.</summary>
    public int? IdleSeconds { get; }

    /// <summary>
    /// Reads the <c>limits</c> child of a <c>stream:features</c> element. A value that is not a positive integer is
    /// ignored (as if it were absent); one beyond <see cref="int.MaxValue"/> counts as <see cref="int.MaxValue"/>.
    /// </summary>
    /// <param name="features">The stream features.</param>
    /// <returns>The limits, or <see langword="null"/> when the features announce none.</returns>
    public static StreamLimits? FromFeatures(XElement features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.Element(LimitsName) is not { } limits)
        {
            return null;
        }

        int? maxBytes = ReadPositive(limits.Element(MaxBytesName));
        int? idleSeconds = ReadPositive(limits.Element(IdleSecondsName));
        return maxBytes is null && idleSeconds is null ? null : new StreamLimits(maxBytes, idleSeconds);
    }

    /// <summary>The limits announced on this connection, or <see langword="null"/> when the server announced none.</summary>
    internal static StreamLimits? Of(IChannel connection) => connection.GetAttribute(ChannelKey).Get();

    /// <summary>The <c>limits</c> element a server puts in its stream features.</summary>
    public XElement ToXElement()
    {
        var limits = new XElement(LimitsName);
        if (MaxBytes is { } maxBytes)
        {
            limits.Add(new XElement(MaxBytesName, maxBytes.ToString(CultureInfo.InvariantCulture)));
        }

        if (IdleSeconds is { } idleSeconds)
        {
            limits.Add(new XElement(IdleSecondsName, idleSeconds.ToString(CultureInfo.InvariantCulture)));
        }

        return limits;
    }

    /// <summary>Keeps the limits on the channel (or clears them, with <see langword="null"/>).</summary>
    internal static void Store(IChannel channel, StreamLimits? limits) => channel.GetAttribute(ChannelKey).Set(limits!);

    private static int? ReadPositive(XElement? element)
    {
        if (element is null)
        {
            return null;
        }

        // xs:positiveInteger: digits only (a leading '+' and surrounding whitespace allowed), never zero.
        string text = element.Value.Trim();
        if (text.StartsWith('+'))
        {
            text = text[1..];
        }

        if (text.Length == 0 || !text.All(char.IsAsciiDigit))
        {
            return null;
        }

        string digits = text.TrimStart('0');
        if (digits.Length == 0)
        {
            return null;
        }

        return digits.Length > 10 || long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture) > int.MaxValue
            ? int.MaxValue
            : int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
    }
}
