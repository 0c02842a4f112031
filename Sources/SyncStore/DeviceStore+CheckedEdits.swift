import Foundation
import GRDB
import SyncCore

/// What a check of `DeviceStore.apply(_:checking:)` may read: the store's states inside the
/// edit's own write transaction, so nothing another process writes can slip in between the
/// check and the edit.
public struct TransactionReader {
    let db: Database

    /// The state of one record, deleted or not; nil when the device has none.
    public func state(_ entity: String, id: RecordID) throws -> RecordState? {
        try DeviceStore.loadState(db, entity, id)
    }

    /// Every state of `entity` (deleted ones included), by id.
    public func states(_ entity: String) throws -> [RecordState] {
        try Data.fetchAll(db, sql: "SELECT state FROM records WHERE entity = ? ORDER BY id", arguments: [entity])
            .map { try DeviceStore.decodeState($0) }
    }

    /// Every state of `entity` whose displayed `field` is one of the texts `values` (deleted
    /// ones included), by id: a rule that needs a few rows of a large reference table (the
    /// company's stage probabilities among every rep's KPI targets) decodes only those.
    public func states(_ entity: String, where field: String, isOneOf values: [String]) throws -> [RecordState] {
        guard !values.isEmpty else { return [] }
        return try Data.fetchAll(
            db,
            sql: """
                SELECT state FROM records WHERE entity = ? AND json_extract(display, ?) IN (\(databaseQuestionMarks(count: values.count)))
                ORDER BY id
                """,
            arguments: StatementArguments([entity, "$.\"\(field)\""] + values)
        ).map { try DeviceStore.decodeState($0) }
    }

    /// Every state of `entity` that belongs to `account` (deleted ones included).
    public func states(_ entity: String, account: RecordID) throws -> [RecordState] {
        try Data.fetchAll(db, sql: "SELECT state FROM records WHERE entity = ? AND account = ? ORDER BY id", arguments: [entity, account])
            .map { try DeviceStore.decodeState($0) }
    }
}

extension DeviceStore {
    /// Applies local edits like `apply(_:)`, after `check` passed inside the same write
    /// transaction (a rule that depends on other records: a redemption within the device's
    /// escrow). A check that throws writes nothing.
    @discardableResult
    public func apply(_ edits: [LocalEdit], checking check: (TransactionReader) throws -> Void) throws -> [Change] {
        try write(edits, mode: .edit, check: check)
    }
}

extension DeviceStore {
    /// Reads with the same reader in one read transaction (a consistent view of several records).
    public func read<T>(_ body: (TransactionReader) throws -> T) throws -> T {
        try database.read { db in try body(TransactionReader(db: db)) }
    }
}
