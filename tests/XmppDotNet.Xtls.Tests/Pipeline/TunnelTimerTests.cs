using System.Xml.Linq;
using XmppDotNet.Xtls.Host;
using XmppDotNet.Xtls.Pipeline;

namespace XmppDotNet.Xtls.Tests.Pipeline;

/// <summary>
/// The tunnels' timer: armed for the earliest deadline, and left alone while later deadlines come and go, so a busy
/// tunnel does not create a timer per acknowledgement (each one moves the progress deadline).
/// </summary>
public class TunnelTimerTests
{
    [Test]
    public async Task A_hundred_acknowledged_stanzas_create_no_timer_each()
    {
        const int Stanzas = 100;
        var clock = new CountingTimeProvider();
        await using XtlsPair pair = await XtlsPair.StartAsync(romeoClock: clock);
        await pair.RomeoXtls.OpenAsync(pair.Juliet.Jid).WaitAsync(XtlsPair.Bound);
        int before = clock.CreatedBy(typeof(XtlsHandler));

        // One at a time: each send completes when its chunk is acknowledged, which moves the progress deadline.
        for (int i = 0; i < Stanzas; i++)
        {
            await pair.Romeo.SendAsync(XtlsPair.Chat(pair.Juliet.Jid, "line " + i)).WaitAsync(XtlsPair.Bound);
        }

        for (int i = 0; i < Stanzas; i++)
        {
            XElement received = await XtlsPair.NextMessageAsync(pair.JulietInbox);
            Assert.That(received.Element(XName.Get("body", XmppNamespaces.Client))?.Value, Is.EqualTo("line " + i));
        }

        Assert.That(clock.CreatedBy(typeof(XtlsHandler)) - before, Is.LessThanOrEqualTo(2), "a timer per acknowledgement would be 100");
    }

    /// <summary>The system clock, counting the timers created, by the type whose code asked for them.</summary>
    private sealed class CountingTimeProvider : TimeProvider
    {
        private readonly List<Type?> _creators = [];

        public int CreatedBy(Type owner)
        {
            lock (_creators)
            {
                // A lambda's method lives in the owner or in a closure class nested in it.
                return _creators.Count(t => t is not null && (t == owner || t.DeclaringType == owner));
            }
        }

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            lock (_creators)
            {
                _creators.Add(callback.Method.DeclaringType);
            }

            return System.CreateTimer(callback, state, dueTime, period);
        }
    }
}
