import ArgumentParser
import CRM
import FieldWork
import Foundation
import SyncCore
import SyncStore

/// The device store as commands use it (`Workbench` of the FieldWork library): the store
/// opened from the command's options, library errors reported, applied edits printed.
extension Workbench {
    /// Opens the store of an existing device and runs `body`; library errors become one
    /// line on stderr and exit code 1.
    static func run<T>(_ device: DeviceOptions, _ body: (Workbench) throws -> T) throws -> T {
        let store = try device.openExistingStore()
        return try CommandErrors.report { try body(Workbench(store: store)) }
    }

    /// Like `run`, for a command that reads records: while the device's first sync (its
    /// bootstrap) is unfinished, says on stderr that what it shows may be incomplete.
    static func read<T>(_ device: DeviceOptions, _ body: (Workbench) throws -> T) throws -> T {
        try run(device) { bench in
            BootstrapNotice.warnIfIncomplete(bench.store)
            return try body(bench)
        }
    }

    /// Prints what one record's edit did, or the record as one JSON object (as `show` does).
    func report(_ applied: AppliedEdit, verb: RecordVerb, json: Bool) throws {
        if json, let after = applied.after {
            try JSONOutput.print(RecordView(after, schema: schema))
            return
        }
        try report([applied], verb: verb, json: json)
    }

    /// Prints what applied edits of several records did, or the records as a JSON array.
    func report(_ applied: [AppliedEdit], verb: RecordVerb, json: Bool) throws {
        if json {
            try JSONOutput.print(applied.compactMap { $0.after.map { RecordView($0, schema: schema) } })
            return
        }
        for edit in applied {
            let label = edit.after.map { RecordLabel.of($0, schema: schema) } ?? ""
            let action = edit.change.isDelete ? RecordVerb.deleted : (edit.before == nil ? .created : verb)
            print("\(action()) \(Labels.entity(edit.change.entity)) \(edit.change.recordID)\(label.isEmpty ? "" : "  \(label)")")
            if !edit.change.isDelete {
                print(RecordText.changes(edit.change, before: edit.before, after: edit.after))
            }
        }
    }
}

extension DeviceOptions {
    /// Opens the device store, which `fieldsync init` (or `enroll`) must have created.
    func openExistingStore() throws -> DeviceStore {
        guard FileManager.default.fileExists(atPath: path) else {
            throw CommandErrors.failure(CLIString.noDeviceStore(["path": path]))
        }
        return try openStore()
    }
}

/// `--json` for read commands.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: ArgumentHelp(CLIHelp.json()))
    var json = false
}

/// `--progress` for imports: their progress on stderr also when it is not a terminal (on a
/// terminal it is always shown), a line per report; stdout and `--json` stay as they are.
struct ProgressOptions: ParsableArguments {
    @Flag(name: .long, help: ArgumentHelp(CLIHelp.progress()))
    var progress = false
}

/// The warning reads give while a bootstrap is unfinished.
enum BootstrapNotice {
    /// One line on stderr when the device is enrolled but its first sync has not finished:
    /// records are still arriving, so lists and reports may miss some.
    static func warnIfIncomplete(_ store: DeviceStore) {
        let bootstrapping = (try? store.bootstrapCursor()) != nil
        let neverSynced = (try? store.setting("token")) != nil && (try? store.cursor()) == nil
        guard bootstrapping || neverSynced else { return }
        let records = (try? store.status().records.values.reduce(0, +)) ?? 0
        TerminalOutput.write(
            CLIString.warning(["message": CLIString.bootstrapIncomplete(["records": records])]) + "\n",
            to: .standardError
        )
    }
}
