namespace XmppDotNet.Xtls.Demo.Io;

/// <summary>Reads a password from the terminal without echoing it.</summary>
internal static class TerminalSecret
{
    /// <summary>The longest secret accepted at the prompt, in characters.</summary>
    public const int MaxLength = 1024;

    /// <summary>Shows the prompt on standard error and reads until Enter; <c>null</c> if input ends (Ctrl-D) first.</summary>
    public static char[]? Read(string prompt)
    {
        System.Console.Error.Write(prompt);
        char[] buffer = new char[MaxLength];
        int length = 0;
        try
        {
            while (true)
            {
                ConsoleKeyInfo key = System.Console.ReadKey(intercept: true);
                switch (key.Key)
                {
                    case ConsoleKey.Enter:
                        return buffer[..length];
                    case ConsoleKey.Backspace:
                        length = Math.Max(0, length - 1);
                        break;
                    case ConsoleKey.D when key.Modifiers.HasFlag(ConsoleModifiers.Control):
                        return null;
                    default:
                        if (!char.IsControl(key.KeyChar) && length < MaxLength)
                        {
                            buffer[length++] = key.KeyChar;
                        }

                        break;
                }
            }
        }
        finally
        {
            Array.Clear(buffer);
            System.Console.Error.WriteLine();
        }
    }
}
