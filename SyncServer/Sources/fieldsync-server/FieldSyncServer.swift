import ArgumentParser
import Foundation
import Logging
import Metrics
import Prometheus
import CRM
import SyncCore
import SyncServer

/// `fieldsync-server`: runs the sync server and administers its store.
@main
struct FieldSyncServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fieldsync-server",
        abstract: "The FieldSync sync server and its admin commands.",
        subcommands: [Serve.self, UserCommand.self, TerritoryCommand.self, DeviceCommand.self, Import.self, Dump.self, Compact.self],
        defaultSubcommand: Serve.self
    )
}

/// Where the store lives: `--postgres-url`, else FIELDSYNC_POSTGRES_URL, else the SQLite file
/// at `--db`, else FIELDSYNC_SERVER_DB (the device client has FIELDSYNC_DB: one variable cannot
/// point both at the same store), else the default.
struct StoreOptions: ParsableArguments {
    @Option(name: .customLong("db"), help: "Path of the SQLite store (env FIELDSYNC_SERVER_DB).")
    var databasePath: String?
    @Option(
        name: .customLong("postgres-url"),
        help: "Use this PostgreSQL database instead of SQLite: postgres://user:password@host:port/database (env FIELDSYNC_POSTGRES_URL)."
    )
    var postgresURL: String?

    func configuration() throws -> ServerConfiguration {
        var configuration = try ServerConfiguration().applying(environment: ProcessInfo.processInfo.environment)
        if let databasePath { configuration.databasePath = databasePath }
        if let postgresURL { configuration.postgresURL = postgresURL }
        return configuration
    }

    /// Opens the store for a one-shot admin command.
    func openStorage() async throws -> any ServerStorage {
        let configuration = try configuration()
        LogSetup.bootstrapOnce(level: .warning)
        return try await ServerStorageOpener.open(configuration, logger: Logger(label: "fieldsync-server"))
    }
}

/// What an admin does to a device from the command line.
enum DeviceAction {
    case revoke(ReplicaID)
    case reassign(ReplicaID, to: String)
    case wipe(ReplicaID)
}

extension StoreOptions {
    /// Opens the store, carries out `action` (a refusal is reported as one line), closes the
    /// store and prints `done`.
    func perform(_ action: DeviceAction, done: String) async throws {
        try await perform(action, on: try await openStorage())
        print(done)
    }

    private func perform(_ action: DeviceAction, on storage: some ServerStorage) async throws {
        let accounts = AccountService(storage: storage, logger: Logger(label: "fieldsync-server"))
        try await CommandFailure.reporting {
            switch action {
            case .revoke(let replica): try await accounts.revokeDevice(replica)
            case .reassign(let replica, let user): try await accounts.reassignDevice(replica, to: user)
            case .wipe(let replica): try await accounts.wipeDevice(replica)
            }
        }
        try await storage.close()
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the sync server until SIGTERM or SIGINT.")

    @Option(help: "Address to bind (env FIELDSYNC_HOST, default 127.0.0.1).") var host: String?
    @Option(help: "Port; 0 picks a free one (env FIELDSYNC_PORT, default 8080).") var port: Int?
    @OptionGroup var store: StoreOptions
    @Option(help: "trace, debug, info, notice, warning, error or critical (env FIELDSYNC_LOG_LEVEL).") var logLevel: String?
    @Option(help: "Largest request body in bytes, as sent and decoded (env FIELDSYNC_MAX_REQUEST_BYTES).") var maxRequestBytes: Int?
    @Option(help: "Seconds a change may be stamped ahead of the server clock (env FIELDSYNC_MAX_CLOCK_SKEW).") var maxClockSkew: String?
    @Option(help: "Requests per second each device may sustain; 0 turns rate limiting off (env FIELDSYNC_RATE_LIMIT, default 20).")
    var rateLimit: String?
    @Option(help: "Requests a device may send in a burst (env FIELDSYNC_RATE_BURST, default 200).") var rateBurst: Int?
    @OptionGroup var compaction: CompactionOptions
    @Option(help: "How often to compact the log, e.g. 1h; 0 turns it off (env FIELDSYNC_COMPACTION_INTERVAL, default 1h).")
    var compactionInterval: String?
    @Option(help: "Seconds a client may take to send a request's head, from its first byte (env FIELDSYNC_HEADER_TIMEOUT, default 10).")
    var headerTimeout: String?
    @Option(help: "Seconds a client may take to send a request's body, from the end of its head (env FIELDSYNC_BODY_TIMEOUT, default 60).")
    var bodyTimeout: String?
    @Option(help: "Seconds a connection may stay open with no request (env FIELDSYNC_IDLE_TIMEOUT, default 75).")
    var idleTimeout: String?
    @Option(help: "Most connections served at once; kept below the open-file limit (env FIELDSYNC_MAX_CONNECTIONS, default 10000).")
    var maxConnections: Int?
    @Option(help: "Most request body bytes held at once by all requests being received (env FIELDSYNC_MAX_BUFFERED_BYTES, default 256 MiB).")
    var maxBufferedBytes: Int?
    @Option(help: "Largest body of an endpoint that reads it before authentication: enroll, admin sign-in (env FIELDSYNC_MAX_UNAUTHENTICATED_BYTES, default 64 KiB).")
    var maxUnauthenticatedBytes: Int?
    @Option(help: "Seconds SIGTERM lets in-flight requests finish before they are cancelled (env FIELDSYNC_SHUTDOWN_GRACE, default 10).")
    var shutdownGrace: String?
    @Option(help: "Reports, conflict lists and histories computed at once (env FIELDSYNC_EXPENSIVE_READS, default 1).")
    var expensiveReads: Int?
    @Option(help: "Expensive reads that may wait for a turn; more get 503 server_busy (env FIELDSYNC_EXPENSIVE_READ_QUEUE, default 32).")
    var expensiveReadQueue: Int?

    func serverConfiguration() throws -> ServerConfiguration {
        var configuration = try store.configuration()
        if let host { configuration.host = host }
        if let port { configuration.port = port }
        if let logLevel { configuration.logLevel = try ServerConfiguration.parseLogLevel(logLevel, source: "--log-level") }
        if let maxRequestBytes { configuration.maxRequestBytes = maxRequestBytes }
        if let maxClockSkew { configuration.maxClockSkew = try ServerConfiguration.parseSkew(maxClockSkew, source: "--max-clock-skew") }
        if let rateLimit { configuration.rateLimitPerSecond = try ServerConfiguration.parseRate(rateLimit, source: "--rate-limit") }
        if let rateBurst { configuration.rateLimitBurst = rateBurst }
        try compaction.apply(to: &configuration)
        if let compactionInterval {
            configuration.compactionInterval = try ServerConfiguration.parseDuration(compactionInterval, source: "--compaction-interval")
        }
        if let headerTimeout { configuration.headerReadTimeout = try ServerConfiguration.parseTimeout(headerTimeout, source: "--header-timeout") }
        if let bodyTimeout { configuration.bodyReadTimeout = try ServerConfiguration.parseTimeout(bodyTimeout, source: "--body-timeout") }
        if let idleTimeout { configuration.idleTimeout = try ServerConfiguration.parseTimeout(idleTimeout, source: "--idle-timeout") }
        if let shutdownGrace { configuration.shutdownGracePeriod = try ServerConfiguration.parseTimeout(shutdownGrace, source: "--shutdown-grace") }
        if let maxConnections { configuration.maxConnections = maxConnections }
        if let maxBufferedBytes { configuration.maxBufferedRequestBytes = maxBufferedBytes }
        if let maxUnauthenticatedBytes { configuration.maxUnauthenticatedRequestBytes = maxUnauthenticatedBytes }
        if let expensiveReads { configuration.maxConcurrentExpensiveReads = expensiveReads }
        if let expensiveReadQueue { configuration.maxQueuedExpensiveReads = expensiveReadQueue }
        try configuration.validate()
        return configuration
    }

    func validate() throws {
        do {
            _ = try serverConfiguration()
        } catch let error as ConfigurationError {
            throw ArgumentParser.ValidationError(error.message)
        }
    }

    func run() async throws {
        let configuration = try serverConfiguration()
        LogSetup.bootstrapOnce(level: configuration.logLevel)
        MallocTuning.apply()
        let logger = Logger(label: "fieldsync-server")
        try await serve(configuration, storage: try await ServerStorageOpener.open(configuration, logger: logger), logger: logger)
    }

    func serve(_ configuration: ServerConfiguration, storage: some ServerStorage, logger: Logger) async throws {
        let host = configuration.host
        // Only the executable bootstraps metrics: swift-metrics from any library lands in the
        // same registry that `/metrics` renders.
        let metrics = ServerMetrics()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: metrics.registry))
        let app = try await buildApplication(configuration, storage: storage, logger: logger, metrics: metrics) { port in
            // The one line on stdout: scripts and tests read the port from it.
            // Written straight to the file descriptor: no stdio buffer to flush.
            FileHandle.standardOutput.write(Data("listening on http://\(host):\(port)\n".utf8))
        }
        logger.info("starting", metadata: ["db": "\(ServerStorageOpener.describe(configuration))", "host": "\(host)", "port": "\(configuration.port)"])
        let trimming = MallocTuning.trimPeriodically(every: .seconds(10))
        defer { trimming.cancel() }
        try await runUntilTerminated(app, configuration: configuration, logger: logger)
        try await storage.close()
        logger.info("stopped; store closed")
    }
}

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Create users and issue enrollment codes.",
        subcommands: [Add.self, SetScope.self, Code.self, List.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a user and print their one-time enrollment code.")

        @Argument(help: "User name (a-z, 0-9, '.', '_', '-').") var name: String
        @Option(help: "rep, manager or admin.") var role: String = "rep"
        @Option(name: .customLong("territory"), help: "A territory the user works in, by key or title (see `territory list`); repeat for several.")
        var territories: [String] = []
        @Option(name: .customLong("team"), help: "For a manager: a user whose territories the manager also sees; repeat for several.")
        var team: [String] = []
        @OptionGroup var store: StoreOptions

        func validate() throws {
            guard let parsed = Role(rawValue: role) else {
                throw ArgumentParser.ValidationError("--role must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if !team.isEmpty && parsed != .manager {
                throw ArgumentParser.ValidationError("--team is for managers only")
            }
        }

        func run() async throws {
            try await run(on: try await store.openStorage())
        }

        func run(on storage: some ServerStorage) async throws {
            let accounts = AccountService(storage: storage, logger: Logger(label: "fieldsync-server"))
            let created = try await CommandFailure.reporting {
                try await accounts.createUser(name: name, role: Role(rawValue: role) ?? .rep, territories: territories, team: team)
            }
            try await storage.close()
            let teamText = created.user.team.isEmpty ? "" : "; team: \(created.user.team.joined(separator: ", "))"
            print("created \(created.user.role.rawValue) \(created.user.name) (territories: \(created.user.territories.joined(separator: ", "))\(teamText))")
            print("enrollment code: \(created.enrollmentCode)")
        }
    }

    struct Code: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Issue a new one-time code for a user: it enrolls a device, or signs an admin in on the admin page (/admin).")

        @Argument var name: String
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await run(on: try await store.openStorage())
        }

        func run(on storage: some ServerStorage) async throws {
            let accounts = AccountService(storage: storage, logger: Logger(label: "fieldsync-server"))
            let code = try await CommandFailure.reporting { try await accounts.issueEnrollmentCode(for: name) }
            try await storage.close()
            print("enrollment code: \(code)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users.")

        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await run(on: try await store.openStorage())
        }

        func run(on storage: some ServerStorage) async throws {
            let users = try await storage.users()
            try await storage.close()
            for user in users {
                print("\(user.name)\t\(user.role.rawValue)\t\(user.territories.joined(separator: ","))\t\(user.team.joined(separator: ","))")
            }
        }
    }
}

struct DeviceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "device",
        abstract: "List, revoke, reassign and wipe enrolled devices.",
        subcommands: [List.self, Revoke.self, Reassign.self, Wipe.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List enrolled devices.")

        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await run(on: try await store.openStorage())
        }

        func run(on storage: some ServerStorage) async throws {
            let devices = try await storage.devices()
            try await storage.close()
            print(["replica", "user", "name", "cursor", "last seen", "status"].joined(separator: "\t"))
            for device in devices {
                let lastSeen = device.lastSeen.map { ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double($0) / 1000)) } ?? "never"
                print(
                    [
                        device.replica.rawValue, device.user.name, device.name, device.cursor.map(String.init) ?? "-", lastSeen,
                        device.isWiped ? "wiped" : device.isRevoked ? "revoked" : "active",
                    ].joined(separator: "\t")
                )
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a device: its token stops working at once.")

        @Argument(help: "The device's replica id (see `device list`).") var replica: ReplicaID
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await store.perform(.revoke(replica), done: "revoked \(replica)")
        }
    }

    struct Reassign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move a revoked device to another user: that user's next enrollment code re-enrolls it, and it pushes its unsynced changes as theirs."
        )

        @Argument(help: "The device's replica id (see `device list`).") var replica: ReplicaID
        @Option(help: "The user the device moves to.") var user: String
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await store.perform(
                .reassign(replica, to: user),
                done: "reassigned \(replica) to \(user); it stays revoked until it enrolls with a new code of \(user) (`user code \(user)`)"
            )
        }
    }

    struct Wipe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Wipe a lost or stolen device: nothing more is accepted from it, and on its next contact it deletes its local store."
        )

        @Argument(help: "The device's replica id (see `device list`).") var replica: ReplicaID
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await store.perform(.wipe(replica), done: "wiped \(replica): its next request is refused with device_wiped and it deletes its local store")
        }
    }
}

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write records as the server replica (reference data such as products and campaigns).",
        discussion: """
            FILE holds {"records": [{"entity": "product", "id": "<uuid>", "fields": {"sku": "P-1", …}}]}.
            Registers take a JSON value, sets an array of strings, counters an integer total.
            The writes enter the log like any change, so devices receive them on their next sync.
            """
    )

    @Argument(help: "The JSON file to import.") var file: String
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw CommandFailure("cannot read \(file): \(error.localizedDescription)")
        }
        let file = try CommandFailure.reporting { try RecordImport.decode(from: Array(data)) }
        try await write(file, to: try await store.openStorage())
    }

    func write(_ file: RecordImport, to storage: some ServerStorage) async throws {
        let records = file.records
        let service = SyncService(
            storage: storage, schema: CRMSchema.schema, configuration: try store.configuration(), logger: Logger(label: "fieldsync-server")
        )
        // The file's territories first (adding one again changes nothing), so its accounts
        // and users find them on the list.
        var added = 0
        for territory in file.territories ?? [] {
            if try await CommandFailure.reporting({ try await storage.addTerritory(territory) }) { added += 1 }
        }
        if added > 0 { print("added \(added) territories to the list") }
        let summary = try await CommandFailure.reporting { try await service.writeAsServer(records) }
        try await storage.close()
        print("imported \(records.count) records: \(summary.written) written, \(summary.unchanged) unchanged")
    }
}

/// A one-line failure message and exit code 1.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }

    /// Runs `body`, turning a `ServerError` into a one-line message.
    static func reporting<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as ServerError {
            throw CommandFailure("\(error.code.rawValue): \(error.message)")
        }
    }

    static func reporting<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ServerError {
            throw CommandFailure("\(error.code.rawValue): \(error.message)")
        }
    }
}

enum LogSetup {
    /// Structured logs to stderr; stdout stays for the command's output.
    static func bootstrapOnce(level: Logger.Level) {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}

/// `fieldsync-server dump`: every record's full merge state as canonical JSON, sorted by
/// entity and id — the same form as `fieldsync dump` on a device, to compare replicas.
struct Dump: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print every record's merge state as canonical JSON.")

    @OptionGroup var store: StoreOptions

    func run() async throws {
        try await run(on: try await store.openStorage())
    }

    func run(on storage: some ServerStorage) async throws {
        let records = try await CommandFailure.reporting { try await storage.records() }
        try await storage.close()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let states = try records.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        print("[" + states.joined(separator: ",") + "]")
    }
}

/// A replica id typed on the command line; anything else is a usage error naming the value.
extension ReplicaID: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(string: argument)
    }
}
