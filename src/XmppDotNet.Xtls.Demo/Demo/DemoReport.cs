namespace XmppDotNet.Xtls.Demo.Demo;

/// <summary>What the demo checked along the way; it passes when nothing is wrong.</summary>
internal sealed class DemoReport
{
    private readonly List<string> _problems = [];

    /// <summary>Everything that was not as it should be.</summary>
    public IReadOnlyList<string> Problems => _problems;

    /// <summary>Whether every check passed.</summary>
    public bool Passed => _problems.Count == 0;

    /// <summary>Records a check; a failed one becomes a problem.</summary>
    /// <returns><paramref name="condition"/>.</returns>
    public bool Check(bool condition, string problem)
    {
        if (!condition)
        {
            _problems.Add(problem);
        }

        return condition;
    }
}
