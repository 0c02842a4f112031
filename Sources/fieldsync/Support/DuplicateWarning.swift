import CRM
import FieldWork
import SyncCore
import SyncStore

/// What `create` says when the new record is a probable duplicate of one already on the
/// device, by the rules the server's conflict log and the CSV import use (`DuplicateKeys`).
/// The record is created all the same: offline, the rep may know better, and after sync an
/// admin can merge the pair.
enum DuplicateWarning {
    /// The warning for the new record against the device's other visible records of its
    /// entity, nil when it shares no key with any. The others are read only when the new
    /// record has keys (an activity or an order has none).
    static func text(for new: RecordSnapshot, bench: Workbench) throws -> String? {
        let entity = new.entity
        let keys = DuplicateKeys.keys(entity: entity, values: new.values)
        guard !keys.isEmpty else { return nil }
        let records = CRMDataSet(states: try bench.store.allStates(entity), schema: bench.schema).records(of: entity)
        for other in records where other.id != new.id {
            let theirs = Set(DuplicateKeys.keys(entity: entity, values: other.values).map { "\($0.kind.rawValue) \($0.key)" })
            let shared = keys.filter { theirs.contains("\($0.kind.rawValue) \($0.key)") }
            guard !shared.isEmpty else { continue }
            let name = other.text("name") ?? other.text("company") ?? ""
            return CLIString.warning(["message": CLIString.probableDuplicate([
                "entity": Labels.entity(entity), "name": name, "id": other.id.prefix(8), "reason": DuplicateKeys.reason(shared, cliLanguage),
            ])])
        }
        return nil
    }
}
