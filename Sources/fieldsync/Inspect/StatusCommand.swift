import ArgumentParser
import FieldWork
import SyncCore
import SyncStore

/// `fieldsync status`: the device at a glance.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: CLIHelp.status(),
        discussion: CLIHelp.statusDiscussion()
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
        list.append(CLIString.deviceStore(), database)
        list.append(CLIString.replicaLabel(), replica)
        list.append(CLIString.user(), user.map { "\($0)\(server.map { " @ \($0)" } ?? "")" } ?? CLIString.notEnrolled())
        let counts = records.sorted { $0.key < $1.key }.map { "\(Labels.entity($0.key)) \($0.value)" }
        list.append(CLIString.records(), counts.isEmpty ? CLIString.none() : counts.joined(separator: ", "))
        list.append(CLIString.unsyncedChanges(), "\(unsyncedChanges)\(rejectedChanges.isEmpty ? "" : " " + CLIString.rejectedByServer(["n": rejectedChanges.count]))")
        list.append(CLIString.openConflicts(), String(openConflicts.count))
        list.append(CLIString.syncCursor(), cursor.map(String.init) ?? (bootstrapping ? CLIString.bootstrapping() : CLIString.neverSynced()))
        var sections = [list.render()]
        if !rejectedChanges.isEmpty {
            var table = TextTable(columns: [
                .init(CLIString.headerChange(), maxWidth: 8, alignRight: true), .init(CLIString.headerEntity(), maxWidth: 12), .init("ID", maxWidth: 36),
                .init(CLIString.headerCode(), maxWidth: 24), .init(CLIString.headerReason(), maxWidth: 60),
            ])
            for rejection in rejectedChanges {
                table.append([
                    String(rejection.counter), Labels.entity(rejection.entity), try ids(rejection.entity, rejection.id), rejection.code,
                    CLIPhrases.refusal(code: rejection.code, rejection.message, cliLanguage),
                ])
            }
            sections.append(CLIString.rejectedHeading() + "\n" + table.render())
        }
        if !openConflicts.isEmpty {
            var table = TextTable(CLIString.headerKind(), CLIString.headerEntity(), "ID", CLIString.headerField())
            for conflict in openConflicts {
                table.append([
                    Labels.conflictKind(conflict.kind), Labels.entity(conflict.entity), try ids(conflict.entity, conflict.id),
                    conflict.field.isEmpty ? "" : Labels.field(conflict.field),
                ])
            }
            sections.append(CLIString.conflictsHeadingStatus() + "\n" + table.render())
        }
        return sections.joined(separator: "\n\n")
    }
}
