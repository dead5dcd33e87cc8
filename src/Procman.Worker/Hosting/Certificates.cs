using System.Security.Cryptography.X509Certificates;

namespace Procman.Worker.Hosting;

/// <summary>Loads the TLS certificate given by certfile and keyfile.</summary>
internal static class Certificates
{
    public static X509Certificate2 Load(string certFile, string? keyFile)
    {
        var extension = Path.GetExtension(certFile);
        if (extension.Equals(".pfx", StringComparison.OrdinalIgnoreCase) || extension.Equals(".p12", StringComparison.OrdinalIgnoreCase))
        {
            return new X509Certificate2(certFile);
        }
        // A PEM file may hold both the certificate and its key; keyfile is only needed when it does not.
        return X509Certificate2.CreateFromPemFile(certFile, keyFile ?? certFile);
    }
}
