using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Tunnels;

/// <summary>A tunnel manager with its outputs drained: stanzas into an outbox, everything else into events.</summary>
internal sealed class Endpoint
{
    public Endpoint(string jid, TunnelManagerOptions? options = null, string? idPrefix = null)
    {
        Jid = Jid.Parse(jid);
        Manager = new TunnelManager(Jid, options, idPrefix ?? Jid.Local![0] + "-");
    }

    public Jid Jid { get; }

    public TunnelManager Manager { get; }

    /// <summary>Stanzas sent and not yet delivered or taken.</summary>
    public Queue<XElement> Outbox { get; } = new();

    /// <summary>Every stanza ever sent, in order.</summary>
    public List<XElement> Sent { get; } = [];

    /// <summary>Outputs other than stanzas, in order, until taken.</summary>
    public List<TunnelOutput> Events { get; } = [];

    public void Drain()
    {
        while (Manager.TryDequeue(out TunnelOutput? output))
        {
            if (output is SendStanza send)
            {
                Outbox.Enqueue(send.Stanza);
                Sent.Add(send.Stanza);
            }
            else
            {
                Events.Add(output);
                if (output is CiphertextReceived received && AcknowledgeData)
                {
                    // A TLS layer that accepts every byte: the data IQ is answered at once.
                    Manager.AcknowledgeData(received.Remote, received.IqId);
                }
            }
        }
    }

    /// <summary>Whether received ciphertext is acknowledged as soon as it is drained (a TLS layer that accepts everything).</summary>
    public bool AcknowledgeData { get; set; } = true;

    /// <summary>Removes and returns the events of one kind.</summary>
    public List<T> Take<T>()
        where T : TunnelOutput
    {
        Drain();
        List<T> taken = [.. Events.OfType<T>()];
        Events.RemoveAll(e => e is T);
        return taken;
    }

    /// <summary>Removes the only event of one kind, failing when there is not exactly one.</summary>
    public T TakeSingle<T>()
        where T : TunnelOutput
    {
        List<T> taken = Take<T>();
        Assert.That(taken, Has.Count.EqualTo(1), $"expected one {typeof(T).Name}");
        return taken[0];
    }

    /// <summary>Removes and returns the stanzas waiting in the outbox.</summary>
    public List<XElement> TakeOutbox()
    {
        Drain();
        List<XElement> stanzas = [.. Outbox];
        Outbox.Clear();
        return stanzas;
    }

    /// <summary>Removes the only stanza waiting in the outbox, failing when there is not exactly one.</summary>
    public XElement TakeSingleStanza()
    {
        List<XElement> stanzas = TakeOutbox();
        Assert.That(stanzas, Has.Count.EqualTo(1), "expected one stanza");
        return stanzas[0];
    }

    /// <summary>Hands a stanza to the manager, failing unless it is consumed.</summary>
    public void Receive(XElement stanza, DateTimeOffset now)
    {
        Assert.That(Manager.HandleIncoming(Reparse(stanza), now), Is.True, $"not consumed: {stanza}");
        Drain();
    }

    /// <summary>Serialises and parses again, as the wire would.</summary>
    public static XElement Reparse(XElement stanza) => XElement.Parse(stanza.ToString(SaveOptions.DisableFormatting));
}
