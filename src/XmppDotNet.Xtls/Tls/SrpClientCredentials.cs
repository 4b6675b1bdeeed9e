using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Tls;

namespace XmppDotNet.Xtls.Tls;

/// <summary>
/// The SRP client's user name and its private UTF-8 copy of the password, which <see cref="Clear"/> zeroes
/// once the handshake no longer needs it.
/// </summary>
internal sealed class SrpClientCredentials : TlsSrpIdentity
{
    private readonly byte[] _userName;
    private readonly byte[] _password;

    public SrpClientCredentials(byte[] userName, ReadOnlySpan<char> password)
    {
        _userName = userName;
        _password = new byte[Encoding.UTF8.GetByteCount(password)];
        Encoding.UTF8.GetBytes(password, _password);
    }

    public byte[] GetSrpIdentity() => _userName;

    public byte[] GetSrpPassword() => _password;

    public void Clear() => CryptographicOperations.ZeroMemory(_password);
}
