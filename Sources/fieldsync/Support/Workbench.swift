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

    func entity(_ text: String) throws -> EntitySchema {
        try EntityNames.resolve(text, in: schema)
    }

    /// The full id of a record typed as an id or a unique prefix of one.
    func resolve(_ entity: EntitySchema, _ prefix: String) throws -> RecordID {
        try store.resolveID(entity.name, prefix: prefix.trimmingCharacters(in: .whitespaces))
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
        FieldEditor(entity: entity, current: current) { target, prefix in
            try store.resolveID(target, prefix: prefix)
        }
    }

    /// Applies edits in one transaction and returns each record before and after.
    @discardableResult
    func apply(_ edits: [LocalEdit]) throws -> [AppliedEdit] {
        let before = try edits.map { try store.record($0.entity, id: $0.recordID) }
        let changes = try store.apply(edits)
        return try changes.enumerated().map { index, change in
            AppliedEdit(change: change, before: before[index], after: try store.record(change.entity, id: change.recordID))
        }
    }

    /// Prints what applied edits did, or the records as JSON.
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
