import CRM
import FieldWork
import SyncCore
import SyncStore

/// What `create` says when the new record is a probable duplicate of one already on the
/// device, by the rules the server's conflict log and the CSV import use (`DuplicateKeys`
/// through `DuplicateIndex`, as `import-csv` looks). The record is created all the same:
/// offline, the rep may know better, and after sync an admin can merge the pair.
struct DuplicateWarning: Encodable {
    /// The stable code scripts match on.
    static let code = "probable_duplicate"

    var code = DuplicateWarning.code
    var message: String
    /// The record already on the device the new one probably duplicates.
    var duplicateOf: RecordID

    /// The warning for the new record against the device's other visible records of its
    /// entity, nil when it shares no key with any. The others are read only when the new
    /// record has keys (an activity or an order has none).
    static func check(_ new: RecordSnapshot, bench: Workbench) throws -> DuplicateWarning? {
        let entity = new.entity
        let keys = DuplicateIndex.keys(entity: entity, values: new.values)
        guard !keys.isEmpty else { return nil }
        let others = CRMDataSet(states: try bench.store.allStates(entity), schema: bench.schema)
        guard let (holder, label) = DuplicateIndex(existing: others, entity: entity, excluding: new.id).match(keys), let id = holder.id else {
            return nil
        }
        return DuplicateWarning(
            message: "probable duplicate of \(entity) \(holder.name) (\(id.prefix(8))): \(label); "
                + "the record is created, and an admin can merge the two after sync",
            duplicateOf: id
        )
    }

    /// The line on stderr: `warning: probable_duplicate: …`.
    var line: String { "warning: \(code): \(message)" }
}
