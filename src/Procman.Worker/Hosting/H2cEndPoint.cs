using System.Net;

namespace Procman.Worker.Hosting;

/// <summary>
/// The endpoint of Kestrel's HTTP/2 pipeline for cleartext connections that open with the HTTP/2 preface: bound to
/// no socket, it is fed by <see cref="PrefaceRouter"/> through an <see cref="H2cHandoffListener"/>.
/// </summary>
internal sealed class H2cEndPoint : EndPoint
{
    public static readonly H2cEndPoint Instance = new();

    private H2cEndPoint()
    {
    }

    // Kestrel names the endpoint in its "Now listening on" line.
    public override string ToString() => "procman-h2c-prior-knowledge";
}
