import PostgresNIO

extension PostgresLocation {
    /// The connection's encryption as `sslmode` and `sslrootcert` ask, libpq's way: `prefer`
    /// and `require` check no certificate unless authorities are named, `verify-ca` checks the
    /// chain, `verify-full` the chain and the host's name.
    func connectionTLS() throws -> PostgresConnection.Configuration.TLS {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let rootCertificates { configuration.trustRoots = .file(rootCertificates) }
        switch tls {
        case .disable:
            return .disable
        case .prefer:
            configuration.certificateVerification = .none
            return .prefer(try context(configuration))
        case .require where rootCertificates == nil:
            configuration.certificateVerification = .none
        case .require, .verifyCA:
            configuration.certificateVerification = .noHostnameVerification
        case .verifyFull:
            configuration.certificateVerification = .fullVerification
        }
        return .require(try context(configuration))
    }

    private func context(_ configuration: TLSConfiguration) throws -> NIOSSLContext {
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch NIOSSLError.noSuchFilesystemObject {
            throw PostgresSessionClosed(reason: "sslrootcert=\(rootCertificates ?? ""): no such file")
        } catch {
            throw PostgresSessionClosed(
                reason: "cannot use the certificates of sslrootcert=\(rootCertificates ?? "(the system's)"): \(error)")
        }
    }
}
