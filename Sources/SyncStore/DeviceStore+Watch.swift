import GRDB

extension DeviceStore {
    /// A number that changes whenever another connection — another `fieldsync` process —
    /// commits to this store, and not for this store's own writes: SQLite's `data_version`,
    /// read on the writing connection. A watching sync compares it to notice edits to push.
    public func externalChangeMark() throws -> Int64 {
        try database.writeWithoutTransaction { db in
            try Int64.fetchOne(db, sql: "PRAGMA data_version") ?? 0
        }
    }
}
