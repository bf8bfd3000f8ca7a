using System.Net;
using System.Net.Sockets;

namespace DuoQServerless.Cli.Emulator;

internal static class LoopbackPort
{
    /// <summary>A port free on 127.0.0.1 now; a caller that loses a race for it binds again.</summary>
    public static int Free()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
