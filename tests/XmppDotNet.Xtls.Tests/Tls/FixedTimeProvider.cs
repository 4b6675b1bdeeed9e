namespace XmppDotNet.Xtls.Tests.Tls;

/// <summary>A clock that always says the same time, for validity checks without waiting.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
