using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography;
using System.Text;
using Ferry.Cli.Remote;

namespace Ferry.Cli.Commands;

/// <summary><c>ferry serve</c>: an HTTPS import endpoint into one target, for <c>ferry push</c>.</summary>
public sealed class ServeCommand : FerryCommand
{
    private readonly DatabaseOptions _to = new("to", "Target");
    private readonly Option<string> _listen = new("--listen") { Description = "Address and port to listen on: IP:PORT, e.g. 0.0.0.0:8443 or [::]:8443", Required = true };
    private readonly Option<string> _tokenFile = new("--token-file") { Description = "File whose first line (16 characters at least) is the token clients send" };
    private readonly Option<string[]> _allow = new("--allow") { Description = "Client addresses allowed, CIDR, comma-separated (0.0.0.0/0 and ::/0 allow everyone)" };
    private readonly Option<string> _cert = new("--cert") { Description = "TLS certificate (PEM); without it a self-signed one is created in --state-dir" };
    private readonly Option<string> _key = new("--key") { Description = "The certificate's private key (PEM)" };
    private readonly Option<string> _stateDir = new("--state-dir") { Description = "Where the self-signed certificate is kept (default $XDG_STATE_HOME/ferry or ~/.local/state/ferry)" };
    private readonly Option<string> _maxSize = new("--max-size") { Description = "Largest archive accepted: bytes, or with K, M, G, T (default 4G)", DefaultValueFactory = _ => "4G" };
    private readonly Option<string> _uploadTimeout = new("--upload-timeout")
    {
        Description = "Longest time one upload may keep the server waiting for its archive, in all (time spent importing what arrived does not count): seconds, or with s, m, h (default 1h)",
        DefaultValueFactory = _ => "1h",
    };
    private readonly Option<string> _minRate = new("--min-upload-rate")
    {
        Description = "Bytes per second that must arrive over every --rate-window of waiting, or the upload is cut as too slow: bytes, or with K, M (default 16K; 0: no minimum)",
        DefaultValueFactory = _ => "16K",
    };
    private readonly Option<string> _rateWindow = new("--rate-window")
    {
        Description = "The waiting time --min-upload-rate is measured over, also the grace before it is first checked (default 60s)",
        DefaultValueFactory = _ => "60s",
    };
    private readonly Option<string> _logFile = new("--log-file") { Description = "Also append one line per request to this file" };
    private readonly Option<string> _profile = ProfileOptions.Profile();
    private readonly Option<string[]> _files = ProfileOptions.Files("target");
    private readonly ArchiveOptions _archiveOptions = new("Accept unencrypted archives (.tar.gz), which have no integrity protection: anyone who can alter one in transit or at rest changes what is imported");

    public ServeCommand(CliContext context)
        : base("serve", "Accept archives over HTTPS (from ferry push) and import them into a target", context)
    {
        foreach (var option in new Option[] { _to.Connection, _to.PasswordFile, _listen, _tokenFile, _allow, _cert, _key, _stateDir, _maxSize, _uploadTimeout, _minRate, _rateWindow, _logFile, _profile, _files }.Concat(_archiveOptions.All))
        {
            Options.Add(option);
        }
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var (host, port) = ServeSettings.ParseListen(parseResult.GetRequiredValue(_listen));
        var allow = ServeSettings.ParseAllow(SplitList(parseResult.GetValue(_allow)));
        var token = ServeSettings.ReadToken(parseResult.GetValue(_tokenFile));
        var maxSize = ServeSettings.ParseSize(parseResult.GetRequiredValue(_maxSize));
        var minRate = parseResult.GetRequiredValue(_minRate) is "0" ? 0 : ServeSettings.ParseSize(parseResult.GetRequiredValue(_minRate), "--min-upload-rate");
        var upload = new UploadLimits(
            UploadLimits.ParseDuration(parseResult.GetRequiredValue(_uploadTimeout), "--upload-timeout"),
            minRate,
            UploadLimits.ParseDuration(parseResult.GetRequiredValue(_rateWindow), "--rate-window"));
        var logFile = parseResult.GetValue(_logFile);
        if (logFile is not null)
        {
            try
            {
                OutputPath.CheckAppend(logFile, "--log-file");
            }
            catch (FerryException e)
            {
                // A command-line mistake, found before serve listens: a usage error, like the other options'.
                throw new FerryException($"cannot append to the log file '{logFile}': {e.Message}", ExitCodes.Usage);
            }
        }
        var (certFile, keyFile) = (parseResult.GetValue(_cert), parseResult.GetValue(_key));
        if ((certFile is null) != (keyFile is null))
        {
            throw new FerryException("--cert and --key go together", ExitCodes.Usage);
        }
        // A connection string that names no engine fails now, not at the first push. The password is read once
        // here and kept in memory: never on serve's command line, where ps shows it for as long as serve runs.
        var (target, targetPassword, engine) = _to.Open(parseResult, Context);
        if (engine.NotATarget is { } why)
        {
            throw new FerryException(why, ExitCodes.Usage);
        }
        var description = engine.Description;
        var engines = new Engines.EngineRegistry([new BoundEngineFactory(Context.Engines, target, targetPassword)]);
        var profile = ProfileOptions.Load(parseResult.GetValue(_profile));
        var files = ProfileOptions.Pairs(parseResult.GetValue(_files), "--files", "NAME=DIR, e.g. photos=/srv/app/media");
        var settings = new ServeSettings(target, host, port, SHA256.HashData(Encoding.UTF8.GetBytes(token)), allow, maxSize, upload, profile, files)
        {
            Reading = _archiveOptions.Read(parseResult),
        };

        var ui = Context.Interaction;
        using var certificate = certFile is not null ? ServerCertificate.Load(certFile, keyFile!) : SelfSigned(parseResult, settings);
        ui.Line($"certificate SHA-256 fingerprint: {ServerCertificate.Fingerprint(certificate)}");
        var log = new RequestLog(Context.Console.Error, CheckLogFile(logFile));
        await using var server = await ImportServer.StartAsync(settings, certificate, new ImportEndpoint(settings, engines, log, cancellationToken), cancellationToken);
        ui.Line($"listening on https://{server.Address}{RemoteProtocol.Path}, allowing {string.Join(", ", allow)}, importing into {description}; Ctrl+C stops");
        ui.Line($"uploads: up to {UploadLimits.Size(maxSize)}, {upload}");
        await server.WaitAsync(cancellationToken);
        ui.Line("stopped");
        return ExitCodes.Success;
    }

    // The log file is opened (created if need be) before serve listens: a path it cannot append to fails now, not at the first push.
    private static string? CheckLogFile(string? file)
    {
        if (file is null)
        {
            return null;
        }
        try
        {
            using var append = new FileStream(file, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            return file;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FerryException($"cannot append to the log file '{file}': {e.Message}", ExitCodes.Usage);
        }
    }

    private X509Certificate2 SelfSigned(ParseResult parseResult, ServeSettings settings)
    {
        var dir = parseResult.GetValue(_stateDir) ?? DefaultStateDir();
        var (certificate, created) = ServerCertificate.LoadOrCreate(dir, settings.Host);
        Context.Interaction.Line(created ? $"created a self-signed certificate in {dir}" : $"using the self-signed certificate in {dir}");
        return certificate;
    }

    private string DefaultStateDir() =>
        Context.Console.Environment("XDG_STATE_HOME") is { Length: > 0 } state
            ? Path.Combine(state, "ferry")
            : Path.Combine(Context.Console.Environment("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state", "ferry");
}
