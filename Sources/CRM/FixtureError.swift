import SyncCore

/// Why a fixture data set does not fit the schema: the record (or user) it concerns and the
/// problem, in a form a person can act on.
public struct FixtureError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The index of the offending record in `records`, or nil for a problem outside records.
    public var recordIndex: Int?
    /// The entity and id of the offending record, when known.
    public var entity: String?
    public var recordID: String?
    /// The validation code closest to the problem.
    public var code: ValidationError.Code
    public var message: String

    public init(recordIndex: Int?, entity: String? = nil, recordID: String? = nil, code: ValidationError.Code, message: String) {
        self.recordIndex = recordIndex
        self.entity = entity
        self.recordID = recordID
        self.code = code
        self.message = message
    }

    public var description: String {
        var location = recordIndex.map { "record \($0)" } ?? "data set"
        if let entity { location += " (\(entity)\(recordID.map { " \($0)" } ?? ""))" }
        return "\(location): \(code.rawValue): \(message)"
    }
}
