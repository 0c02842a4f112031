import SyncCore

/// The records that hold each duplicate key (`DuplicateKeys`) among records of one entity:
/// the device's existing records, then the lines of a CSV file read so far. `fieldsync create`
/// and `import-csv` both look for a new record's duplicates through it.
public struct DuplicateIndex: Sendable {
    /// A record that holds a key: an existing record or a line of the file.
    public struct Holder: Sendable, Hashable {
        /// The existing record's id; nil for a line of the file.
        public var id: RecordID?
        /// Its name (company, title), empty when it has none.
        public var name: String
        /// The line of the file; nil for an existing record.
        public var line: Int?
        /// "existing account 凯达商贸 (id)" or "line 4".
        public var description: String

        public init(id: RecordID? = nil, name: String = "", line: Int? = nil, description: String) {
            self.id = id
            self.name = name
            self.line = line
            self.description = description
        }
    }

    private(set) var holders: [String: Holder] = [:]

    /// The keys of a record given by its values (`DuplicateKeys`), most specific first, each
    /// with a label saying what matched.
    public static func keys(entity: String, values: [String: Value]) -> [(key: String, label: String)] {
        DuplicateKeys.keys(entity: entity, values: values).map { item in
            (item.kind.rawValue + ":" + item.key, DuplicateKeys.reason([item]))
        }
    }

    /// The index of existing records of `entity`, but `excluded` (the new record itself).
    public init(existing dataSet: CRMDataSet, entity: String, excluding excluded: RecordID? = nil) {
        for record in dataSet.records(of: entity) where record.id != excluded {
            let name = record.text("name") ?? record.text("company") ?? record.text("title") ?? ""
            let holder = Holder(id: record.id, name: name, description: "existing \(entity) \(name) (\(record.id))")
            for (key, _) in Self.keys(entity: entity, values: record.values) where holders[key] == nil {
                holders[key] = holder
            }
        }
    }

    public init() {}

    /// The first key of `keys` some holder has, with its holder.
    public func match(_ keys: [(key: String, label: String)]) -> (holder: Holder, label: String)? {
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
