/// The kinds of conflict that FieldSync reports to people.
public enum ConflictKind: String, Hashable, Sendable, Codable, CaseIterable {
    /// A register holds more than one concurrent value.
    case concurrentValues = "concurrent_values"
    /// A delete met an edit its writer had not seen.
    case deleteVsEdit = "delete_vs_edit"
    /// A reference points at a record that is deleted or was never seen.
    case orphanReference = "orphan_reference"
    /// Two records probably describe the same customer.
    case probableDuplicate = "probable_duplicate"
}

/// Names one conflict: the record, the field (empty for the record itself) and the kind.
public struct ConflictKey: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public var entity: String
    public var recordID: RecordID
    public var field: String
    public var kind: ConflictKind

    public init(entity: String, recordID: RecordID, field: String, kind: ConflictKind) {
        self.entity = entity
        self.recordID = recordID
        self.field = field
        self.kind = kind
    }

    public static func < (lhs: ConflictKey, rhs: ConflictKey) -> Bool {
        (lhs.entity, lhs.recordID, lhs.field, lhs.kind.rawValue) < (rhs.entity, rhs.recordID, rhs.field, rhs.kind.rawValue)
    }

    public var description: String {
        "\(kind.rawValue) \(entity)/\(recordID)\(field.isEmpty ? "" : ".\(field)")"
    }

    enum CodingKeys: String, CodingKey {
        case entity, recordID = "id", field, kind
    }
}
