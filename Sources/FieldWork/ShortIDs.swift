import SyncCore
import SyncStore

/// The shortest unambiguous id prefixes tables show (at least 8 characters), per entity.
///
/// Ids made on one device start with their creation time, so records made in the same
/// minute share their first characters; a fixed 8-character prefix would not resolve.
public final class ShortIDs {
    private let store: DeviceStore
    private var prefixes: [String: [RecordID: String]] = [:]

    public init(store: DeviceStore) {
        self.store = store
    }

    public func callAsFunction(_ entity: String, _ id: RecordID) throws -> String {
        if prefixes[entity] == nil {
            prefixes[entity] = try store.shortIDs(entity)
        }
        return prefixes[entity]?[id] ?? String(id.prefix(8))
    }
}
