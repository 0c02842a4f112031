import Foundation
import Synchronization
import SyncClient

/// A private PostgreSQL cluster for tests: `initdb` into a temporary directory, `postgres`
/// started on a free port on 127.0.0.1 (and a unix socket inside the directory), one fresh database per
/// test. The cluster starts once per test process, on first use, and is stopped (and its
/// directory removed) when the process exits.
///
/// initdb refuses to run as root: then every PostgreSQL command runs as the `postgres` user
/// that the Debian package creates, in a directory that user owns. Commands are child processes
/// of swift-subprocess (`ChildProcess`): waiting for them suspends, it holds no thread.
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
    /// The server process (through runuser when root), kept as long as the cluster; `stop()`
    /// signals the postmaster itself, by its pid file.
    private let server: ChildProcess
    private let counter = Mutex(0)

    /// The cluster of this process, started on first use. When it cannot start, every test
    /// that asks fails with the same reason (initdb is not retried).
    public static func shared() async throws -> PostgresTestCluster {
        try await starting.value
    }

    private static let starting = Task {
        let cluster = try await PostgresTestCluster()
        running.withLock { $0 = cluster }
        atexit { PostgresTestCluster.running.withLock { $0 }?.stop() }
        return cluster
    }

    private static let running = Mutex<PostgresTestCluster?>(nil)

    private init() async throws {
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
            try await Self.run("/bin/chown", ["-R", "postgres:postgres", base], asPostgres: false)
        }
        port = try Self.freePort()
        try await Self.run(
            "\(Self.binDirectory)/initdb",
            ["-D", "\(base)/data", "-U", "postgres", "--auth=trust", "--no-locale", "-E", "UTF8", "--no-sync"],
            asPostgres: runAsPostgres
        )
        server = try await Self.startServer(directory: base, port: port, asPostgres: runAsPostgres)
    }

    /// Creates an empty database and returns its URL.
    public func createDatabase() async throws -> PostgresTestDatabase {
        let number = counter.withLock { value in
            value += 1
            return value
        }
        let name = "fieldsync_\(getpid())_\(number)"
        let arguments = ["-h", "127.0.0.1", "-p", "\(port)", "-U", "postgres", name]
        try await Self.run("\(Self.binDirectory)/createdb", arguments, asPostgres: runAsPostgres)
        return PostgresTestDatabase(cluster: self, name: name)
    }

    /// One line per client session of database `name` (`pg_stat_activity`: state, what it waits
    /// for, how long its transaction has run, its statement), or why they could not be read.
    /// Autovacuum's workers, which visit a database that was just written, are not counted.
    func sessions(of name: String) async -> String {
        let query = """
            SELECT count(*) || ' session(s)' || COALESCE(': ' || string_agg(format('%s %s%s, transaction %ss: %s', pid, state,
                COALESCE(' waiting for ' || wait_event_type || ' ' || wait_event, ''),
                COALESCE(round(extract(epoch FROM now() - xact_start))::text, '-'), left(regexp_replace(query, '\\s+', ' ', 'g'), 120)), '; '), '')
            FROM pg_stat_activity WHERE datname = '\(name)' AND backend_type = 'client backend'
            """
        let (program, arguments) = Self.command(
            "\(Self.binDirectory)/psql", ["-h", "127.0.0.1", "-p", "\(port)", "-U", "postgres", "-d", "postgres", "-Atc", query],
            asPostgres: runAsPostgres
        )
        guard let result = try? await ChildProcess.run(program, arguments) else { return "psql could not run" }
        return result.succeeded ? result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) : "psql failed: \(result.stderr)"
    }

    /// Drops a database in the background: nothing waits for it, and whatever is left goes with
    /// the cluster at exit.
    func dropDatabase(_ name: String) {
        let arguments = ["--force", "-h", "127.0.0.1", "-p", "\(port)", "-U", "postgres", name]
        let runAsPostgres = self.runAsPostgres
        Task { try? await Self.run("\(Self.binDirectory)/dropdb", arguments, asPostgres: runAsPostgres) }
    }

    /// Stops the server at once (SIGQUIT to the postmaster: PostgreSQL's immediate shutdown,
    /// what `pg_ctl -m immediate stop` sends) and removes the directory. Runs at process exit,
    /// so it starts no child process.
    func stop() {
        let pidFile = (try? String(contentsOfFile: "\(directory)/data/postmaster.pid", encoding: .utf8)) ?? ""
        if let pid = pidFile.split(separator: "\n").first.flatMap({ pid_t($0.trimmingCharacters(in: .whitespaces)) }), pid > 0 {
            kill(pid, SIGQUIT)
            for _ in 0..<200 where kill(pid, 0) == 0 {
                usleep(10_000)
            }
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    // MARK: Processes

    /// Runs a command to its end; what it printed goes into the error on failure.
    private static func run(_ executable: String, _ arguments: [String], asPostgres: Bool) async throws {
        let (program, arguments) = command(executable, arguments, asPostgres: asPostgres)
        let result = try await sayingIfSlow("\((executable as NSString).lastPathComponent) \(arguments.joined(separator: " "))") {
            try await ChildProcess.run(program, arguments)
        }
        guard result.succeeded else {
            throw PostgresTestClusterError("\((executable as NSString).lastPathComponent) failed (\(result.status)): \(result.stdout)\(result.stderr)")
        }
    }

    /// The program and arguments that run `executable`, through runuser as `postgres` when asked.
    private static func command(_ executable: String, _ arguments: [String], asPostgres: Bool) -> (URL, [String]) {
        asPostgres
            ? (URL(fileURLWithPath: "/sbin/runuser"), ["-u", "postgres", "--", executable] + arguments)
            : (URL(fileURLWithPath: executable), arguments)
    }

    /// Starts the server in the foreground as a child that nobody waits for (stopped by
    /// `stop()`), its log in server.log, then waits until it accepts connections.
    private static func startServer(directory: String, port: Int, asPostgres: Bool) async throws -> ChildProcess {
        let (program, arguments) = command(
            "\(binDirectory)/postgres",
            [
                "-D", "\(directory)/data", "-p", "\(port)", "-k", "\(directory)/socket", "-c", "listen_addresses=127.0.0.1",
                "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=400",
            ],
            asPostgres: asPostgres
        )
        let server = try await ChildProcess(program, arguments, error: .file("\(directory)/server.log"))
        for _ in 0..<600 {
            if (try? await run("\(binDirectory)/pg_isready", ["-q", "-h", "127.0.0.1", "-p", "\(port)"], asPostgres: false)) != nil {
                return server
            }
            guard server.isRunning else {
                let log = (try? String(contentsOfFile: "\(directory)/server.log", encoding: .utf8)) ?? ""
                throw PostgresTestClusterError("postgres exited at start: \(log)")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        server.terminate()
        throw PostgresTestClusterError("postgres did not accept connections within 60 s")
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

    /// What the database's sessions are doing now (`PostgresTestCluster.sessions(of:)`).
    public func sessions() async -> String {
        await cluster.sessions(of: name)
    }
}

public struct PostgresTestClusterError: Error, CustomStringConvertible, Sendable {
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
