using System.Net;
using System.Net.Sockets;

namespace MLOps.Pipelines.Containers.Deployment;

/// <summary>Free and taken ports on 127.0.0.1.</summary>
public static class LoopbackPorts
{
    /// <summary>A port the kernel just handed out and released: free now, very likely still free a moment later.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>True when something accepts connections on 127.0.0.1:<paramref name="port"/>.</summary>
    public static bool IsListening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
