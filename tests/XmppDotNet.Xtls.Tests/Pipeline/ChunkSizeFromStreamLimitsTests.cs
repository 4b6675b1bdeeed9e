using System.Text;
using Microsoft.Extensions.Time.Testing;
using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Host.Session;
using XmppDotNet.Xtls.Protocol;
using XmppDotNet.Xtls.Tunnels;

namespace XmppDotNet.Xtls.Tests.Pipeline;

/// <summary>
/// Through a real session pipeline: a server that announces its stanza limit (XEP-0478) gets whole TLS records per
/// <c>data</c> IQ, never more than the limit; one that announces nothing gets the configured chunk size.
/// </summary>
/// <remarks>
/// Romeo's clock stands still, so every acknowledgement comes back within its resolution and the send window stays
/// fully open (it would start small while it measures a real path): what is left to see is the chunk size.
/// </remarks>
public class ChunkSizeFromStreamLimitsTests
{
    // A 12 KiB body is one TLS record of about 12.4 KB: one data IQ when whole records fit, three of 6,144 bytes otherwise.
    private static readonly string Body = new('a', 12 * 1024);

    [Test]
    public async Task The_session_knows_the_limit_the_router_announced_after_authentication()
    {
        await using XtlsPair pair = await XtlsPair.StartAsync(configureRouter: r => r.MaxStanzaBytes = 100_000);

        Assert.That(pair.Romeo.ServerLimits?.MaxBytes, Is.EqualTo(100_000));
    }

    [Test]
    public async Task An_announced_limit_lets_a_whole_record_travel_in_one_data_iq()
    {
        List<XElement> data = await SendThroughTunnelAsync(configureRouter: null, romeoOptions: null);

        Assert.That(data, Has.Count.EqualTo(1), "a 12 KiB message is one record, and the record one data IQ");
        Assert.That(data[0].Value.Length, Is.GreaterThan(TunnelManagerOptions.DefaultChunkSize / 3 * 4));
    }

    [Test]
    public async Task Without_an_announced_limit_data_iqs_keep_to_the_configured_chunk_size()
    {
        List<XElement> data = await SendThroughTunnelAsync(configureRouter: r => r.AnnounceStreamLimits = false, romeoOptions: null);

        Assert.That(data, Has.Count.GreaterThanOrEqualTo(3));
        Assert.That(data.Select(d => Convert.FromBase64String(d.Value).Length), Has.All.LessThanOrEqualTo(TunnelManagerOptions.DefaultChunkSize));
    }

    [Test]
    public async Task Use_stream_limits_off_keeps_the_configured_chunk_size_even_when_a_limit_is_announced()
    {
        List<XElement> data = await SendThroughTunnelAsync(configureRouter: null, romeoOptions: o => o.Tunnels.UseStreamLimits = false);

        Assert.That(data, Has.Count.GreaterThanOrEqualTo(3));
        Assert.That(data.Select(d => Convert.FromBase64String(d.Value).Length), Has.All.LessThanOrEqualTo(TunnelManagerOptions.DefaultChunkSize));
    }

    [Test]
    public async Task A_small_announced_limit_is_never_exceeded()
    {
        // The router ends the stream of any session that sends a bigger stanza, so the message arriving is the proof;
        // the sizes are checked as well.
        const int limit = 7_000;
        List<XElement> data = await SendThroughTunnelAsync(configureRouter: r => r.MaxStanzaBytes = limit, romeoOptions: null);

        Assert.That(data, Has.Count.GreaterThanOrEqualTo(3));
        Assert.That(data.Select(d => Encoding.UTF8.GetByteCount(d.Parent!.ToString(SaveOptions.DisableFormatting))), Has.All.LessThanOrEqualTo(limit));
    }

    /// <summary>Opens a tunnel from Romeo to Juliet, sends one message with the 12 KiB body, returns the data IQs it took (as the router saw them).</summary>
    private static async Task<List<XElement>> SendThroughTunnelAsync(Action<Host.Router.InMemoryRouter>? configureRouter, Action<XtlsOptions>? romeoOptions)
    {
        await using XtlsPair pair = await XtlsPair.StartAsync(romeoOptions: romeoOptions, configureRouter: configureRouter, romeoClock: new FakeTimeProvider(DateTimeOffset.UtcNow));
        await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);
        int before = pair.Routed.Count;

        await pair.Romeo.SendAsync(XtlsPair.Chat(pair.Juliet.Jid, Body)).WaitAsync(XtlsPair.Bound);
        XElement received = await XtlsPair.NextMessageAsync(pair.JulietInbox);

        Assert.That(received.Element(XName.Get("body", XmppNamespaces.Client))?.Value, Is.EqualTo(Body));
        Assert.That(received.IsFromXtlsTunnel(), Is.True);
        string romeo = pair.Romeo.Jid.ToString();
        return [.. pair.Routed.Skip(before)
            .Select(s => XElement.Parse(s))
            .Where(iq => (string?)iq.Attribute("from") == romeo && (string?)iq.Attribute("type") == "set")
            .Select(iq => iq.Element(XtlsElements.DataName))
            .OfType<XElement>()];
    }
}
