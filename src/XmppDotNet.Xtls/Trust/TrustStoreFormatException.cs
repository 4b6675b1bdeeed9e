namespace XmppDotNet.Xtls.Trust;

/// <summary>A trust store file cannot be read: it says where and what is wrong. The file is left untouched.</summary>
public sealed class TrustStoreFormatException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    public TrustStoreFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public TrustStoreFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public TrustStoreFormatException()
        : base("The trust store file is not valid.")
    {
    }

    internal TrustStoreFormatException(string path, int lineNumber, string problem)
        : base($"Trust store '{path}', line {lineNumber}: {problem}")
    {
        Path = path;
        LineNumber = lineNumber;
    }

    /// <summary>The file, if known.</summary>
    public string? Path { get; }

    /// <summary>The 1-based line number of the problem, or 0 if it concerns the whole file.</summary>
    public int LineNumber { get; }
}
