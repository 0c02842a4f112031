import Foundation
import SyncCore
import SyncStore
import CRM
import Testing

/// A device store with `fixtures/crm-demo.json` imported through the CLI, made once per test
/// process (the import takes seconds) and copied for each test, so that every test starts
/// from its own fresh file.
enum DemoDevice {
    struct Base: Sendable {
        var path: String
        var account: String
        var qualificationOpportunity: String
        var proposalOpportunity: String
        var openTicket: String
        var importedRecords: Int
        /// The imported records that wait in the outbox: all but reference data.
        var importedChanges: Int
    }

    struct SetupFailed: Error, CustomStringConvertible {
        var description: String
    }

    /// Made by the first test that asks; every later one waits for the same task.
    static let base = Task { try await makeBase() }

    /// What every fresh copy holds, read once from one of them (reading 1,600 states takes
    /// seconds in a debug build).
    static let contents = Task {
        let scratch = try Scratch()
        defer { scratch.remove() }
        return try StoreContents(path: try await copy(into: scratch).1.path)
    }

    /// A fresh copy of the imported store in `scratch`.
    static func copy(into scratch: Scratch) async throws -> (FieldSyncCLI, Base) {
        var base = try await base.value
        let path = scratch.path("device.sqlite")
        for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: base.path + suffix) {
            try FileManager.default.copyItem(atPath: base.path + suffix, toPath: path + suffix)
        }
        base.path = path
        return (FieldSyncCLI(database: path), base)
    }

    private static func makeBase() async throws -> Base {
        // The base outlives every test of this process, so it cannot be removed when a test
        // ends; each process removes the bases of test processes that are gone instead.
        removeStaleBases()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("\(basePrefix)\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("device.sqlite").path
        let cli = FieldSyncCLI(database: path)
        try await check(cli.run(["init"]))
        let fixtures = FieldSyncCLI.packageRoot.appendingPathComponent("fixtures/crm-demo.json").path
        try await check(cli.run(["import", fixtures]))
        func firstID(_ arguments: [String]) async throws -> String {
            let output = try await check(cli.run(arguments + ["--limit", "1", "--json"]))
            let decoded = try JSONSerialization.jsonObject(with: Data(output.utf8))
            guard let id = ((decoded as? [Any])?.first as? [String: Any])?["id"] as? String else {
                throw SetupFailed(description: "no record for fieldsync \(arguments.joined(separator: " "))")
            }
            return id
        }
        let dataSet = try FixtureDataSet.decode(from: Data(contentsOf: URL(fileURLWithPath: fixtures)))
        return Base(
            path: path,
            account: try await firstID(["list", "account", "--where", "tier=A"]),
            qualificationOpportunity: try await firstID(["list", "opportunity", "--where", "stage=qualification"]),
            proposalOpportunity: try await firstID(["list", "opportunity", "--where", "stage=proposal"]),
            openTicket: try await firstID(["list", "ticket", "--where", "status=open"]),
            importedRecords: dataSet.records.count,
            importedChanges: dataSet.records.filter { CRMSchema.schema.entity($0.entity)?.isReadOnly == false }.count
        )
    }

    private static let basePrefix = "fieldsync-e2e-base-"

    private static func removeStaleBases() {
        let temporary = FileManager.default.temporaryDirectory
        let names = (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? []
        for name in names where name.hasPrefix(basePrefix) {
            guard let pid = Int32(name.dropFirst(basePrefix.count).prefix { $0 != "-" }) else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH {
                try? FileManager.default.removeItem(at: temporary.appendingPathComponent(name))
            }
        }
    }

    @discardableResult
    private static func check(_ output: FieldSyncCLI.Output) throws -> String {
        guard output.status == 0 else { throw SetupFailed(description: "setup command failed (\(output.status)): \(output.stderr)") }
        return output.stdout
    }
}

/// Everything a refused command must leave as it was, read directly from the store file.
struct StoreContents: Equatable {
    var dump: Data
    /// Rejected changes included: they stay in the outbox.
    var outbox: [OutboxEntry]
    var status: StoreStatus
    var openConflicts: [ConflictEntry]
    /// The enrollment `fieldsync status` shows.
    var user: String?
    var server: String?

    init(path: String) throws {
        let store = try DeviceStore(path: path, schema: CRMSchema.schema)
        dump = try store.canonicalDump()
        outbox = try store.outbox()
        status = try store.status()
        openConflicts = try store.openConflicts()
        user = try store.setting("user")
        server = try store.setting("server_url")
    }
}
