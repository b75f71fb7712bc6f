using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Intake.Server.Tests.Storage;

/// <summary>
/// A throw-away PostgreSQL server on 127.0.0.1 for the store tests: initdb into a temp directory, start on a free
/// port with its socket in that directory, stop by the postmaster's PID at the end. Runs the server as user
/// 'postgres' when the tests run as root (PostgreSQL refuses root). Missing PostgreSQL fails the tests: CI installs it.
/// </summary>
public sealed class PostgresServerFixture : IAsyncLifetime
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(60);
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"intake-pg-{Guid.NewGuid():N}");
    private int _databaseCount;
    private int _postmasterPid;

    public int Port { get; private set; }

    public async Task InitializeAsync()
    {
        var bin = FindBinDirectory();
        var asRoot = Environment.UserName == "root";
        Directory.CreateDirectory(_root);
        var socketDir = Path.Combine(_root, "sock");
        Directory.CreateDirectory(socketDir);
        if (asRoot)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", _root], asPostgres: false).ConfigureAwait(false);
        }

        var data = Path.Combine(_root, "data");
        await RunAsync(Path.Combine(bin, "initdb"), ["-D", data, "-A", "trust", "-U", "intake", "-E", "UTF8", "--no-sync"], asRoot).ConfigureAwait(false);
        Port = FreeTcpPort();
        await RunAsync(Path.Combine(bin, "pg_ctl"),
            ["-D", data, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "60",
             "-o", $"-h 127.0.0.1 -p {Port} -k {socketDir} -F -c max_connections=200", "start"], asRoot).ConfigureAwait(false);
        var pidLine = (await File.ReadAllLinesAsync(Path.Combine(data, "postmaster.pid")).ConfigureAwait(false))[0];
        _postmasterPid = int.Parse(pidLine, CultureInfo.InvariantCulture);
    }

    /// <summary>A new empty database; its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"t{Interlocked.Increment(ref _databaseCount)}";
        await using (var connection = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await connection.OpenAsync().ConfigureAwait(false);
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        return ConnectionString(name);
    }

    public async Task DisposeAsync()
    {
        if (_postmasterPid > 0)
        {
            // SIGINT = PostgreSQL's fast shutdown: it ends its backends and exits.
            await RunAsync("kill", ["-INT", _postmasterPid.ToString(CultureInfo.InvariantCulture)], asPostgres: false).ConfigureAwait(false);
            using var deadline = new CancellationTokenSource(StepTimeout);
            while (IsAlive(_postmasterPid) && !deadline.IsCancellationRequested)
            {
                await Task.Delay(50, CancellationToken.None).ConfigureAwait(false);
            }

            if (IsAlive(_postmasterPid))
            {
                await RunAsync("kill", ["-KILL", _postmasterPid.ToString(CultureInfo.InvariantCulture)], asPostgres: false).ConfigureAwait(false);
            }
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean: the server may still be releasing files.
        }
    }

    private string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=intake;Database={database};Pooling=true;Maximum Pool Size=20;Timeout=30";

    private static string FindBinDirectory()
    {
        const string Root = "/usr/lib/postgresql";
        var bin = Directory.Exists(Root)
            ? Directory.GetDirectories(Root)
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")))
                .OrderByDescending(d => d, StringComparer.Ordinal)
                .FirstOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException(
            "PostgreSQL is not installed: no /usr/lib/postgresql/<version>/bin/initdb. Install the Debian package 'postgresql' " +
            "(apt-get install -y postgresql); the PostgreSQL store tests need a real server and must not be skipped.");
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string file, string[] args, bool asPostgres)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (asPostgres)
        {
            foreach (var a in (string[])["-u", "postgres", "--", file])
            {
                start.ArgumentList.Add(a);
            }
        }

        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(StepTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{file} did not finish within {StepTimeout.TotalSeconds} s");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {await stderr.ConfigureAwait(false)} {await stdout.ConfigureAwait(false)}");
        }
    }
}
