import CRM
import FieldWork
import SyncCore

/// What `create` says when the new record is a probable duplicate of one already on the
/// device, by the rules the server's conflict log and the CSV import use (`DuplicateKeys`).
/// The record is created all the same: offline, the rep may know better, and after sync an
/// admin can merge the pair.
enum DuplicateWarning {
    /// The warning for the record `id` of `entity` against the device's other visible records
    /// of that entity, nil when it shares no key with any.
    static func text(entity: String, id: RecordID, bench: Workbench) throws -> String? {
        let records = CRMDataSet(states: try bench.store.allStates(entity), schema: bench.schema).records(of: entity)
        guard let new = records.first(where: { $0.id == id }) else { return nil }
        let keys = DuplicateKeys.keys(entity: entity, values: new.values)
        guard !keys.isEmpty else { return nil }
        for other in records where other.id != id {
            let theirs = Set(DuplicateKeys.keys(entity: entity, values: other.values).map { "\($0.kind.rawValue) \($0.key)" })
            let shared = keys.filter { theirs.contains("\($0.kind.rawValue) \($0.key)") }
            guard !shared.isEmpty else { continue }
            let name = other.text("name") ?? other.text("company") ?? ""
            return "warning: probable duplicate of \(entity) \(name) (\(other.id.prefix(8))): \(DuplicateKeys.reason(shared)); "
                + "the record is created, and an admin can merge the two after sync"
        }
        return nil
    }
}
