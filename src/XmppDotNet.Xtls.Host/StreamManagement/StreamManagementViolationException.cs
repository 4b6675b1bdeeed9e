namespace XmppDotNet.Xtls.Host.StreamManagement;

/// <summary>The server broke XEP-0198's counting (an <c>h</c> beyond what was sent, or going back).</summary>
internal sealed class StreamManagementViolationException : Exception
{
    public StreamManagementViolationException(string message)
        : base(message)
    {
    }
}
