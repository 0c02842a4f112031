/// The canonical JSON text of one change or record state: what `JSONText` writes for it
/// (sorted keys, no white space), which is how the server stores it and how it travels.
///
/// The server keeps each change and state in this form from the moment it is admitted, and
/// splices the stored text into log pages, arrivals and snapshot pages without parsing it
/// again (see `EncodedSyncResponse`). Only text this module wrote, or read back from where it
/// stored it, is wrapped: nothing from the network.
public struct CanonicalJSON: Sendable, Hashable, JSONTextEncodable {
    public let text: String

    /// Text known to be canonical: read back from the server's own storage.
    public init(stored text: String) {
        self.text = text
    }

    /// The canonical text of `value`.
    public init(_ value: some JSONTextEncodable) {
        var writer = JSONText(capacity: 512)
        value.write(to: &writer)
        text = String(decoding: writer.bytes, as: UTF8.self)
    }

    /// Written into a larger text as it is.
    public func write(to text: inout JSONText) {
        text.splice(self)
    }

    /// The value again, read by `JSONReader`.
    public func decoded<T: JSONNodeDecodable>(as type: T.Type) throws(JSONReadError) -> T {
        try T(jsonText: text)
    }
}

/// A log entry whose change is its canonical text.
public struct EncodedLogEntry: SyncAnswerEntry {
    public var sequence: LogSequence
    public var change: CanonicalJSON

    public init(sequence: LogSequence, change: CanonicalJSON) {
        self.sequence = sequence
        self.change = change
    }

    public init(_ entry: LogEntry) {
        self.init(sequence: entry.sequence, change: CanonicalJSON(entry.change))
    }

    public func decoded() throws(JSONReadError) -> LogEntry {
        LogEntry(sequence: sequence, change: try change.decoded(as: Change.self))
    }
}

/// A snapshot page whose records are their canonical texts.
public typealias EncodedSnapshotPage = SnapshotPageOf<CanonicalJSON>

extension SnapshotPageOf where Record == CanonicalJSON {
    public init(_ page: SnapshotPage) {
        self.init(records: page.records.map(CanonicalJSON.init), next: page.next, highWater: page.highWater, total: page.total)
    }
}

/// A `SyncResponse` as the server builds it: the changes, arrivals and snapshot records are the
/// stored canonical texts, written into the answer as they are (`JSONText.syncResponse`).
/// `SyncResponse` is what a device reads from the same bytes.
public typealias EncodedSyncResponse = SyncAnswer<EncodedLogEntry, CanonicalJSON>

extension SyncAnswer where Entry == EncodedLogEntry, Record == CanonicalJSON {
    /// The encoded form of a decoded answer (for tests and fakes of the server).
    public init(_ response: SyncResponse) {
        self.init(
            protocolVersion: response.protocolVersion, serverTime: response.serverTime, results: response.results,
            changes: response.changes.map(EncodedLogEntry.init), cursor: response.cursor, hasMore: response.hasMore,
            snapshot: response.snapshot.map(EncodedSnapshotPage.init), evictions: response.evictions,
            arrivals: response.arrivals.map(CanonicalJSON.init), resync: response.resync
        )
    }

    /// The bytes of the stored texts it splices in: most of the answer's length, so a writer
    /// that reserves this much (plus room for the rest) grows its buffer at most once.
    public var splicedBytes: Int {
        changes.reduce(0) { $0 + $1.change.text.utf8.count }
            + arrivals.reduce(0) { $0 + $1.text.utf8.count }
            + (snapshot?.records.reduce(0) { $0 + $1.text.utf8.count } ?? 0)
    }

    /// The answer as a device reads it: these bytes, parsed.
    public func decoded() throws(JSONReadError) -> SyncResponse {
        var text = JSONText(capacity: 4096)
        write(to: &text)
        return try SyncResponse(jsonBytes: text.bytes)
    }
}
