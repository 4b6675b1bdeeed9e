namespace XmppDotNet.Xtls.Host.Session;

/// <summary>A thread-safe set of disco#info feature names, kept in insertion order for stable replies.</summary>
public sealed class FeatureSet
{
    private readonly Lock _gate = new();
    private readonly List<string> _features = [];

    /// <summary>Adds a feature; adding one twice has no effect.</summary>
    public void Add(string feature)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(feature);
        lock (_gate)
        {
            if (!_features.Contains(feature, StringComparer.Ordinal))
            {
                _features.Add(feature);
            }
        }
    }

    /// <summary>Removes a feature.</summary>
    public bool Remove(string feature)
    {
        lock (_gate)
        {
            return _features.Remove(feature);
        }
    }

    /// <summary>Whether the feature is present.</summary>
    public bool Contains(string feature)
    {
        lock (_gate)
        {
            return _features.Contains(feature, StringComparer.Ordinal);
        }
    }

    /// <summary>A snapshot of the features.</summary>
    public IReadOnlyList<string> ToList()
    {
        lock (_gate)
        {
            return [.. _features];
        }
    }
}
