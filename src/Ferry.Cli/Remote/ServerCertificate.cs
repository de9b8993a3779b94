using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Ferry.Cli.Remote;

/// <summary>
/// The TLS certificate of <c>ferry serve</c>: PEM files given with <c>--cert/--key</c>, or a
/// self-signed ECDSA P-256 certificate created on first start and kept in the state directory
/// (mode 0600), whose SHA-256 fingerprint clients pin with <c>ferry push --pin</c>.
/// </summary>
public static class ServerCertificate
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Loads the PEM certificate and key; a clear error when they cannot be read.</summary>
    public static X509Certificate2 Load(string certFile, string keyFile)
    {
        try
        {
            return X509Certificate2.CreateFromPemFile(certFile, keyFile);
        }
        catch (Exception e) when (e is IOException or CryptographicException or ArgumentException or UnauthorizedAccessException)
        {
            throw new FerryException($"cannot load the certificate '{certFile}' with key '{keyFile}': {e.Message}");
        }
    }

    /// <summary>The certificate for <paramref name="host"/> in <paramref name="stateDir"/>, created when missing or expiring.</summary>
    public static (X509Certificate2 Certificate, bool Created) LoadOrCreate(string stateDir, IPAddress host)
    {
        var name = host.ToString().Replace(':', '_');
        var certFile = Path.Combine(stateDir, $"serve-{name}.crt.pem");
        var keyFile = Path.Combine(stateDir, $"serve-{name}.key.pem");
        if (File.Exists(certFile) && File.Exists(keyFile))
        {
            var existing = Load(certFile, keyFile);
            if (existing.NotAfter > DateTime.Now.AddDays(30))
            {
                return (existing, false);
            }
        }
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(stateDir);
        }
        else
        {
            Directory.CreateDirectory(stateDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=ferry serve", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(host);
        names.AddDnsName(Dns.GetHostName());
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
        Write(keyFile, key.ExportPkcs8PrivateKeyPem());
        Write(certFile, certificate.ExportCertificatePem());
        return (Load(certFile, keyFile), true);
    }

    /// <summary>SHA-256 of the DER certificate, as colon-separated upper-case hex.</summary>
    public static string Fingerprint(X509Certificate2 certificate) =>
        string.Join(':', SHA256.HashData(certificate.RawData).Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>A fingerprint as given by people: hex, colons optional, any case; null when it is not 32 bytes of hex.</summary>
    public static byte[]? ParseFingerprint(string text)
    {
        var hex = text.Replace(":", "", StringComparison.Ordinal).Trim();
        try
        {
            var bytes = Convert.FromHexString(hex);
            return bytes.Length == SHA256.HashSizeInBytes ? bytes : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static void Write(string path, string text)
    {
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = Private;
        }
        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(text);
    }
}
