import SyncCore

extension DeviceStore {
    /// Creates complete records (a fixture data set, a migration from another system) as this
    /// replica's changes, in one transaction: either every record is written, or none is.
    ///
    /// Unlike `apply(_:)`, reference data (products, campaigns) may be written, and the domain
    /// rule does not run: imported records describe the past, so the values a rule derives from
    /// the time of an edit (opened times, close dates) would be wrong. Everything else is
    /// checked as for an edit: entity, id, fields, types, required fields, and references,
    /// which must name a record already on the device or one created earlier in `records`.
    /// The changes join the outbox like any local edit, except those of reference data, which
    /// the server owns and would refuse: they stay on this device.
    ///
    /// - Parameter records: creations only (`LocalEdit.create`), in an order where a referenced
    ///   record comes before the records that reference it.
    /// - Returns: the changes written, one per record, in order.
    /// - Throws: `StoreError` for the first record refused, with its position in the message;
    ///   nothing is written then.
    @discardableResult
    public func importRecords(_ records: [LocalEdit], progress: ImportProgress? = nil) throws -> [Change] {
        for (index, record) in records.enumerated() where !record.isCreation {
            throw StoreError(code: ValidationError.Code.malformedChange.rawValue, .importOnlyCreates, ["index": index, "entity": record.entity, "id": record.recordID])
        }
        do {
            return try write(records, mode: .importing, progress: progress)
        } catch let error as StoreError {
            // The message already names the refused record; say that the others were rolled
            // back too.
            throw StoreError(code: error.code, .importRefused, ["reason": error.refusal])
        }
    }
}

/// How an import reports its progress: `report(written, total)` after every `every` records
/// and after the last, from inside the import's transaction (so nothing is committed yet).
public struct ImportProgress: Sendable {
    public var every: Int
    public var report: @Sendable (_ written: Int, _ total: Int) -> Void

    public init(every: Int = 500, report: @escaping @Sendable (_ written: Int, _ total: Int) -> Void) {
        self.every = max(1, every)
        self.report = report
    }
}
