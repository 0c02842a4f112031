/// The versioned wire protocol between devices and the sync server (`POST /v1/sync`).
public enum SyncProtocol {
    /// The protocol version this build speaks; the server refuses others with
    /// `unsupported_protocol_version`.
    public static let version = 1
}

/// Where a device stands in the server log: the sequence number of the last entry applied.
public typealias LogSequence = Int64

/// One round trip: push the outbox, pull the next page.
public struct SyncRequest: Codable, Sendable, Hashable {
    public var protocolVersion: Int
    /// The device's replica id (must match its enrollment).
    public var replica: ReplicaID
    /// The device's physical clock when it sent the request, milliseconds since 1970.
    public var clientTime: Int64
    /// The last log sequence applied; nil for a device that has not bootstrapped yet.
    public var cursor: LogSequence?
    /// Unacknowledged local changes, in dot order.
    public var changes: [Change]
    /// Set while the device is bootstrapping from a snapshot.
    public var bootstrap: BootstrapCursor?
    /// The most log entries or snapshot records the device wants in this page.
    public var limit: Int?

    public init(
        protocolVersion: Int = SyncProtocol.version, replica: ReplicaID, clientTime: Int64,
        cursor: LogSequence?, changes: [Change], bootstrap: BootstrapCursor? = nil, limit: Int? = nil
    ) {
        self.protocolVersion = protocolVersion
        self.replica = replica
        self.clientTime = clientTime
        self.cursor = cursor
        self.changes = changes
        self.bootstrap = bootstrap
        self.limit = limit
    }

    enum CodingKeys: String, CodingKey {
        case protocolVersion = "protocol", replica, clientTime, cursor, changes, bootstrap, limit
    }
}

/// Position inside a snapshot bootstrap: the log sequence the snapshot started at, the phase of
/// the walk and the last record sent. The server is stateless between pages: everything it needs
/// to go on travels here, and the device stores it with each page.
///
/// A bootstrap walks in two phases: first the `priority` accounts (chosen once, on the first page,
/// for the device's `day`: follow-ups due or visits planned) with every record that belongs to
/// them, then the rest of the scope. See SyncServer/README.md, "Bootstrap".
public struct BootstrapCursor: Codable, Sendable, Hashable {
    /// The phases of a bootstrap walk.
    public enum Phase: String, Codable, Sendable, Hashable {
        /// The priority accounts and their records.
        case priority
        /// Everything else in scope (a walk without priority accounts is only this phase).
        case rest
    }

    /// The log sequence the device follows from once the snapshot is complete.
    public var highWater: LogSequence?
    /// The last `(entity, id)` sent in the current phase, in the server's snapshot order; nil
    /// before the phase's first page.
    public var afterEntity: String?
    public var afterID: RecordID?
    /// The phase the next page continues; nil means `rest` (cursors of servers before phases).
    public var phase: Phase?
    /// The accounts sent first, chosen on the first page and fixed for the whole bootstrap.
    public var priority: [RecordID]?
    /// The device's local date (`YYYY-MM-DD`) the priority accounts are chosen for; sent on the
    /// first page only. The server takes the UTC date of the request's `clientTime` without it.
    public var day: String?

    public init(
        highWater: LogSequence? = nil, afterEntity: String? = nil, afterID: RecordID? = nil,
        phase: Phase? = nil, priority: [RecordID]? = nil, day: String? = nil
    ) {
        self.highWater = highWater
        self.afterEntity = afterEntity
        self.afterID = afterID
        self.phase = phase
        self.priority = priority
        self.day = day
    }
}

/// What the server did with one pushed change.
public struct ChangeResult: Codable, Sendable, Hashable {
    public enum Status: String, Codable, Sendable {
        /// Applied and appended to the log.
        case accepted
        /// Already applied earlier (a retry): nothing changed.
        case duplicate
        /// Refused; the change stays on the device with this reason.
        case rejected
    }

    public var dot: Dot
    public var status: Status
    /// A stable reason code for rejections (`unknown_field`, `clock_skew`, `out_of_scope`, …).
    public var code: String?
    public var message: String?
    /// The log sequence the change was appended at, when accepted.
    public var sequence: LogSequence?
    /// For `accepted` and `duplicate`: the stamp the server holds for the dot, which the device
    /// adopts. A dot has one stamp everywhere, and the server's is the one every other replica
    /// receives: a change refused for clock skew and stamped again by its device may still be
    /// accepted with its first stamp, from a copy of the refused request arriving later. Nil
    /// when the server's record keeps no value of the dot (later writes covered them all).
    public var hlc: HLC?
    /// The rejection's sentence, typed, where it was decided (not on the wire): the server
    /// says `message` from it in the requester's language.
    public var refusal: Refusal?

    enum CodingKeys: String, CodingKey {
        case dot, status, code, message, sequence, hlc
    }

    public init(dot: Dot, status: Status, code: String? = nil, message: String? = nil, sequence: LogSequence? = nil, hlc: HLC? = nil) {
        self.dot = dot
        self.status = status
        self.code = code
        self.message = message
        self.sequence = sequence
        self.hlc = hlc
    }

    /// A rejection with its stable code and its sentence; `message` is the English.
    public init(dot: Dot, rejectedWith code: String, _ refusal: Refusal) {
        self.init(dot: dot, status: .rejected, code: code, message: refusal.english)
        self.refusal = refusal
    }

    /// Results are equal when what travels is: the typed sentence stays where it was decided.
    public static func == (lhs: ChangeResult, rhs: ChangeResult) -> Bool {
        lhs.dot == rhs.dot && lhs.status == rhs.status && lhs.code == rhs.code && lhs.message == rhs.message && lhs.sequence == rhs.sequence && lhs.hlc == rhs.hlc
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(dot)
        hasher.combine(status)
        hasher.combine(code)
        hasher.combine(message)
        hasher.combine(sequence)
        hasher.combine(hlc)
    }

    /// The code of a change stamped too far ahead of the server's clock: the server stored
    /// nothing of it, and the device stamps it again from its corrected clock.
    public static let clockSkewCode = "clock_skew"

    /// The code of a change whose context names writes the server does not have yet.
    public static let missingDependencyCode = "missing_dependency"
}

/// One entry of the server's change log.
public struct LogEntry: Codable, Sendable, Hashable {
    public var sequence: LogSequence
    public var change: Change

    public init(sequence: LogSequence, change: Change) {
        self.sequence = sequence
        self.change = change
    }

    enum CodingKeys: String, CodingKey {
        case sequence = "seq", change
    }
}

/// One page of a snapshot bootstrap, its records held as `Record`: decoded states
/// (`SnapshotPage`, what a device reads) or their stored canonical texts
/// (`EncodedSnapshotPage`, what the server splices into its answer).
public struct SnapshotPageOf<Record: JSONTextEncodable & Sendable & Hashable>: Sendable, Hashable {
    public var records: [Record]
    /// Where the next page starts; nil when the snapshot is complete and the device switches to
    /// following the log from `highWater`.
    public var next: BootstrapCursor?
    public var highWater: LogSequence
    /// On a bootstrap's first page: how many records the device's scope held when the snapshot
    /// started, for progress and an estimate of the time left (records written during the
    /// bootstrap may make the real count differ a little).
    public var total: Int?

    public init(records: [Record], next: BootstrapCursor?, highWater: LogSequence, total: Int? = nil) {
        self.records = records
        self.next = next
        self.highWater = highWater
        self.total = total
    }
}

extension SnapshotPageOf: Codable where Record: Codable {}

/// A snapshot page as a device reads it.
public typealias SnapshotPage = SnapshotPageOf<RecordState>

/// The key of one record: an eviction names the record a device must drop because it left the
/// device's scope.
public struct RecordReference: Codable, Sendable, Hashable {
    public var entity: String
    public var id: RecordID

    public init(entity: String, id: RecordID) {
        self.entity = entity
        self.id = id
    }
}

/// A log entry as a sync answer holds it: decoded (`LogEntry`) or with its change as the stored
/// canonical text (`EncodedLogEntry`).
public protocol SyncAnswerEntry: Sendable, Hashable {
    associatedtype Body: JSONTextEncodable
    var sequence: LogSequence { get }
    var change: Body { get }
}

/// The server's answer to a `SyncRequest`, its log entries held as `Entry` and its record states
/// as `Record`: decoded (`SyncResponse`, what a device reads) or as their stored canonical texts
/// (`EncodedSyncResponse`, what the server writes without parsing them again). Both write the
/// same bytes (`JSONText.syncResponse`).
public struct SyncAnswer<Entry: SyncAnswerEntry, Record: JSONTextEncodable & Sendable & Hashable>: Sendable, Hashable {
    public var protocolVersion: Int
    /// The server's clock when it answered, milliseconds since 1970: devices estimate their
    /// offset from it.
    public var serverTime: Int64
    /// One result per pushed change, in the order pushed.
    public var results: [ChangeResult]
    /// Log entries after the request's cursor that the device may see.
    public var changes: [Entry]
    /// The cursor to send next time.
    public var cursor: LogSequence?
    /// More log entries (or snapshot pages) wait: sync again.
    public var hasMore: Bool
    /// Present while bootstrapping.
    public var snapshot: SnapshotPageOf<Record>?
    /// Records that left the device's scope: drop each with the records that belong to it
    /// (an account with its children), after applying `arrivals` and `changes`. Pending local
    /// changes of these records stay in the outbox.
    public var evictions: [RecordReference]
    /// Current states of records that entered the device's scope (an account moved into one of
    /// its territories, with its children): join them before applying `changes`.
    public var arrivals: [Record]
    /// The device's scope changed since its data was replicated: drop every record (keep the
    /// outbox) and bootstrap again; `snapshot` holds the first page.
    public var resync: Bool

    public init(
        protocolVersion: Int = SyncProtocol.version, serverTime: Int64, results: [ChangeResult],
        changes: [Entry], cursor: LogSequence?, hasMore: Bool, snapshot: SnapshotPageOf<Record>? = nil,
        evictions: [RecordReference] = [], arrivals: [Record] = [], resync: Bool = false
    ) {
        self.protocolVersion = protocolVersion
        self.serverTime = serverTime
        self.results = results
        self.changes = changes
        self.cursor = cursor
        self.hasMore = hasMore
        self.snapshot = snapshot
        self.evictions = evictions
        self.arrivals = arrivals
        self.resync = resync
    }
}

/// The server's answer as a device reads it.
public typealias SyncResponse = SyncAnswer<LogEntry, RecordState>

extension LogEntry: SyncAnswerEntry {}

extension SyncAnswer: Codable where Entry: Codable, Record: Codable {
    enum CodingKeys: String, CodingKey {
        case protocolVersion = "protocol", serverTime, results, changes, cursor, hasMore, snapshot, evictions, arrivals, resync
    }

    // A device reads answers leniently: keys it does not know are ignored, and the keys added
    // after protocol 1 was first released (`arrivals`, `resync`) may be absent.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        protocolVersion = try container.decode(Int.self, forKey: .protocolVersion)
        serverTime = try container.decode(Int64.self, forKey: .serverTime)
        results = try container.decode([ChangeResult].self, forKey: .results)
        changes = try container.decode([Entry].self, forKey: .changes)
        cursor = try container.decodeIfPresent(LogSequence.self, forKey: .cursor)
        hasMore = try container.decode(Bool.self, forKey: .hasMore)
        snapshot = try container.decodeIfPresent(SnapshotPageOf<Record>.self, forKey: .snapshot)
        evictions = try container.decodeIfPresent([RecordReference].self, forKey: .evictions) ?? []
        arrivals = try container.decodeIfPresent([Record].self, forKey: .arrivals) ?? []
        resync = try container.decodeIfPresent(Bool.self, forKey: .resync) ?? false
    }
}

/// `POST /v1/enroll`: a device trades a one-time enrollment code for a device token.
public struct EnrollRequest: Codable, Sendable, Hashable {
    public var code: String
    public var replica: ReplicaID
    public var deviceName: String

    public init(code: String, replica: ReplicaID, deviceName: String) {
        self.code = code
        self.replica = replica
        self.deviceName = deviceName
    }
}

public struct EnrollResponse: Codable, Sendable, Hashable {
    public var token: String
    public var user: String
    public var role: String
    public var territories: [String]
    public var serverTime: Int64

    public init(token: String, user: String, role: String, territories: [String], serverTime: Int64) {
        self.token = token
        self.user = user
        self.role = role
        self.territories = territories
        self.serverTime = serverTime
    }
}

/// The JSON body of every error response: `{"error": {"code": …, "message": …}}`.
public struct ErrorBody: Codable, Sendable, Hashable {
    public struct Detail: Codable, Sendable, Hashable {
        public var code: String
        public var message: String
    }

    public var error: Detail

    public init(code: String, message: String) {
        self.error = Detail(code: code, message: message)
    }
}
