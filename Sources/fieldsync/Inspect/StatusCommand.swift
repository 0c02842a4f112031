import ArgumentParser
import FieldWork
import SyncCore
import SyncStore

/// `fieldsync status`: the device at a glance.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the device: replica, records, unsynced and rejected changes, conflicts.",
        discussion: "Changes the server rejected stay on the device and are listed with the server's reason."
    )

    @OptionGroup var device: DeviceOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try Workbench.run(device) { bench in
            let report = try StatusReport(bench: bench, path: device.path)
            if output.json {
                try JSONOutput.print(report)
            } else {
                print(try report.text(ids: bench.shortIDs))
            }
        }
    }
}

/// What `status` shows.
struct StatusReport: Encodable {
    struct Rejection: Encodable {
        var entity: String
        var id: RecordID
        var counter: UInt64
        var code: String
        var message: String
        var attempts: Int
    }

    struct Conflict: Encodable {
        var kind: String
        var entity: String
        var id: RecordID
        var field: String
        var target: String?
        var openedAt: String
    }

    var database: String
    var replica: String
    var user: String?
    var server: String?
    var records: [String: Int]
    var unsyncedChanges: Int
    var rejectedChanges: [Rejection]
    var openConflicts: [Conflict]
    var cursor: LogSequence?
    var bootstrapping: Bool
    var lastDot: UInt64

    init(bench: Workbench, path: String) throws {
        let status = try bench.store.status()
        database = path
        replica = status.replica.rawValue
        user = try bench.store.setting("user")
        server = try bench.store.setting("server_url")
        records = status.records
        unsyncedChanges = status.pendingChanges
        rejectedChanges = try bench.store.rejectedChanges().map { entry in
            Rejection(
                entity: entry.change.entity, id: entry.change.recordID, counter: entry.change.dot.counter,
                code: entry.rejectCode ?? "", message: entry.rejectMessage ?? "", attempts: entry.attempts
            )
        }
        openConflicts = try bench.store.openConflicts().map { entry in
            Conflict(
                kind: entry.key.kind.rawValue, entity: entry.key.entity, id: entry.key.recordID, field: entry.key.field,
                target: entry.target, openedAt: Timestamps.string(milliseconds: entry.openedAt)
            )
        }
        cursor = status.cursor
        bootstrapping = status.bootstrapping
        lastDot = status.lastDot
    }

    func text(ids: ShortIDs) throws -> String {
        var list = KeyValueList()
        list.append("device store", database)
        list.append("replica", replica)
        list.append("user", user.map { "\($0)\(server.map { " @ \($0)" } ?? "")" } ?? "not enrolled (offline only)")
        let counts = records.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        list.append("records", counts.isEmpty ? "none" : counts.joined(separator: ", "))
        list.append("unsynced changes", "\(unsyncedChanges)\(rejectedChanges.isEmpty ? "" : " (\(rejectedChanges.count) rejected by the server)")")
        list.append("open conflicts", String(openConflicts.count))
        list.append("sync cursor", cursor.map(String.init) ?? (bootstrapping ? "bootstrapping" : "never synced"))
        var sections = [list.render()]
        if !rejectedChanges.isEmpty {
            var table = TextTable(columns: [
                .init("CHANGE", maxWidth: 8, alignRight: true), .init("ENTITY", maxWidth: 12), .init("ID", maxWidth: 36),
                .init("CODE", maxWidth: 24), .init("REASON", maxWidth: 60),
            ])
            for rejection in rejectedChanges {
                table.append([String(rejection.counter), rejection.entity, try ids(rejection.entity, rejection.id), rejection.code, rejection.message])
            }
            sections.append("Rejected changes (kept on this device)\n" + table.render())
        }
        if !openConflicts.isEmpty {
            var table = TextTable("KIND", "ENTITY", "ID", "FIELD")
            for conflict in openConflicts {
                table.append([conflict.kind, conflict.entity, try ids(conflict.entity, conflict.id), conflict.field])
            }
            sections.append("Open conflicts (details: fieldsync conflicts)\n" + table.render())
        }
        return sections.joined(separator: "\n\n")
    }
}
