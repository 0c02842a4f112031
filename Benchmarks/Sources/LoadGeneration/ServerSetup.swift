import CRM
import Foundation
import SyncClient

/// Where the devices sync: servers this run started, or servers someone else runs.
public enum ServerTarget: Sendable {
    /// Running servers, and the one-time enrollment code of an admin user (`fieldsync-server
    /// user add NAME --role admin` prints one): the generator enrolls as an admin device, lists
    /// the users and issues a code for every simulated device through the admin API.
    case running(urls: [URL], adminCode: String)
    case spawn(SpawnOptions)
}

/// Servers the generator starts itself, on a store seeded from a fixture file.
public struct SpawnOptions: Sendable {
    public var count: Int
    public var executable: URL
    /// Arguments for every server command (import, user add, serve) that say where the store
    /// is, e.g. `--postgres-url URL`; empty means a SQLite file in a temporary directory.
    public var storeArguments: [String]
    /// Extra arguments for `serve` only.
    public var serveArguments: [String]
    /// A `fieldsync-fixture/1` file: its records are imported and its users created.
    public var fixtures: URL

    public init(count: Int, executable: URL, storeArguments: [String], serveArguments: [String], fixtures: URL) {
        self.count = count
        self.executable = executable
        self.storeArguments = storeArguments
        self.serveArguments = serveArguments
        self.fixtures = fixtures
    }
}

/// Started servers and what the coordinator needs from them.
public final class SpawnedServers: Sendable {
    public let processes: [ServerProcess]
    public let urls: [URL]
    public let adminCode: String
    public let backend: String

    private init(processes: [ServerProcess], urls: [URL], adminCode: String, backend: String) {
        self.processes = processes
        self.urls = urls
        self.adminCode = adminCode
        self.backend = backend
    }

    /// Seeds the store from the fixtures (records as server writes, every fixture user), then
    /// starts the servers. Rate limiting is off: the run measures capacity, not the limiter.
    public static func start(_ options: SpawnOptions, directory: URL) async throws -> SpawnedServers {
        let sqlite = options.storeArguments.isEmpty
        guard sqlite == false || options.count == 1 else {
            throw LoadError("several servers need a shared database: give it with --store-arg (e.g. --store-arg --postgres-url --store-arg URL); the SQLite store is for one server process")
        }
        let store = sqlite ? ["--db", directory.appendingPathComponent("server.sqlite").path] : options.storeArguments
        _ = try await ServerProcess.run(options.executable, ["import", options.fixtures.path] + store)
        let data = try Data(contentsOf: options.fixtures)
        let fixture = try FixtureDataSet.decode(from: data)
        var adminCode: String?
        // Fixture order lists a manager's team before the manager.
        for user in fixture.users {
            var arguments = ["user", "add", user.name, "--role", user.role.rawValue]
            for territory in user.territories { arguments += ["--territory", territory] }
            for member in user.team { arguments += ["--team", member] }
            let output = try await ServerProcess.run(options.executable, arguments + store)
            if user.role == .admin, adminCode == nil {
                adminCode = output.split(separator: "\n").first { $0.hasPrefix("enrollment code: ") }.map { String($0.dropFirst("enrollment code: ".count)) }
            }
        }
        guard let adminCode else { throw LoadError("the fixtures have no admin user to enroll with") }
        var processes: [ServerProcess] = []
        var urls: [URL] = []
        for _ in 0..<options.count {
            let server = ServerProcess(executable: options.executable, arguments: [
                "serve", "--host", "127.0.0.1", "--port", "0", "--log-level", "error", "--rate-limit", "0",
            ] + store + options.serveArguments)
            do {
                urls.append(try await server.start())
            } catch {
                for process in processes { await process.stop() }
                throw error
            }
            processes.append(server)
        }
        return SpawnedServers(processes: processes, urls: urls, adminCode: adminCode, backend: sqlite ? "sqlite" : options.storeArguments.joined(separator: " ").contains("postgres") ? "postgresql" : "custom")
    }

    /// CPU seconds (user + system) the server processes have used, from /proc/PID/stat.
    public func cpuSeconds() -> Double {
        processes.compactMap { ProcessUsage.cpuSeconds(pid: $0.processIdentifier) }.reduce(0, +)
    }

    public func peakResidentMiB() -> [Double] {
        processes.map { ProcessUsage.peakResidentMiB(pid: $0.processIdentifier) }
    }

    /// Asks every server to shut down, without waiting (for `defer`).
    public func terminate() {
        processes.forEach { $0.terminate() }
    }

    /// Shuts every server down and waits for them.
    public func stop() async {
        for process in processes { await process.stop() }
    }
}

public struct LoadError: Error, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
