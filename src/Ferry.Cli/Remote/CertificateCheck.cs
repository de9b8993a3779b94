using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Ferry.Cli.Remote;

/// <summary>
/// How <c>ferry push</c> trusts the server: the certificate's SHA-256 must equal <c>--pin</c>, or
/// chain to <c>--ca</c> and name the host; with neither, the system's validation. Remembers a refusal
/// so that the error says why the connection failed.
/// </summary>
public sealed class CertificateCheck(byte[]? pin, X509Certificate2Collection? ca)
{
    /// <summary>True once the server's certificate was refused.</summary>
    public bool Refused { get; private set; }

    /// <summary>What the error says when <see cref="Refused"/>.</summary>
    public string Refusal =>
        pin is not null ? "the server's certificate does not match --pin"
        : ca is not null ? "the server's certificate is not issued by --ca for this host"
        : "the server's certificate is not trusted by this system (use --pin FINGERPRINT, printed by ferry serve, or --ca FILE)";

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        var ok = certificate is not null && (pin, ca) switch
        {
            ({ } p, _) => CryptographicOperations.FixedTimeEquals(SHA256.HashData(certificate.GetRawCertData()), p),
            (_, { } roots) => ChainsTo(new X509Certificate2(certificate), roots) && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0,
            _ => errors == SslPolicyErrors.None,
        };
        Refused |= !ok;
        return ok;
    }

    private static bool ChainsTo(X509Certificate2 certificate, X509Certificate2Collection roots)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using (certificate)
        {
            return chain.Build(certificate);
        }
    }
}
