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
        abstract: ServerCLIHelp.root(),
        discussion: ServerCLIHelp.rootDiscussion(),
        subcommands: [Serve.self, UserCommand.self, TerritoryCommand.self, DeviceCommand.self, Import.self, Dump.self, Compact.self],
        defaultSubcommand: Serve.self
    )

    /// Runs a command, with the parser's own words (help, usage errors, "Error:") in the
    /// command line's language: help and `--version` on stdout with exit code 0, everything
    /// else on stderr with the parser's exit code (64 for usage errors, 1 for refusals).
    static func main() async {
        do {
            var command = try await asyncParseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let message = fullMessage(for: error)
            let code = exitCode(for: error)
            if code == .success, !message.isEmpty {
                Swift.print(ParserText.localized(message))
                Foundation.exit(0)
            }
            if !message.isEmpty { FileHandle.standardError.write(Data((ParserText.localized(message) + "\n").utf8)) }
            Foundation.exit(code.rawValue)
        }
    }
}

/// Where the store lives: `--postgres-url`, else FIELDSYNC_POSTGRES_URL, else the SQLite file
/// at `--db`, else FIELDSYNC_SERVER_DB (the device client has FIELDSYNC_DB: one variable cannot
/// point both at the same store), else the default.
struct StoreOptions: ParsableArguments {
    @Option(name: .customLong("db"), help: ArgumentHelp(ServerCLIHelp.database()))
    var databasePath: String?
    @Option(
        name: .customLong("postgres-url"),
        help: ArgumentHelp(ServerCLIHelp.postgresURL())
    )
    var postgresURL: String?

    func configuration() throws -> ServerConfiguration {
        var configuration: ServerConfiguration
        do throws(ConfigurationError) {
            configuration = try ServerConfiguration().applying(environment: ProcessInfo.processInfo.environment)
        } catch {
            // A usage error (exit 64) in the command line's language.
            throw ArgumentParser.ValidationError(error.message(in: .commandLine))
        }
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
    static let configuration = CommandConfiguration(abstract: ServerCLIHelp.serve())

    @Option(help: ArgumentHelp(ServerCLIHelp.host())) var host: String?
    @Option(help: ArgumentHelp(ServerCLIHelp.port())) var port: Int?
    @OptionGroup var store: StoreOptions
    @Option(help: ArgumentHelp(ServerCLIHelp.logLevel())) var logLevel: String?
    @Option(help: ArgumentHelp(ServerCLIHelp.maxRequestBytes())) var maxRequestBytes: Int?
    @Option(help: ArgumentHelp(ServerCLIHelp.maxClockSkew())) var maxClockSkew: String?
    @Option(help: ArgumentHelp(ServerCLIHelp.rateLimit()))
    var rateLimit: String?
    @Option(help: ArgumentHelp(ServerCLIHelp.rateBurst())) var rateBurst: Int?
    @OptionGroup var compaction: CompactionOptions
    @Option(help: ArgumentHelp(ServerCLIHelp.compactionInterval()))
    var compactionInterval: String?
    @Option(help: ArgumentHelp(ServerCLIHelp.headerTimeout()))
    var headerTimeout: String?
    @Option(help: ArgumentHelp(ServerCLIHelp.bodyTimeout()))
    var bodyTimeout: String?
    @Option(help: ArgumentHelp(ServerCLIHelp.idleTimeout()))
    var idleTimeout: String?
    @Option(help: ArgumentHelp(ServerCLIHelp.maxConnections()))
    var maxConnections: Int?
    @Option(help: ArgumentHelp(ServerCLIHelp.maxBufferedBytes()))
    var maxBufferedBytes: Int?
    @Option(help: ArgumentHelp(ServerCLIHelp.maxUnauthenticatedBytes()))
    var maxUnauthenticatedBytes: Int?
    @Option(help: ArgumentHelp(ServerCLIHelp.shutdownGrace()))
    var shutdownGrace: String?
    @Option(help: ArgumentHelp(ServerCLIHelp.expensiveReads()))
    var expensiveReads: Int?
    @Option(help: ArgumentHelp(ServerCLIHelp.expensiveReadQueue()))
    var expensiveReadQueue: Int?
    @Option(help: ArgumentHelp(ServerCLIHelp.maxWatchers()))
    var maxWatchers: Int?
    @Option(help: ArgumentHelp(ServerCLIHelp.watchPing()))
    var watchPing: String?

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
        if let maxWatchers { configuration.maxWatchers = maxWatchers }
        if let watchPing { configuration.watchPingInterval = try ServerConfiguration.parseTimeout(watchPing, source: "--watch-ping") }
        try configuration.validate()
        return configuration
    }

    func validate() throws {
        do {
            _ = try serverConfiguration()
        } catch let error as ConfigurationError {
            throw ArgumentParser.ValidationError(error.message(in: .commandLine))
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
        abstract: ServerCLIHelp.user(),
        subcommands: [Add.self, SetScope.self, Code.self, List.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: ServerCLIHelp.userAdd())

        @Argument(help: ArgumentHelp(ServerCLIHelp.newUserName())) var name: String
        @Option(help: ArgumentHelp(ServerCLIHelp.role())) var role: String = "rep"
        @Option(name: .customLong("territory"), help: ArgumentHelp(ServerCLIHelp.addTerritory()))
        var territories: [String] = []
        @Option(name: .customLong("team"), help: ArgumentHelp(ServerCLIHelp.addTeam()))
        var team: [String] = []
        @OptionGroup var store: StoreOptions

        func validate() throws {
            guard let parsed = Role(rawValue: role) else {
                throw ArgumentParser.ValidationError(ServerCLIString.roleChoices(["roles": Role.allCases.map(\.rawValue).joined(separator: ", ")]))
            }
            if !team.isEmpty && parsed != .manager {
                throw ArgumentParser.ValidationError(ServerCLIString.teamForManagers())
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
            let user = created.user
            let teamText = user.team.isEmpty ? "" : ServerCLIString.createdTeam(["team": user.team.joined(separator: ", ")])
            print(ServerCLIString.created(["role": user.role.rawValue, "name": user.name, "territories": user.territories.joined(separator: ", "), "team": teamText]))
            print(ServerCLIString.enrollmentCode(["code": created.enrollmentCode]))
        }
    }

    struct Code: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: ServerCLIHelp.userCode())

        @Argument(help: ArgumentHelp(ServerCLIHelp.userName())) var name: String
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await run(on: try await store.openStorage())
        }

        func run(on storage: some ServerStorage) async throws {
            let accounts = AccountService(storage: storage, logger: Logger(label: "fieldsync-server"))
            let code = try await CommandFailure.reporting { try await accounts.issueEnrollmentCode(for: name) }
            try await storage.close()
            print(ServerCLIString.enrollmentCode(["code": code]))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: ServerCLIHelp.userList())

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
        abstract: ServerCLIHelp.device(),
        subcommands: [List.self, Revoke.self, Reassign.self, Wipe.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: ServerCLIHelp.deviceList())

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
        static let configuration = CommandConfiguration(abstract: ServerCLIHelp.revoke())

        @Argument(help: ArgumentHelp(ServerCLIHelp.replica())) var replica: ReplicaID
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await store.perform(.revoke(replica), done: ServerCLIString.revoked(["replica": replica]))
        }
    }

    struct Reassign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: ServerCLIHelp.reassign()
        )

        @Argument(help: ArgumentHelp(ServerCLIHelp.replica())) var replica: ReplicaID
        @Option(help: ArgumentHelp(ServerCLIHelp.reassignUser())) var user: String
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await store.perform(
                .reassign(replica, to: user),
                done: ServerCLIString.reassigned(["replica": replica, "user": user])
            )
        }
    }

    struct Wipe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: ServerCLIHelp.wipe()
        )

        @Argument(help: ArgumentHelp(ServerCLIHelp.replica())) var replica: ReplicaID
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await store.perform(.wipe(replica), done: ServerCLIString.wiped(["replica": replica]))
        }
    }
}

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: ServerCLIHelp.importAbstract(),
        discussion: ServerCLIHelp.importDiscussion()
    )

    @Argument(help: ArgumentHelp(ServerCLIHelp.importFile())) var file: String
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw CommandFailure(ServerCLIString.cannotRead(["file": file, "reason": FileReadFailure(error)()]))
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
        if added > 0 { print(ServerCLIString.addedTerritories(["count": added])) }
        let summary = try await CommandFailure.reporting { try await service.writeAsServer(records) }
        try await storage.close()
        print(ServerCLIString.imported(["count": records.count, "written": summary.written, "unchanged": summary.unchanged]))
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
            throw CommandFailure("\(error.code.rawValue): \(error.message(in: .commandLine))")
        }
    }

    static func reporting<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ServerError {
            throw CommandFailure("\(error.code.rawValue): \(error.message(in: .commandLine))")
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
    static let configuration = CommandConfiguration(abstract: ServerCLIHelp.dump())

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
