import Foundation
import PostgresNIO

/// Reads a libpq-style connection URL: `postgres://user:password@host:port/database`, with
/// `?host=/socket/directory` for a unix socket and `?sslmode=disable` to turn TLS off (the
/// default, like libpq's, is to use TLS when the server offers it).
enum PostgresURL {
    static func configuration(from text: String) throws -> PostgresClient.Configuration {
        guard let url = URLComponents(string: text), url.scheme == "postgres" || url.scheme == "postgresql" else {
            throw ServerError(.invalidRequest, .postgresURL)
        }
        let query = Dictionary((url.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        let username = url.user ?? query["user"] ?? "postgres"
        let password = url.password ?? query["password"]
        let path = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        let database = path.isEmpty ? query["dbname"] : path
        let port = url.port ?? 5432
        var configuration: PostgresClient.Configuration
        if let socketDirectory = query["host"], socketDirectory.hasPrefix("/") {
            configuration = .init(
                unixSocketPath: "\(socketDirectory)/.s.PGSQL.\(port)", username: username, password: password, database: database
            )
        } else {
            let host = url.host.flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1"
            configuration = .init(host: host, port: port, username: username, password: password, database: database, tls: .disable)
            switch query["sslmode"] ?? "prefer" {
            case "disable": configuration.tls = .disable
            case "prefer", "allow": configuration.tls = .prefer(.makeClientConfiguration())
            default:
                throw ServerError(.invalidRequest, .postgresSSLMode)
            }
        }
        return configuration
    }

    /// The URL without its password, for logs.
    static func redacted(_ text: String) -> String {
        guard var url = URLComponents(string: text), url.password != nil else { return text }
        url.password = "***"
        return url.string ?? text
    }
}
