namespace XmppDotNet.Xtls.Identity;

/// <summary>
/// An identity could not be loaded: malformed PEM or PKCS#12 data, a wrong password, a key that does not
/// belong to the certificate, or an unsupported key type.
/// </summary>
public sealed class XtlsIdentityException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    public XtlsIdentityException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public XtlsIdentityException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public XtlsIdentityException()
        : base("The XTLS identity could not be loaded.")
    {
    }
}
