using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace XmppDotNet.Xtls.Tls;

/// <summary>The BouncyCastle SRP server, the counterpart of <see cref="SrpClientPeer"/>.</summary>
internal sealed class SrpServerPeer(BcTlsCrypto crypto, HandshakeState state, SrpVerifierIdentityManager identities)
    : SrpTlsServer(crypto, identities)
{
    public override bool RequiresExtendedMasterSecret() => true;

    public override IDictionary<int, byte[]> GetServerExtensions()
    {
        if (!m_encryptThenMACOffered)
        {
            throw state.Reject(
                TlsFailureReason.HandshakeFailure,
                AlertDescription.handshake_failure,
                "The client did not offer encrypt-then-MAC, which the CBC-based SRP suites require.");
        }

        return base.GetServerExtensions();
    }

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        state.Complete(m_context);
    }

    public override void NotifyAlertReceived(short alertLevel, short alertDescription)
    {
        base.NotifyAlertReceived(alertLevel, alertDescription);
        state.AlertReceived(alertLevel, alertDescription);
    }

    protected override int[] GetSupportedCipherSuites() =>
        TlsUtilities.GetSupportedCipherSuites(Crypto, CipherSuitePolicy.SrpCipherSuites());
}
