using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Ferry.Testing;

namespace Ferry.Cli.Tests;

/// <summary><c>serve --cert/--key</c> with a certificate from a CA, and <c>push --ca</c>: that CA is trusted, another one is not.</summary>
public sealed class RemoteCaTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ferry-ca-").FullName;
    private TestDb _target = null!;
    private string _archive = null!;

    public async Task InitializeAsync()
    {
        await using var source = await TestDb.CreateAsync("sqlite", CommunityFixture.SourceData);
        _target = await TestDb.CreateAsync("sqlite", CommunityFixture.TargetData);
        _archive = Path.Combine(_dir, "beta.tar.gz");
        var export = await CliRun.RunAsync(["export", "--from", source.ConnectionString, "--root", "groups", "--ids", "2", "--no-encrypt", "-o", _archive]);
        Assert.True(export.ExitCode == 0, export.Stderr);
    }

    public async Task DisposeAsync()
    {
        await _target.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Push_trusts_the_ca_it_is_given_and_no_other()
    {
        using var ca = CreateCa("CN=ferry test CA");
        using var other = CreateCa("CN=another CA");
        await File.WriteAllTextAsync(Path.Combine(_dir, "ca.pem"), ca.ExportCertificatePem());
        await File.WriteAllTextAsync(Path.Combine(_dir, "other.pem"), other.ExportCertificatePem());
        IssueServerCertificate(ca, Path.Combine(_dir, "server.pem"), Path.Combine(_dir, "server.key"));
        await using var serve = await ServeHost.StartAsync(_dir, _target.ConnectionString, "127.0.0.1/32",
            "--cert", Path.Combine(_dir, "server.pem"), "--key", Path.Combine(_dir, "server.key"), "--allow-plaintext");
        var before = await _target.DumpAsync();

        var untrusted = await CliRun.RunAsync(["push", _archive, "--url", serve.Url, "--token-file", serve.TokenFile, "--ca", Path.Combine(_dir, "other.pem")]);
        var trusted = await CliRun.RunAsync(["push", _archive, "--url", serve.Url, "--token-file", serve.TokenFile, "--ca", Path.Combine(_dir, "ca.pem"), "--match", "users:email", "--dry-run"]);

        untrusted.AssertFails(ExitCodes.Failure, "not issued by --ca");
        Assert.True(trusted.ExitCode == 0, trusted.Stderr);
        Assert.Contains("Dry run complete", trusted.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, await _target.DumpAsync());
        Assert.False(Directory.Exists(serve.StateDir), "no self-signed certificate is created when --cert is given");
    }

    private static X509Certificate2 CreateCa(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    private static void IssueServerCertificate(X509Certificate2 ca, string certFile, string keyFile)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(10), [1, 2, 3, 4]);
        File.WriteAllText(certFile, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
    }
}
