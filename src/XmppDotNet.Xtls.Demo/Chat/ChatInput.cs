using XmppDotNet.Xtls.Demo.Cli;

namespace XmppDotNet.Xtls.Demo.Chat;

/// <summary>Standard input of a chat, one line at a time, read off the chat's own thread.</summary>
internal static class ChatInput
{
    /// <summary>
    /// Starts reading the next line. Reading a console may block its thread, so it runs on the thread pool:
    /// the chat notices the end of the tunnel, of the session, or Ctrl-C while it waits for input.
    /// </summary>
    public static Task<string?> Next(BoundedLineReader lines) =>
        Task.Run(() => lines.ReadLineAsync(CancellationToken.None).AsTask(), CancellationToken.None);

    /// <summary>The line read, or <c>null</c> at end of input.</summary>
    /// <exception cref="ProgramFailure">The line was too long or input could not be read (exit code 2).</exception>
    public static async Task<string?> TakeAsync(Task<string?> reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        try
        {
            return await reading.ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            throw ProgramFailure.Usage(e.Message, e);
        }
        catch (IOException e)
        {
            throw ProgramFailure.Usage("cannot read standard input: " + e.Message, e);
        }
    }
}
