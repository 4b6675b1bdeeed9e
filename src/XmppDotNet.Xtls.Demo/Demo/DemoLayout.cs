using XmppDotNet.Xtls.Demo.Io;

namespace XmppDotNet.Xtls.Demo.Demo;

/// <summary>
/// The demo's page: numbered sections and rows of <c>who  what  detail</c>, coloured on a terminal and
/// plain when redirected. Written from one thread (the demo prints each phase once it is complete).
/// </summary>
internal sealed class DemoLayout
{
    private const int WhoWidth = 17;
    private const int FactWidth = 13;
    private const int WhatWidth = 12;

    private readonly TextWriter _out;
    private readonly int _width;

    /// <summary>Creates the layout.</summary>
    public DemoLayout(TextWriter output, Styler style, int width)
    {
        _out = output;
        Style = style;
        _width = Math.Max(60, width);
    }

    /// <summary>The colours in use.</summary>
    public Styler Style { get; }

    /// <summary>The room left for a row's detail, for shortening long XML.</summary>
    public int DetailWidth => Math.Max(60, _width - WhoWidth - WhatWidth - 4);

    /// <summary>A plain line.</summary>
    public void Line(string text = "") => _out.WriteLine(text);

    /// <summary>A section heading.</summary>
    public void Section(string title)
    {
        _out.WriteLine();
        if (Style.Enabled)
        {
            string rule = new('─', Math.Max(3, Math.Min(_width, 100) - title.Length - 4));
            _out.WriteLine(Style.Cyan(Style.Bold($"── {title} ")) + Style.Cyan(rule));
        }
        else
        {
            _out.WriteLine($"== {title} ==");
        }
    }

    /// <summary>A row: who (already styled, of visible length <paramref name="whoLength"/>), what, and the detail.</summary>
    public void Row(string who, int whoLength, string what, string detail)
    {
        string whoPadding = new(' ', Math.Max(1, WhoWidth - whoLength));
        string whatPadding = new(' ', Math.Max(1, WhatWidth - what.Length));
        _out.WriteLine($"  {who}{whoPadding}{Style.Bold(what)}{whatPadding}{detail}");
    }

    /// <summary>A summary line: a label and its detail.</summary>
    public void Fact(string label, string detail) =>
        _out.WriteLine($"  {Style.Bold(label)}{new string(' ', Math.Max(1, FactWidth - label.Length))}{detail}");

    /// <summary>A continuation line under a summary line's detail.</summary>
    public void FactMore(string detail) => _out.WriteLine(new string(' ', 2 + FactWidth) + detail);

    /// <summary>A continuation line under a row's detail.</summary>
    public void More(string detail) => _out.WriteLine(new string(' ', 2 + WhoWidth + WhatWidth) + detail);

    /// <summary>Flushes the output.</summary>
    public void Flush() => _out.Flush();
}
