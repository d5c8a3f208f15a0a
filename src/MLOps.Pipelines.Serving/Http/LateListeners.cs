using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Configuration;

namespace MLOps.Pipelines.Serving.Http;

/// <summary>
/// Kestrel endpoints added after start (<see cref="ServerOptions.UrlsWhenReady"/>): a configuration source Kestrel
/// watches (<c>Configure(config, reloadOnChange: true)</c>), empty until <see cref="Open"/> publishes the addresses
/// and Kestrel binds them; and listen sockets that share their port (SO_REUSEPORT), so a second server can bind the port
/// a first one still serves and the kernel spreads new connections over both until the first closes its socket.
/// </summary>
internal sealed class LateListeners : ConfigurationProvider, IConfigurationSource
{
    // Linux's <sys/socket.h>: SOL_SOCKET and SO_REUSEPORT (not in SocketOptionName).
    const int SolSocket = 1, SoReusePort = 15;

    public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

    /// <summary>Publishes the addresses as Kestrel endpoints; Kestrel binds them on the change notification.</summary>
    public void Open(IReadOnlyList<string> urls)
    {
        for (var i = 0; i < urls.Count; i++) Data[$"Endpoints:WhenReady{i}:Url"] = urls[i];
        OnReload();
    }

    /// <summary>A bound listen socket that shares its port; anything but an IP endpoint on Linux is bound as Kestrel would.</summary>
    public static Socket CreateSharedSocket(EndPoint endpoint)
    {
        if (endpoint is not IPEndPoint ip || !OperatingSystem.IsLinux()) return SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
        var socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (ip.Address.Equals(IPAddress.IPv6Any)) socket.DualMode = true;
            socket.SetRawSocketOption(SolSocket, SoReusePort, BitConverter.GetBytes(1));
            socket.Bind(ip);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
