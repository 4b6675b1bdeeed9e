using SharpFuzz;

namespace XmppDotNet.Xtls.Fuzz;

/// <summary>
/// The fuzzing entry point: <c>XmppDotNet.Xtls.Fuzz TARGET</c> runs a target under AFL++ (instrumented with
/// sharpfuzz); <c>XmppDotNet.Xtls.Fuzz TARGET FILE...</c> runs it once on each file, to replay a finding.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length == 0 || !FuzzTargets.TryGet(args[0], out Action<byte[]>? target))
        {
            Console.Error.WriteLine($"usage: XmppDotNet.Xtls.Fuzz ({string.Join(" | ", FuzzTargets.Names)}) [input file...]");
            return 2;
        }

        if (args.Length > 1)
        {
            foreach (string path in args.Skip(1))
            {
                target(File.ReadAllBytes(path));
            }

            return 0;
        }

        // Out of process: a stack overflow or a fatal runtime error is reported as a crash too.
        Fuzzer.OutOfProcess.Run(stream => target(FuzzInput.Read(stream)));
        return 0;
    }
}
