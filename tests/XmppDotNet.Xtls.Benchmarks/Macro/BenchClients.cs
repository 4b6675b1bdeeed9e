using System.Security.Cryptography.X509Certificates;
using XmppDotNet.Xtls.Host.Client;
using XmppDotNet.Xtls.Host.Router;

namespace XmppDotNet.Xtls.Benchmarks.Macro;

/// <summary>Builds the benchmark's clients: on the in-memory router or on a real server, with or without XTLS.</summary>
internal static class BenchClients
{
    public const string Password = "bench-password";

    public static XmppClient OnRouter(InMemoryRouter router, string user, string resource, Action<XtlsOptions>? xtls) =>
        Finish(new XmppClientBuilder()
            .WithJid($"{user}@{router.Domain}")
            .WithPassword(Password)
            .WithResource(resource)
            .WithInMemoryRouter(router), xtls);

    public static XmppClient OnServer(string host, int port, string domain, X509Certificate2 serverCertificate, string user, string resource, Action<XtlsOptions>? xtls) =>
        BuilderOnServer(host, port, domain, serverCertificate, user, resource, xtls).Build();

    public static XmppClientBuilder BuilderOnServer(string host, int port, string domain, X509Certificate2 serverCertificate, string user, string resource, Action<XtlsOptions>? xtls) =>
        Configure(new XmppClientBuilder()
            .WithJid($"{user}@{domain}")
            .WithPassword(Password)
            .WithResource(resource)
            .WithTcpServer(host, port)
            .WithPinnedServerCertificate(serverCertificate), xtls);

    private static XmppClient Finish(XmppClientBuilder builder, Action<XtlsOptions>? xtls) => Configure(builder, xtls).Build();

    private static XmppClientBuilder Configure(XmppClientBuilder builder, Action<XtlsOptions>? xtls)
    {
        builder.Configure(o =>
        {
            o.SendInitialPresence = false;
            o.MaxPendingIqs = 100_000;
            o.NegotiationTimeout = TimeSpan.FromSeconds(60);
        });
        if (xtls is not null)
        {
            builder.UseXtls(xtls);
        }

        return builder;
    }
}
