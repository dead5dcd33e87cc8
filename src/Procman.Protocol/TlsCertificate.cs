using System.Security.Cryptography.X509Certificates;

namespace Procman.Protocol;

/// <summary>
/// Loads the TLS certificate given by certfile and keyfile: the worker to serve with it, the master to check it
/// before any worker starts, by the same rules.
/// </summary>
public static class TlsCertificate
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
