/// A type `JSONReader` reads without `JSONDecoder` (the protocol's hot types). Generic decoding
/// code (`ServerJSON`, the sync client) asks for this conformance and falls back to
/// `JSONDecoder` for everything else.
public protocol JSONNodeDecodable {
    /// Reads the value from a view of its text (made by `init(json:)` with a `JSONNode`).
    init(json node: JSONView) throws(JSONReadError)
}

/// A type `JSONText` writes without `JSONEncoder`, in the same bytes.
public protocol JSONTextEncodable {
    func write(to text: inout JSONText)
}

extension JSONNodeDecodable {
    public init(json node: JSONNode) throws(JSONReadError) {
        self = try node.withView { view throws(JSONReadError) in try Self(json: view) }
    }

    public init(jsonText text: String) throws(JSONReadError) {
        try self.init(json: try JSONReader.parse(text))
    }

    public init(jsonBytes bytes: [UInt8]) throws(JSONReadError) {
        try self.init(json: try JSONReader.parse(bytes))
    }
}

extension JSONReader {
    /// `type` read from `bytes` when it is one of the types `JSONReader` reads, nil when it is
    /// not (the caller then uses `JSONDecoder`). The one place generic decoding code picks the
    /// fast path.
    public static func decodeIfSupported<T>(_ type: T.Type, from bytes: [UInt8]) throws(JSONReadError) -> T? {
        guard let fast = type as? any JSONNodeDecodable.Type else { return nil }
        return try fast.init(jsonBytes: bytes) as? T
    }
}

extension JSONText {
    /// The JSON of `value` when it is one of the types `JSONText` writes, nil when it is not
    /// (the caller then uses `JSONEncoder`).
    public static func encodedIfSupported(_ value: Any) -> [UInt8]? {
        guard let fast = value as? any JSONTextEncodable else { return nil }
        var text = JSONText(capacity: 1024)
        fast.write(to: &text)
        return text.bytes
    }
}

extension RecordState: JSONNodeDecodable, JSONTextEncodable {
    public func write(to text: inout JSONText) { text.recordState(self) }
}

extension Change: JSONNodeDecodable, JSONTextEncodable {
    public func write(to text: inout JSONText) { text.change(self) }
}

extension SyncAnswer: JSONTextEncodable {
    public func write(to text: inout JSONText) { text.syncResponse(self) }
}

extension SyncAnswer: JSONNodeDecodable where Entry == LogEntry, Record == RecordState {}

extension SyncRequest: JSONNodeDecodable, JSONTextEncodable {
    public func write(to text: inout JSONText) { text.syncRequest(self) }
}

extension LogEntry: JSONNodeDecodable {}
extension SnapshotPageOf: JSONNodeDecodable where Record == RecordState {}
extension EnrollRequest: JSONNodeDecodable {}

extension CompetingValue: JSONTextEncodable {
    public func write(to text: inout JSONText) { text.competingValue(self) }
}

extension String: JSONTextEncodable {
    public func write(to text: inout JSONText) { text.string(self) }
}

/// A list of what `JSONText` writes (a conflict-log entry's competitors and users, a scope's
/// territories as SQL parameters) is written by it too.
extension Array: JSONTextEncodable where Element: JSONTextEncodable {
    public func write(to text: inout JSONText) {
        text.array(self) { text, element in element.write(to: &text) }
    }
}
