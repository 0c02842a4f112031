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
        // The index's keys and the kinds they were made from, in one order: the kind gives
        // the reason in the reader's language.
        let items = DuplicateKeys.keys(entity: entity, values: new.values)
        let keys = DuplicateIndex.keys(entity: entity, values: new.values)
        guard !keys.isEmpty else { return nil }
        let index = DuplicateIndex(existing: CRMDataSet(states: try bench.store.allStates(entity), schema: bench.schema), entity: entity, excluding: new.id)
        for (item, key) in zip(items, keys) {
            guard let (holder, _) = index.match([key]), let id = holder.id else { continue }
            let message = CLIString.probableDuplicate([
                "entity": Labels.entity(entity), "name": holder.name, "id": id.prefix(8), "reason": DuplicateKeys.reason([item], cliLanguage),
            ])
            return DuplicateWarning(message: message, duplicateOf: id)
        }
        return nil
    }

    /// The line on stderr, its code first as errors have theirs: `warning: probable_duplicate: …`,
    /// `警告：probable_duplicate：…`.
    var line: String { CLIString.warning(["message": code + (cliLanguage == .chinese ? "：" : ": ") + message]) }
}
