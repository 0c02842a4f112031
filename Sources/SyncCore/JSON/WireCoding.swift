/// A type `JSONReader` reads without `JSONDecoder` (the protocol's hot types). Generic decoding
/// code (`ServerJSON`, the sync client) asks for this conformance and falls back to
/// `JSONDecoder` for everything else.
public protocol JSONNodeDecodable {
    init(json node: JSONNode) throws(JSONReadError)
}

/// A type `JSONText` writes without `JSONEncoder`, in the same bytes.
public protocol JSONTextEncodable {
    func write(to text: inout JSONText)
}

extension JSONNodeDecodable {
    public init(jsonText text: String) throws(JSONReadError) {
        try self.init(json: try JSONReader.parse(text))
    }

    public init(jsonBytes bytes: [UInt8]) throws(JSONReadError) {
        try self.init(json: try JSONReader.parse(bytes))
    }
}

extension JSONTextEncodable {
    /// The JSON text, as `JSONEncoder` with sorted keys and unescaped slashes writes it.
    public var jsonText: String {
        var text = JSONText(capacity: 512)
        write(to: &text)
        return text.text
    }
}

extension RecordState: JSONNodeDecodable, JSONTextEncodable {
    public func write(to text: inout JSONText) { text.recordState(self) }
}

extension Change: JSONNodeDecodable, JSONTextEncodable {
    public func write(to text: inout JSONText) { text.change(self) }
}

extension SyncResponse: JSONNodeDecodable, JSONTextEncodable {
    public func write(to text: inout JSONText) { text.syncResponse(self) }
}

extension SyncRequest: JSONNodeDecodable, JSONTextEncodable {
    public func write(to text: inout JSONText) { text.syncRequest(self) }
}

extension LogEntry: JSONNodeDecodable {}
extension SnapshotPage: JSONNodeDecodable {}
