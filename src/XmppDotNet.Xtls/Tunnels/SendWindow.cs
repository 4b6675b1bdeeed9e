namespace XmppDotNet.Xtls.Tunnels;

/// <summary>
/// How many <c>data</c> IQs of one tunnel may be unacknowledged at once, sized from how acknowledgements
/// come back rather than fixed: about twice the bytes the path delivers in its shortest round trip
/// (delivery rate × minimum round trip, the path's bandwidth-delay product), never fewer than one IQ
/// (<see cref="FloorIqs"/> during a bulk transfer) and never more than the configured window.
/// </summary>
/// <remarks>
/// Through a fast path the budget covers the whole configured window. Through a server that throttles
/// its clients (ejabberd's 3000 B/s, Debian's Prosody at 10 kB/s) the delivery rate is low and round trips
/// are long only because of queueing, so the budget falls to the floor: one IQ, or two in a bulk transfer,
/// one passing the throttle while the other's acknowledgement comes back. What the application writes meanwhile waits
/// here and leaves in one bigger IQ instead of many small ones, each with its own acknowledgement, which
/// is what a throttle that counts bytes rewards. A <c>wait</c> error halves the budget. Nothing is ever
/// dropped: the window only decides when queued bytes leave.
/// </remarks>
internal sealed class SendWindow
{
    /// <summary>The IQs always allowed in flight during a bulk transfer (when the configured window allows as many); one otherwise.</summary>
    public const int FloorIqs = 2;

    /// <summary>The budget is this many times the measured bandwidth-delay product.</summary>
    public const double Gain = 2.0;

    /// <summary>
    /// The smallest chunk the window asks for: through a throttle, an IQ that takes seconds to pass holds up the
    /// acknowledgements queued behind it at the same server; below this the per-IQ overhead would grow instead.
    /// </summary>
    public const int SlowPathChunkBytes = 4096;

    /// <summary>
    /// A delivery rate at which the path counts as fast whatever its round trips: the throttles servers apply run
    /// at a few kB/s, while a fast path measured with only one or two IQs out (a round trip of queueing inside
    /// the two clients and the server) would otherwise keep the window from ever opening.
    /// </summary>
    public const double FastPathBytesPerSecond = 256 * 1024;

    /// <summary>Rate samples kept; the budget uses the highest of them.</summary>
    public const int RateSamples = 8;

    private readonly int _maxIqs;
    private int _chunkSize;
    private long _maxBytes;
    private readonly double[] _rates = new double[RateSamples];
    private int _nextRate;
    private int _rateCount;
    private TimeSpan? _minRoundTrip;
    private long _delivered;

    /// <param name="maxIqs">The configured window: the most IQs in flight (1 to 256).</param>
    /// <param name="chunkSize">The most bytes per IQ; with <paramref name="maxIqs"/> it bounds the budget.</param>
    public SendWindow(int maxIqs, int chunkSize)
    {
        _maxIqs = maxIqs;
        _chunkSize = chunkSize;
        _maxBytes = (long)maxIqs * chunkSize;
        BudgetBytes = _maxBytes;
    }

    /// <summary>
    /// The path's largest chunk changed (a new connection announced another stanza limit): the next IQs use the new
    /// size, and the budget never exceeds what the window allows with it.
    /// </summary>
    /// <param name="chunkSize">The most bytes per IQ from now on.</param>
    public void Resize(int chunkSize)
    {
        _chunkSize = chunkSize;
        _maxBytes = (long)_maxIqs * chunkSize;
        BudgetBytes = Math.Min(BudgetBytes, _maxBytes);
    }

    /// <summary>The bytes that may be in flight now (besides the floor of IQs); starts at the most.</summary>
    public long BudgetBytes { get; private set; }

    /// <summary>Every byte acknowledged so far.</summary>
    public long Delivered => _delivered;

    /// <summary>The IQs always allowed in flight during a bulk transfer.</summary>
    public int Floor => Math.Min(FloorIqs, _maxIqs);

    /// <summary>
    /// The most bytes the next IQ should carry: the configured chunk size while the budget covers it, down to
    /// <see cref="SlowPathChunkBytes"/> (or the configured size, if smaller) through a slow path.
    /// </summary>
    public int ChunkBytes => (int)Math.Min(_chunkSize, Math.Max(SlowPathChunkBytes, BudgetBytes));

    /// <summary>
    /// Whether one more IQ may go out with these in flight and this much queued. One IQ may always be in flight;
    /// a second one while more than it can carry waits (a bulk transfer keeps a throttle busy while the first one's
    /// acknowledgement comes back); more within the budget.
    /// </summary>
    public bool Allows(int inFlightIqs, long inFlightBytes, long queuedBytes) =>
        inFlightIqs == 0
        || (inFlightIqs < Floor && queuedBytes > ChunkBytes)
        || (inFlightIqs < _maxIqs && inFlightBytes < BudgetBytes);

    /// <summary>
    /// An IQ was acknowledged: its round trip and the delivery rate since it was sent give a new budget.
    /// </summary>
    /// <param name="bytes">The IQ's payload bytes.</param>
    /// <param name="sentAt">When it was sent.</param>
    /// <param name="deliveredAtSend">What <see cref="Delivered"/> was when it was sent.</param>
    /// <param name="now">The current time.</param>
    public void OnAcknowledged(int bytes, DateTimeOffset sentAt, long deliveredAtSend, DateTimeOffset now)
    {
        _delivered += bytes;
        TimeSpan roundTrip = now - sentAt;
        if (roundTrip <= TimeSpan.Zero)
        {
            // Answered within the clock's resolution: nothing limits this path.
            BudgetBytes = _maxBytes;
            return;
        }

        // The shortest round trip of the tunnel's life: a later, longer one is queueing, which a budget grown
        // from it would only feed (letting it expire makes the window run away through a throttle).
        if (_minRoundTrip is null || roundTrip < _minRoundTrip)
        {
            _minRoundTrip = roundTrip;
        }

        _rates[_nextRate] = (_delivered - deliveredAtSend) / roundTrip.TotalSeconds;
        _nextRate = (_nextRate + 1) % RateSamples;
        _rateCount = Math.Min(_rateCount + 1, RateSamples);
        double rate = 0;
        for (int i = 0; i < _rateCount; i++)
        {
            rate = Math.Max(rate, _rates[i]);
        }

        double budget = rate >= FastPathBytesPerSecond ? _maxBytes : Gain * rate * _minRoundTrip.Value.TotalSeconds;
        BudgetBytes = budget >= _maxBytes ? _maxBytes : (long)budget;
    }

    /// <summary>The peer's server answered <c>wait</c>: the path is overloaded, so the budget halves.</summary>
    public void OnWait()
    {
        BudgetBytes /= 2;
        for (int i = 0; i < _rateCount; i++)
        {
            _rates[i] /= 2;
        }
    }
}
