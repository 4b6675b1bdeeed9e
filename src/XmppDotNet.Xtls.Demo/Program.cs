using System.Runtime.InteropServices;
using XmppDotNet.Xtls.Demo.Cli;
using XmppDotNet.Xtls.Demo.Io;

// Ctrl-C and SIGTERM cancel the command, which closes its tunnel and session in order before the
// program exits; a second one ends the process at once.
using var interrupted = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = !interrupted.IsCancellationRequested;
    interrupted.Cancel();
};
using PosixSignalRegistration terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = !interrupted.IsCancellationRequested;
    interrupted.Cancel();
});

return await XtlsProgram.RunAsync(args, ProgramConsole.FromSystem(), interrupted.Token).ConfigureAwait(false);
