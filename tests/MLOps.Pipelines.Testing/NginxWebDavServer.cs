using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MLOps.Pipelines.Testing;

/// <summary>
/// A real nginx with WebDAV (Debian nginx + libnginx-mod-http-dav-ext) serving Bazel's HTTP cache protocol from a
/// temporary folder on a free loopback port; started in the foreground and killed by PID on dispose.
/// </summary>
public sealed class NginxWebDavServer : IDisposable
{
    readonly Process _process;
    readonly TemporaryDirectory _folder = new("mlops-nginx-");

    public NginxWebDavServer()
    {
        Directory = _folder.Path;
        StoreDirectory = _folder.CreateDirectory("store");
        Port = LoopbackPort.Free();
        var config = Path.Combine(Directory, "nginx.conf");
        File.WriteAllText(config, $$"""
            load_module /usr/lib/nginx/modules/ngx_http_dav_ext_module.so;
            daemon off;
            user root;
            worker_processes 1;
            pid {{Directory}}/nginx.pid;
            error_log {{Directory}}/error.log;
            events { worker_connections 64; }
            http {
                access_log off;
                client_body_temp_path {{Directory}}/body;
                proxy_temp_path {{Directory}}/proxy;
                fastcgi_temp_path {{Directory}}/fastcgi;
                uwsgi_temp_path {{Directory}}/uwsgi;
                scgi_temp_path {{Directory}}/scgi;
                server {
                    listen 127.0.0.1:{{Port}};
                    root {{StoreDirectory}};
                    location / {
                        dav_methods PUT DELETE;
                        create_full_put_path on;
                        client_max_body_size 0;
                    }
                }
            }
            """);
        _process = Process.Start(new ProcessStartInfo("nginx", ["-c", config, "-p", Directory, "-e", Path.Combine(Directory, "error.log")])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        }) ?? throw new InvalidOperationException("nginx did not start");
        WaitUntilListening();
    }

    public string Directory { get; }
    public string StoreDirectory { get; }
    public int Port { get; }
    public Uri Url => new($"http://127.0.0.1:{Port}/cache/");

    void WaitUntilListening()
    {
        for (var i = 0; i < 200; i++)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"nginx exited ({_process.ExitCode}): {_process.StandardError.ReadToEnd()} {File.ReadAllText(Path.Combine(Directory, "error.log"))}");
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }
        throw new TimeoutException($"nginx is not listening on {Port}");
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
        }
        finally
        {
            _process.Dispose();
            _folder.Dispose();
        }
    }
}
