import ArgumentParser
import CRM
import FieldWork
import Foundation
import SyncCore
import SyncStore

/// `fieldsync history ENTITY ID`: the changes that made a record.
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: CLIHelp.history(),
        discussion: CLIHelp.historyDiscussion()
    )

    @OptionGroup var device: DeviceOptions

    @Argument(help: ArgumentHelp(CLIHelp.entity()))
    var entity: String

    @Argument(help: ArgumentHelp(CLIHelp.record()))
    var id: String

    @OptionGroup var output: OutputOptions

    func run() throws {
        try Workbench.run(device) { bench in
            let entity = try bench.entity(self.entity)
            let id = try bench.resolve(entity, self.id)
            let entries = try HistoryView.load(bench, entity: entity.name, id: id)
            if output.json {
                try JSONOutput.print(entries)
            } else {
                print(HistoryView.text(entries, entity: entity.name, id: id))
            }
        }
    }
}

/// One change of a record's history.
struct HistoryView: Encodable {
    struct FieldChange: Encodable {
        /// The value this device showed before it applied the change.
        var old: DisplayValue
        var new: DisplayValue
        /// The values the change's writer had seen (its context covered them): one, or several
        /// when it saw a conflict; empty when the history holds none (a creation, or older
        /// writes that history compaction dropped; then `old` stands for it).
        var seen: [Value]
        /// The writes of the same field made without seeing this one, nor this one seeing
        /// them (`replica:counter`).
        var concurrentWith: [String]
        /// The value the change assigned (registers), which `new` differs from when a
        /// concurrent value is the one displayed.
        var wrote: Value?
    }

    /// The HLC's physical time, UTC.
    var at: String
    var hlc: String
    var replica: String
    var counter: UInt64
    /// True when the change was made on this device.
    var thisDevice: Bool
    /// "local" or "remote" (pulled from the server).
    var origin: String
    /// The enrolled user, for changes made on this device.
    var user: String?
    var delete: Bool
    var fields: [String: FieldChange]

    static func load(_ bench: Workbench, entity: String, id: RecordID) throws -> [HistoryView] {
        let user = try bench.user()
        let replica = bench.store.replicaID
        let history = try bench.store.history(entity, id: id)
        let changes = history.map(\.change)
        return history.map { entry in
            let isLocal = entry.change.dot.replica == replica
            var fields: [String: FieldChange] = [:]
            for (field, diff) in entry.diff {
                let lineage = entry.change.lineage(of: field, among: changes)
                fields[field] = FieldChange(
                    old: diff.old, new: diff.new, seen: lineage.seen,
                    concurrentWith: lineage.concurrent.map { "\($0.replica.rawValue):\($0.counter)" }, wrote: entry.change.assigned(field)
                )
            }
            return HistoryView(
                at: Days.time(entry.change.hlc), hlc: entry.change.hlc.description,
                replica: entry.change.dot.replica.rawValue, counter: entry.change.dot.counter,
                thisDevice: isLocal, origin: entry.origin, user: isLocal ? user : nil, delete: entry.change.isDelete,
                fields: fields
            )
        }
    }

    static func text(_ entries: [HistoryView], entity: String, id: RecordID) -> String {
        let schema = CRMSchema.schema.entity(entity)
        guard !entries.isEmpty else { return CLIString.noHistory(["entity": Labels.entity(entity), "id": id]) }
        var blocks = [CLIString.historyTitle(["entity": Labels.entity(entity), "id": id, "n": entries.count])]
        for entry in entries {
            let who = entry.thisDevice
                ? entry.user.map { CLIString.thisDeviceUser(["user": $0]) } ?? CLIString.thisDevice()
                : CLIString.replica(["replica": entry.replica.prefix(8)])
            let origin = entry.origin == "local" ? CLIString.originLocal() : entry.origin == "remote" ? CLIString.originRemote() : entry.origin
            var block = "\(entry.at)  \(DisplayWidth.padded(origin, to: 6))  \(who)  \(CLIString.change(["dot": "\(entry.replica.prefix(8)):\(entry.counter)"]))"
            var list = KeyValueList()
            for field in entry.fields.keys.sorted() {
                guard let change = entry.fields[field] else { continue }
                let name = field == "_deleted" ? CLIString.fieldDeleted() : Labels.field(field)
                let type = schema?.field(field)
                let seen = change.seen.isEmpty ? Self.text(change.old, type) : change.seen.map { Self.text(.value($0), type) }.joined(separator: " | ")
                let concurrent = change.concurrentWith.map { "\($0.prefix(8)):\($0.split(separator: ":").last ?? "")" }
                let wrote = change.wrote.map { Self.text(.value($0), type) } ?? Self.text(change.new, type)
                list.append(name, "\(seen) → \(wrote)\(concurrent.isEmpty ? "" : "  " + CLIString.concurrentWith(["writes": concurrent.joined(separator: ", ")]))")
            }
            if !list.entries.isEmpty { block += "\n" + list.render(indent: "    ") }
            blocks.append(block)
        }
        return blocks.joined(separator: "\n")
    }

    private static func text(_ value: DisplayValue, _ field: FieldSchema?) -> String {
        let text = Cells.text(value)
        return text.isEmpty ? "∅" : Labels.value(text, of: field)
    }
}
