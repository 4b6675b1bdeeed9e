using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using ReferenceCountUtil = DotNetty.Common.Utilities.ReferenceCountUtil;
using DotNetty.Transport.Channels;

using XmppDotNet.Xtls.Host.Xml;

namespace XmppDotNet.Xtls.Host.StreamManagement;

/// <summary>
/// The XEP-0198 state of one session, across its connections: the counters, the queue of stanzas the
/// server has not acknowledged, the resumption id. Every member runs on the session's event loop.
/// </summary>
internal sealed class StreamManager : IDisposable
{
    private static readonly XName EnableName = XName.Get("enable", XmppNamespaces.StreamManagement);
    private static readonly XName RequestName = XName.Get("r", XmppNamespaces.StreamManagement);
    private static readonly XName AnswerName = XName.Get("a", XmppNamespaces.StreamManagement);
    private static readonly XName ResumeName = XName.Get("resume", XmppNamespaces.StreamManagement);

    private readonly StreamManagementOptions _options;
    private readonly TimeProvider _time;
    private readonly IEventLoop _loop;
    private readonly UnacknowledgedQueue _unacked;
    private IChannel? _transport;
    private ITimer? _ackTimer;
    private bool _countingOutbound;
    private bool _countingInbound;
    private uint _sent;
    private uint _acked;
    private uint _handled;
    private int _sinceRequest;

    // The newest stanzas of the queue that were never written to a connection (sent while it was down):
    // no server can have received them, so no h may acknowledge them.
    private int _untransmitted;

    public StreamManager(StreamManagementOptions options, TimeProvider time, IEventLoop loop)
    {
        _options = options;
        _time = time;
        _loop = loop;
        _unacked = new UnacknowledgedQueue(options.MaxUnacknowledgedStanzas, options.MaxUnacknowledgedBytes);
    }

    /// <summary>Whether stream management is to be enabled when the server offers it.</summary>
    public bool EnableWanted => _options.Enabled;

    /// <summary>Whether <c>enable</c> was sent and not refused: stanzas are counted and kept until acknowledged.</summary>
    public bool Enabled => _countingOutbound;

    /// <summary>The resumption id the server gave, when it allows resumption.</summary>
    public string? ResumeId { get; private set; }

    /// <summary>How long the server keeps a lost session, when it said so (<c>max</c>, in seconds).</summary>
    public TimeSpan? ServerMaxResumption { get; private set; }

    /// <summary>Whether the server's <c>enabled</c> arrived; a second one is ignored.</summary>
    public bool EnabledAnswered => _countingInbound;

    /// <summary>Whether a lost connection can be resumed.</summary>
    public bool CanResume => _countingOutbound && _countingInbound && ResumeId is not null;

    /// <summary>The stanzas sent and not acknowledged yet.</summary>
    public int UnacknowledgedCount => _unacked.Count;

    /// <summary>The number of stanzas handled, modulo 2^32 (our <c>h</c>).</summary>
    public uint Handled => _handled;

    /// <summary>The number of stanzas sent since <c>enable</c>, modulo 2^32.</summary>
    public uint Sent => _sent;

    /// <summary>The connection stanzas are written to now; <c>null</c> while it is down.</summary>
    public void Attach(IChannel? transport) => _transport = transport;

    /// <summary>The <c>enable</c> element; outbound counting starts with it.</summary>
    public XElement CreateEnable()
    {
        _countingOutbound = true;
        var enable = new XElement(EnableName);
        if (_options.Resume)
        {
            enable.SetAttributeValue("resume", "true");
        }

        return enable;
    }

    /// <summary>The server answered <c>enabled</c>: inbound counting starts; a resumption id is kept if resumption was granted.</summary>
    public void OnEnabled(XElement enabled)
    {
        _countingInbound = true;
        string? resume = (string?)enabled.Attribute("resume");
        string? id = (string?)enabled.Attribute("id");
        ResumeId = _options.Resume && resume is "true" or "1" && !string.IsNullOrEmpty(id) ? id : null;
        ServerMaxResumption = uint.TryParse((string?)enabled.Attribute("max"), NumberStyles.None, CultureInfo.InvariantCulture, out uint max) && max > 0
            ? TimeSpan.FromSeconds(max)
            : null;
    }

    /// <summary>The server refused to enable: nothing is counted or kept any more.</summary>
    public void OnEnableFailed()
    {
        _countingOutbound = false;
        _countingInbound = false;
        ResumeId = null;
        _unacked.Clear();
        _untransmitted = 0;
        CancelAckTimer();
    }

    /// <summary>An inbound stanza was handed to the session.</summary>
    public void OnStanzaHandled()
    {
        if (_countingInbound)
        {
            _handled++;
        }
    }

    /// <summary>The answer to <c>r</c>.</summary>
    public XElement CreateAnswer() => new(AnswerName, new XAttribute("h", _handled.ToString(CultureInfo.InvariantCulture)));

    /// <summary>The resumption request for a new connection.</summary>
    public XElement CreateResume() =>
        new(ResumeName, new XAttribute("previd", ResumeId!), new XAttribute("h", _handled.ToString(CultureInfo.InvariantCulture)));

    /// <summary>An acknowledgement: drops what it covers.</summary>
    /// <exception cref="StreamManagementViolationException">It acknowledges more than was sent.</exception>
    public void OnAck(XElement answer) => Acknowledge(answer);

    /// <summary>
    /// The server resumed the stream on <paramref name="transport"/>: drops what it acknowledged, then
    /// writes exactly the rest again, in order. Returns how many were written again.
    /// </summary>
    /// <exception cref="StreamManagementViolationException">
    /// Its <c>previd</c> is not the session's, or its <c>h</c> acknowledges more than was sent, stanzas never written to a
    /// connection, or less than before.
    /// </exception>
    public int OnResumed(XElement resumed, IChannel transport)
    {
        if (!IsThisSession((string?)resumed.Attribute("previd")))
        {
            throw new StreamManagementViolationException("The server resumed a session other than the one asked for (previd).");
        }

        Acknowledge(resumed);
        _transport = transport;
        object[] rest = _unacked.Snapshot();
        foreach (object stanza in rest)
        {
            // The queue keeps its reference until the server acknowledges; the connection gets one of its own.
            _ = transport.WriteAsync(ReferenceCountUtil.Retain(stanza));
        }

        _untransmitted = 0;
        _sinceRequest = 0;
        if (rest.Length > 0)
        {
            _ = transport.WriteAsync(new XElement(RequestName));
        }

        transport.Flush();
        return rest.Length;
    }

    /// <summary>
    /// The server refused to resume. Its <c>failed</c> may carry the <c>h</c> it had handled (XEP-0198 §5): what that
    /// acknowledges is dropped, so that only what the server never got is reported as not delivered. An <c>h</c>
    /// that is missing or impossible (beyond what was written, or going back) drops nothing: everything unacknowledged
    /// is reported, which may over-report but never hides a loss.
    /// </summary>
    /// <returns>How many stanzas the <c>h</c> acknowledged.</returns>
    public int OnResumeFailed(XElement failed)
    {
        if (!uint.TryParse((string?)failed.Attribute("h"), NumberStyles.None, CultureInfo.InvariantCulture, out uint h))
        {
            return 0;
        }

        uint newly = unchecked(h - _acked);
        if (newly > (uint)(_unacked.Count - _untransmitted))
        {
            return 0;
        }

        _unacked.Drop((int)newly);
        _acked = h;
        return (int)newly;
    }

    /// <summary>
    /// Writes a message from the session to the server (flushed by <see cref="Flush"/>). A stanza is counted and
    /// kept until acknowledged; while the connection is down it only waits in the queue and goes out with the resumption.
    /// </summary>
    /// <returns><c>null</c>, or why the message could not be accepted.</returns>
    /// <remarks>
    /// Takes one reference of a reference-counted message (a <see cref="PayloadStanza"/>): it goes to the connection,
    /// or is released here when the message is refused or waits for a resumption. A kept stanza holds a reference of its own.
    /// </remarks>
    /// <exception cref="ArgumentException">A counted stanza cannot be serialised; the message was not taken.</exception>
    public Exception? Write(object message)
    {
        IChannel? transport = _transport is { Active: true } active ? active : null;
        if (_countingOutbound && CountedBytes(message) is int bytes)
        {
            if (!_unacked.CanEverHold(bytes))
            {
                // Not "queue full": waiting would never help, so an application retrying on that must not loop.
                ReferenceCountUtil.Release(message);
                return new ArgumentException($"The stanza ({bytes} bytes) is larger than the unacknowledged queue may hold ({_options.MaxUnacknowledgedBytes} bytes); it was not sent.", nameof(message));
            }

            if (!_unacked.TryAdd(message, bytes))
            {
                ReferenceCountUtil.Release(message);
                // One request per stall: an application retrying against the full queue must not flood the server.
                if (_sinceRequest > 0)
                {
                    RequestAck();
                }

                return new XmppUnacknowledgedQueueFullException(
                    $"{_unacked.Count} stanzas ({_unacked.Bytes} bytes) are waiting for the server's acknowledgement; the stanza was not sent.");
            }

            _sent++;
            if (transport is null)
            {
                _untransmitted++;
                ReferenceCountUtil.Release(message);
                return null;
            }

            _ = transport.WriteAsync(message);
            if (++_sinceRequest >= _options.AckRequestEvery)
            {
                RequestAck();
            }
            else
            {
                ArmAckTimer();
            }

            return null;
        }

        if (transport is null)
        {
            ReferenceCountUtil.Release(message);
            return new ClosedChannelException();
        }

        _ = transport.WriteAsync(message);
        return null;
    }

    // The bytes of a stanza that counts for XEP-0198, measured without building a string; null for anything else.
    private static int? CountedBytes(object message) => message switch
    {
        XElement stanza when IsStanza(stanza) => StanzaWriter.GetByteCount(stanza, XmppNamespaces.Client),
        PayloadStanza payload when IsStanza(payload.Stanza) => StanzaWriter.GetByteCount(payload, XmppNamespaces.Client),
        _ => null,
    };

    /// <summary>Flushes what <see cref="Write"/> wrote to the current connection, once per flush of the session.</summary>
    public void Flush()
    {
        if (_transport is { Active: true } transport)
        {
            transport.Flush();
        }
    }

    /// <summary>The session ended for good: what was never acknowledged, oldest first.</summary>
    public XElement[] TakeUnacknowledged()
    {
        _transport = null;
        CancelAckTimer();
        _untransmitted = 0;
        return _unacked.TakeAll();
    }

    /// <summary>Sets the counters, as a session restored from elsewhere would (and to reach 2^32 in tests).</summary>
    internal void RestoreCounters(uint sent, uint handled)
    {
        _sent = sent;
        _acked = sent;
        _handled = handled;
    }

    /// <inheritdoc />
    public void Dispose() => CancelAckTimer();

    internal static bool IsStanza(XElement element) =>
        element.Name.Namespace == XmppNamespaces.Client && element.Name.LocalName is "message" or "presence" or "iq";

    private void Acknowledge(XElement answer)
    {
        if (!uint.TryParse((string?)answer.Attribute("h"), NumberStyles.None, CultureInfo.InvariantCulture, out uint h))
        {
            throw new StreamManagementViolationException("The server's h is not a number.");
        }

        // h counts modulo 2^32 (XEP-0198 §4): the distance from the last h is what it acknowledges now.
        uint newly = unchecked(h - _acked);
        if (newly > (uint)_unacked.Count)
        {
            throw new StreamManagementViolationException($"h beyond sent: h={h}, sent={_sent}, acknowledged before={_acked}.");
        }

        if (newly > (uint)(_unacked.Count - _untransmitted))
        {
            throw new StreamManagementViolationException($"h acknowledges stanzas never written to the server: h={h}, written={unchecked(_sent - (uint)_untransmitted)}.");
        }

        _unacked.Drop((int)newly);
        _acked = h;
        if (_unacked.Count == 0)
        {
            CancelAckTimer();
        }
    }

    /// <summary>Compares in constant time, as every identifier the server could be probed for.</summary>
    private bool IsThisSession(string? previd) =>
        previd is not null && ResumeId is not null &&
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(previd), Encoding.UTF8.GetBytes(ResumeId));

    private void RequestAck()
    {
        _sinceRequest = 0;
        CancelAckTimer();
        if (_transport is { Active: true } transport)
        {
            _ = transport.WriteAndFlushAsync(new XElement(RequestName));
        }
    }

    private void ArmAckTimer()
    {
        _ackTimer ??= _time.CreateTimer(
            _ => _loop.Execute(() =>
            {
                _ackTimer?.Dispose();
                _ackTimer = null;
                if (_unacked.Count > 0)
                {
                    RequestAck();
                }
            }),
            null,
            _options.AckRequestDelay,
            Timeout.InfiniteTimeSpan);
    }

    private void CancelAckTimer()
    {
        _ackTimer?.Dispose();
        _ackTimer = null;
    }
}
