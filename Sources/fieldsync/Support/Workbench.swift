import ArgumentParser
import CRM
import Foundation
import SyncCore
import SyncStore

/// The device store as commands use it: names and id prefixes resolved the way people type
/// them, edits applied and reported.
struct Workbench {
    let store: DeviceStore
    let shortIDs: ShortIDs
    var schema: Schema { store.schema }

    init(store: DeviceStore) {
        self.store = store
        self.shortIDs = ShortIDs(store: store)
    }

    /// A record before and after one applied change.
    struct AppliedEdit {
        var change: Change
        var before: RecordSnapshot?
        var after: RecordSnapshot?
    }

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

    func entity(_ text: String) throws -> EntitySchema {
        try EntityNames.resolve(text, in: schema)
    }

    /// The full id of a record typed as an id, a unique prefix of one, or its name (the
    /// name, title, number… `RecordLabel` shows): a record named exactly so, else the one
    /// whose name contains the text, letter case ignored. Several matches are refused with
    /// `ambiguous_name`, listing them.
    func resolve(_ entity: EntitySchema, _ typed: String) throws -> RecordID {
        let text = typed.trimmingCharacters(in: .whitespaces)
        let notAnID: StoreError
        do {
            return try store.resolveID(entity.name, prefix: text)
        } catch let error as StoreError where error.code == "record_not_found" || error.code == ValidationError.Code.invalidRecordID.rawValue {
            notAnID = error
        }
        guard !text.isEmpty, let field = RecordLabel.nameField(of: entity) else { throw notAnID }
        let shown = 10
        var matches = try store.records(entity.name, matching: [.equals(field, .string(text))], limit: shown + 1)
        if matches.isEmpty {
            matches = try store.records(entity.name, matching: [.like(field, text)], limit: shown + 1)
        }
        switch matches.count {
        case 0:
            throw StoreError(code: "record_not_found", message: "no \(entity.name) has the id or \(field) '\(text)'")
        case 1:
            return matches[0].id
        default:
            let listed = try matches.prefix(shown).map { record in
                let city = record.value("city").stringValue.map { " (\($0))" } ?? ""
                return "\(try shortIDs(entity.name, record.id)) \(RecordLabel.of(record, schema: schema))\(city)"
            }
            throw StoreError(
                code: "ambiguous_name",
                message: "\(matches.count > shown ? "more than \(shown)" : "\(matches.count)") \(entity.name) records match '\(text)': "
                    + listed.joined(separator: "; ") + "; type more of the name, or an id"
            )
        }
    }

    /// A record that must exist, typed as an id or prefix.
    func record(_ entity: EntitySchema, _ prefix: String) throws -> RecordSnapshot {
        let id = try resolve(entity, prefix)
        guard let record = try store.record(entity.name, id: id) else { throw StoreError.recordNotFound(entity.name, id) }
        return record
    }

    /// A record that exists and is not deleted.
    func liveRecord(_ entity: EntitySchema, _ prefix: String) throws -> RecordSnapshot {
        let record = try record(entity, prefix)
        if record.deleted { throw StoreError(code: "record_deleted", message: "\(entity.name) \(record.id) was deleted") }
        return record
    }

    func editor(_ entity: EntitySchema, current: RecordSnapshot?) -> FieldEditor {
        FieldEditor(entity: entity, current: current, territories: (try? store.territories()) ?? TerritoryList(territories: [])) { target, typed in
            try resolve(try self.entity(target), typed)
        }
    }

    /// Applies edits in one transaction and returns each record before and after; `check`,
    /// when given, runs first inside that transaction.
    @discardableResult
    func apply(_ edits: [LocalEdit], checking check: (TransactionReader) throws -> Void = { _ in }) throws -> [AppliedEdit] {
        let before = try edits.map { try store.record($0.entity, id: $0.recordID) }
        let changes = try store.apply(edits, checking: check)
        return try changes.enumerated().map { index, change in
            AppliedEdit(change: change, before: before[index], after: try store.record(change.entity, id: change.recordID))
        }
    }

    /// Applies one record's edit in one transaction.
    func apply(_ edit: LocalEdit) throws -> AppliedEdit {
        guard let applied = try apply([edit]).first else { throw StoreError(code: "nothing_applied", message: "the edit changed no record") }
        return applied
    }

    /// Prints what one record's edit did, or the record as one JSON object (as `show` does).
    func report(_ applied: AppliedEdit, verb: String, json: Bool) throws {
        if json, let after = applied.after {
            try JSONOutput.print(RecordView(after, schema: schema))
            return
        }
        try report([applied], verb: verb, json: json)
    }

    /// Prints what applied edits of several records did, or the records as a JSON array.
    func report(_ applied: [AppliedEdit], verb: String, json: Bool) throws {
        if json {
            try JSONOutput.print(applied.compactMap { $0.after.map { RecordView($0, schema: schema) } })
            return
        }
        for edit in applied {
            let label = edit.after.map { RecordLabel.of($0, schema: schema) } ?? ""
            let action = edit.change.isDelete ? "deleted" : (edit.before == nil ? "created" : verb)
            print("\(action) \(edit.change.entity) \(edit.change.recordID)\(label.isEmpty ? "" : "  \(label)")")
            if !edit.change.isDelete {
                print(RecordText.changes(edit.change, before: edit.before, after: edit.after))
            }
        }
    }

    /// The enrolled user, who owns what this device creates.
    func user() throws -> String? {
        try store.setting("user")
    }
}

extension DeviceOptions {
    /// Opens the device store, which `fieldsync init` (or `enroll`) must have created.
    func openExistingStore() throws -> DeviceStore {
        guard FileManager.default.fileExists(atPath: path) else {
            throw CommandErrors.failure("no device store at \(path); create one with `fieldsync init` (or pass --db, or set FIELDSYNC_DB)")
        }
        return try openStore()
    }
}

/// `--json` for read commands.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print stable JSON (sorted keys) instead of a table.")
    var json = false
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
            "warning: the first sync of this device is not finished (\(records) record(s) so far); what is shown may be incomplete: run `fieldsync sync` to finish it\n",
            to: .standardError
        )
    }
}
