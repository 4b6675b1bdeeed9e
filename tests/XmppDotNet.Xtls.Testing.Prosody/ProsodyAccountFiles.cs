using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace XmppDotNet.Xtls.Testing.Prosody;

/// <summary>
/// Writes accounts the way Prosody 0.12's <c>internal_hashed</c> authentication on <c>internal</c>
/// storage keeps them: one Lua file per user under <c>DATA/HOST/accounts/</c>, with the SCRAM-SHA-1
/// stored and server keys, never the password.
/// </summary>
internal static partial class ProsodyAccountFiles
{
    /// <summary>Prosody's default for new accounts.</summary>
    private const int IterationCount = 10_000;

    private const int MaxAccounts = 100_000;

    public static async Task WriteAsync(string dataDirectory, string domain, IEnumerable<KeyValuePair<string, string>> accounts, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(dataDirectory, Encode(domain), "accounts");
        Directory.CreateDirectory(directory);
        var count = 0;
        foreach (var (user, password) in accounts)
        {
            if (++count > MaxAccounts)
            {
                throw new ArgumentException($"More than {MaxAccounts} accounts at once.", nameof(accounts));
            }

            if (!UserPattern().IsMatch(user))
            {
                throw new ArgumentException($"'{user}' is not a user name this writer accepts (lower-case ASCII letters, digits, '.', '-', '_').", nameof(accounts));
            }

            if (password.Length == 0 || password.Any(c => c is < '!' or > '~'))
            {
                throw new ArgumentException("Passwords must be printable ASCII without spaces, so that SASLprep leaves them unchanged.", nameof(accounts));
            }

            await File.WriteAllTextAsync(Path.Combine(directory, Encode(user) + ".dat"), Render(password), cancellationToken);
        }
    }

    /// <summary>Prosody's datamanager file-name encoding: every byte that is not a letter or digit becomes %xx.</summary>
    public static string Encode(string name)
    {
        var encoded = new StringBuilder(name.Length);
        foreach (var b in Encoding.UTF8.GetBytes(name))
        {
            if (char.IsAsciiLetterOrDigit((char)b))
            {
                encoded.Append((char)b);
            }
            else
            {
                encoded.Append(CultureInfo.InvariantCulture, $"%{b:x2}");
            }
        }

        return encoded.ToString();
    }

    /// <summary>The account file for <paramref name="password"/> with a fresh salt (RFC 5802 keys, as Prosody's util.sasl.scram computes them).</summary>
    public static string Render(string password) => Render(password, Guid.NewGuid().ToString("D"));

    /// <summary>The account file for <paramref name="password"/> and <paramref name="salt"/>.</summary>
    public static string Render(string password, string salt)
    {
#pragma warning disable CA5350 // SHA-1 is what SCRAM-SHA-1, and so Prosody's account file, is made of.
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(salt), IterationCount, HashAlgorithmName.SHA1, 20);
        var storedKey = SHA1.HashData(HMACSHA1.HashData(salted, "Client Key"u8));
        var serverKey = HMACSHA1.HashData(salted, "Server Key"u8);
#pragma warning restore CA5350
        return string.Create(
            CultureInfo.InvariantCulture,
            $"return {{\n\t[\"salt\"] = \"{salt}\";\n\t[\"iteration_count\"] = {IterationCount};\n\t[\"stored_key\"] = \"{Convert.ToHexStringLower(storedKey)}\";\n\t[\"server_key\"] = \"{Convert.ToHexStringLower(serverKey)}\";\n}};\n");
    }

    [GeneratedRegex("^[a-z0-9._-]{1,64}$")]
    private static partial Regex UserPattern();
}
