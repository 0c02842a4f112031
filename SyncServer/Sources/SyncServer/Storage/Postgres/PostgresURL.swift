import Foundation
import NIOSSL
import PostgresNIO

/// Reads a libpq-style connection URL: `postgres://user:password@host:port/database`, with
/// `?host=/socket/directory` for a unix socket and `?sslmode=disable` to turn TLS off (the
/// default, like libpq's, is to use TLS when the server offers it).
enum PostgresURL {
    /// The pool's configuration (`PostgresClient`).
    static func configuration(from text: String) throws -> PostgresClient.Configuration {
        let parts = try Parts(text)
        switch parts.address {
        case .socket(let path):
            return .init(unixSocketPath: path, username: parts.username, password: parts.password, database: parts.database)
        case .host(let host, let port):
            var configuration = PostgresClient.Configuration(
                host: host, port: port, username: parts.username, password: parts.password, database: parts.database, tls: .disable
            )
            if parts.preferTLS { configuration.tls = .prefer(.makeClientConfiguration()) }
            return configuration
        }
    }

    /// The same database for one connection of its own, outside the pool (`LISTEN`).
    static func connectionConfiguration(from text: String) throws -> PostgresConnection.Configuration {
        let parts = try Parts(text)
        switch parts.address {
        case .socket(let path):
            return .init(unixSocketPath: path, username: parts.username, password: parts.password, database: parts.database)
        case .host(let host, let port):
            let tls: PostgresConnection.Configuration.TLS = parts.preferTLS ? .prefer(try .init(configuration: .makeClientConfiguration())) : .disable
            return .init(host: host, port: port, username: parts.username, password: parts.password, database: parts.database, tls: tls)
        }
    }

    /// What a URL says, read once for both configurations.
    private struct Parts {
        enum Address {
            case socket(String)
            case host(String, port: Int)
        }

        var address: Address
        var username: String
        var password: String?
        var database: String?
        var preferTLS: Bool

        init(_ text: String) throws {
            guard let url = URLComponents(string: text), url.scheme == "postgres" || url.scheme == "postgresql" else {
                throw ServerError(.invalidRequest, .postgresURL)
            }
            let query = Dictionary((url.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
            username = url.user ?? query["user"] ?? "postgres"
            password = url.password ?? query["password"]
            let path = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
            database = path.isEmpty ? query["dbname"] : path
            let port = url.port ?? 5432
            preferTLS = false
            if let socketDirectory = query["host"], socketDirectory.hasPrefix("/") {
                address = .socket("\(socketDirectory)/.s.PGSQL.\(port)")
            } else {
                address = .host(url.host.flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1", port: port)
                switch query["sslmode"] ?? "prefer" {
                case "disable": break
                case "prefer", "allow": preferTLS = true
                default:
                    throw ServerError(.invalidRequest, .postgresSSLMode)
                }
            }
        }
    }

    /// The URL without its password, for logs.
    static func redacted(_ text: String) -> String {
        guard var url = URLComponents(string: text), url.password != nil else { return text }
        url.password = "***"
        return url.string ?? text
    }
}
