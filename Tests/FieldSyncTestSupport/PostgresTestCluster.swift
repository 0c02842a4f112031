import Foundation
import Synchronization

/// A private PostgreSQL cluster for tests: `initdb` into a temporary directory, `pg_ctl start`
/// on a free port on 127.0.0.1 (and a unix socket inside the directory), one fresh database per
/// test. The cluster starts once per test process, on first use, and is stopped (and its
/// directory removed) when the process exits.
///
/// initdb refuses to run as root: then every PostgreSQL command runs as the `postgres` user
/// that the Debian package creates, in a directory that user owns.
public final class PostgresTestCluster: Sendable {
    /// Where the PostgreSQL 15 binaries are; FIELDSYNC_POSTGRES_BIN overrides it.
    public static let binDirectory = ProcessInfo.processInfo.environment["FIELDSYNC_POSTGRES_BIN"] ?? "/usr/lib/postgresql/15/bin"

    /// Whether initdb and pg_ctl are installed.
    public static var isInstalled: Bool {
        FileManager.default.isExecutableFile(atPath: "\(binDirectory)/initdb")
            && FileManager.default.isExecutableFile(atPath: "\(binDirectory)/pg_ctl")
    }

    /// CI sets FIELDSYNC_REQUIRE_POSTGRES=1: then a missing PostgreSQL fails the tests instead
    /// of leaving the PostgreSQL cases out.
    public static var isRequired: Bool {
        ProcessInfo.processInfo.environment["FIELDSYNC_REQUIRE_POSTGRES"] == "1"
    }

    /// Whether tests should run against PostgreSQL: installed, or required (and then failing).
    public static var shouldRun: Bool { isInstalled || isRequired }

    public let directory: String
    public let port: Int
    private let runAsPostgres: Bool
    private let counter = Mutex(0)

    /// The cluster of this process, started on first use.
    public static func shared() throws -> PostgresTestCluster {
        try sharedCluster.withLock { state in
            if let cluster = state.cluster { return cluster }
            if let failure = state.failure { throw failure }
            do {
                let cluster = try PostgresTestCluster()
                state.cluster = cluster
                atexit { PostgresTestCluster.stopShared() }
                return cluster
            } catch {
                // Later tests fail at once with the same reason instead of retrying initdb.
                let failure = error as? PostgresTestClusterError ?? PostgresTestClusterError("\(error)")
                state.failure = failure
                throw failure
            }
        }
    }

    private struct SharedState: Sendable {
        var cluster: PostgresTestCluster?
        var failure: PostgresTestClusterError?
    }

    private static let sharedCluster = Mutex(SharedState())

    private static func stopShared() {
        let cluster = sharedCluster.withLock { state in state.cluster }
        cluster?.stop()
    }

    private init() throws {
        guard Self.isInstalled else {
            throw PostgresTestClusterError(
                "PostgreSQL is not installed (no initdb in \(Self.binDirectory)); install it with scripts/install-prerequisites.sh"
            )
        }
        runAsPostgres = getuid() == 0
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("fieldsync-pg-\(UUID().uuidString.prefix(8))").path
        directory = base
        try FileManager.default.createDirectory(atPath: "\(base)/socket", withIntermediateDirectories: true)
        if runAsPostgres {
            try Self.run("/bin/chown", ["-R", "postgres:postgres", base], asPostgres: false)
        }
        port = try Self.freePort()
        try Self.run(
            "\(Self.binDirectory)/initdb",
            ["-D", "\(base)/data", "-U", "postgres", "--auth=trust", "--no-locale", "-E", "UTF8", "--no-sync"],
            asPostgres: runAsPostgres
        )
        let options = [
            "-c listen_addresses=127.0.0.1", "-p \(port)", "-k \(base)/socket",
            "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off", "-c max_connections=400",
        ].joined(separator: " ")
        try Self.run(
            "\(Self.binDirectory)/pg_ctl",
            ["-D", "\(base)/data", "-l", "\(base)/server.log", "-o", options, "-w", "-t", "60", "start"],
            asPostgres: runAsPostgres
        )
    }

    /// Creates an empty database and returns its URL.
    public func createDatabase() throws -> PostgresTestDatabase {
        let number = counter.withLock { value in
            value += 1
            return value
        }
        let name = "fieldsync_\(getpid())_\(number)"
        try Self.run(
            "\(Self.binDirectory)/createdb", ["-h", "127.0.0.1", "-p", "\(port)", "-U", "postgres", name], asPostgres: runAsPostgres
        )
        return PostgresTestDatabase(cluster: self, name: name)
    }

    func dropDatabase(_ name: String) {
        try? Self.run(
            "\(Self.binDirectory)/dropdb", ["--force", "-h", "127.0.0.1", "-p", "\(port)", "-U", "postgres", name],
            asPostgres: runAsPostgres
        )
    }

    /// Stops the server at once and removes the directory.
    func stop() {
        try? Self.run("\(Self.binDirectory)/pg_ctl", ["-D", "\(directory)/data", "-m", "immediate", "-w", "stop"], asPostgres: runAsPostgres)
        try? FileManager.default.removeItem(atPath: directory)
    }

    // MARK: Processes

    private static func run(_ executable: String, _ arguments: [String], asPostgres: Bool) throws {
        let process = Process()
        if asPostgres {
            process.executableURL = URL(fileURLWithPath: "/sbin/runuser")
            process.arguments = ["-u", "postgres", "--", executable] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PostgresTestClusterError(
                "\((executable as NSString).lastPathComponent) failed (\(process.terminationStatus)): \(String(decoding: data, as: UTF8.self))"
            )
        }
    }

    /// A port nothing listens on now: bind port 0 and read what the kernel chose.
    private static func freePort() throws -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw PostgresTestClusterError("cannot open a socket") }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bind(socket, address, length) == 0 && getsockname(socket, address, &length) == 0
            }
        }
        guard bound else { throw PostgresTestClusterError("cannot bind a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// One database of the test cluster; `drop()` removes it.
public struct PostgresTestDatabase: Sendable {
    let cluster: PostgresTestCluster
    public let name: String

    /// `postgres://postgres@127.0.0.1:PORT/NAME` (trust authentication, no TLS).
    public var url: String { "postgres://postgres@127.0.0.1:\(cluster.port)/\(name)?sslmode=disable" }

    public func drop() {
        cluster.dropDatabase(name)
    }
}

public struct PostgresTestClusterError: Error, CustomStringConvertible, Sendable {
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
