using System.Globalization;

namespace XmppDotNet.Xtls.Host.Xml;

/// <summary>The namespace bindings in scope while writing XML: a stack of (prefix, namespace), prefix "" for the default.</summary>
internal sealed class NamespaceScope
{
    private readonly List<KeyValuePair<string, string>> _bindings = [];

    /// <summary>Starts with the bindings of a stream header: the default namespace and <c>stream</c>.</summary>
    public NamespaceScope(string defaultNamespace)
    {
        Bind(string.Empty, defaultNamespace);
        Bind("stream", XmppNamespaces.Streams);
    }

    /// <summary>The number of bindings, to truncate back to when an element closes.</summary>
    public int Count => _bindings.Count;

    /// <summary>Adds a binding that shadows earlier ones of the same prefix.</summary>
    public void Bind(string prefix, string ns) => _bindings.Add(new KeyValuePair<string, string>(prefix, ns));

    /// <summary>Drops the bindings made after <paramref name="count"/>.</summary>
    public void Truncate(int count) => _bindings.RemoveRange(count, _bindings.Count - count);

    /// <summary>The namespace a prefix is bound to, or <c>null</c>.</summary>
    public string? Lookup(string prefix)
    {
        for (int i = _bindings.Count - 1; i >= 0; i--)
        {
            if (_bindings[i].Key == prefix)
            {
                return _bindings[i].Value;
            }
        }

        return null;
    }

    /// <summary>A non-empty prefix bound to <paramref name="ns"/> and not shadowed, or <c>null</c>.</summary>
    public string? FindPrefix(string ns)
    {
        for (int i = _bindings.Count - 1; i >= 0; i--)
        {
            (string prefix, string bound) = _bindings[i];
            if (prefix.Length > 0 && bound == ns && Lookup(prefix) == ns)
            {
                return prefix;
            }
        }

        return null;
    }

    /// <summary>A prefix bound to nothing in scope.</summary>
    public string FreshPrefix()
    {
        for (int n = 0; ; n++)
        {
            string prefix = "ns" + n.ToString(CultureInfo.InvariantCulture);
            if (Lookup(prefix) is null)
            {
                return prefix;
            }
        }
    }
}
