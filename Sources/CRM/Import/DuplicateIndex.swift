import SyncCore

/// The records that hold each duplicate key (`DuplicateKeys`) among records of one entity:
/// the device's existing records, then the lines of a CSV file read so far.
struct DuplicateIndex {
    /// A record that holds a key: an existing record or a line of the file.
    struct Holder {
        var description: String
    }

    private(set) var holders: [String: Holder] = [:]

    /// The keys of a record given by its values (`DuplicateKeys`), most specific first, each
    /// with a label saying what matched.
    static func keys(entity: String, values: [String: Value]) -> [(key: String, label: String)] {
        DuplicateKeys.keys(entity: entity, values: values).map { item in
            (item.kind.rawValue + ":" + item.key, DuplicateKeys.reason([item]))
        }
    }

    /// The index of existing records of `entity`.
    init(existing dataSet: CRMDataSet, entity: String) {
        for record in dataSet.records(of: entity) {
            let name = record.text("name") ?? record.text("company") ?? record.text("title") ?? ""
            for (key, _) in Self.keys(entity: entity, values: record.values) where holders[key] == nil {
                holders[key] = Holder(description: "existing \(entity) \(name) (\(record.id))")
            }
        }
    }

    init() {}

    /// The first key of `keys` some holder has, with its holder.
    func match(_ keys: [(key: String, label: String)]) -> (holder: Holder, label: String)? {
        for (key, label) in keys {
            if let holder = holders[key] { return (holder, label) }
        }
        return nil
    }

    /// Records `holder` under every key not taken yet.
    mutating func insert(_ keys: [(key: String, label: String)], holder: Holder) {
        for (key, _) in keys where holders[key] == nil { holders[key] = holder }
    }
}
