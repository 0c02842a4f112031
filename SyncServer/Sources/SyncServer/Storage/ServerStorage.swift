import CRM
import SyncCore

/// Where the sync server keeps its replica, its log and its accounts.
///
/// The routes and services talk only to this protocol, so a PostgreSQL backend can be added
/// next to `SQLiteServerStorage` without touching them. A backend owns transactions and
/// uniqueness; the decisions about each change (duplicate, missing dependency, merge) are the
/// pure `ChangeAdmission` rules, which every backend calls inside its transaction.
public protocol ServerStorage: Sendable {
    /// The server's own replica id, created once with the store.
    func serverReplica() async throws -> ReplicaID

    /// The highest log sequence, 0 for an empty log.
    func latestSequence() async throws -> LogSequence

    /// Applies pushed changes that passed the stateless checks, in order, in one transaction,
    /// and returns one result per change. Either every accepted change is stored (record, log
    /// entry, conflicts) or, when the transaction fails, none is.
    ///
    /// Changes outside `scope` are rejected with `out_of_scope` (see `ScopeRules`), decided
    /// against the records as they stand inside the transaction, so an account created earlier
    /// in the same batch is seen by its contacts.
    ///
    /// With `sync`, the device's note (`noteSync`) is written in the same transaction, so a sync
    /// round that answers with a log page commits once. A round that pushes nothing and notes
    /// something appends nothing to the log and does not wait for its lock.
    func applyChanges(_ changes: [Change], author: ChangeAuthor, scope: AccessScope, noting sync: SyncNote?) async throws -> [ChangeResult]

    /// Takes one token from the rate-limit bucket `key` shared by every process on this store;
    /// nil when admitted, else the milliseconds until a token is back.
    func takeRateToken(key: String, now: Int64, burst: Int, perSecond: Double) async throws -> Int64?

    /// The admin web page's sessions, kept in the store so that every server process knows them.
    func saveAdminSession(_ session: StoredAdminSession) async throws
    func adminSession(idHash: String, now: Int64) async throws -> StoredAdminSession?
    func endAdminSession(idHash: String) async throws

    /// How long write transactions waited for and held the change log's lock since the store
    /// was opened; nil on a backend without one (SQLite's single writer orders the log itself).
    var logLockStatistics: LogLockStatistics? { get }

    /// True when several server processes may share this store (PostgreSQL): then per-process
    /// state such as rate-limit buckets must live in the store.
    var isSharedByProcesses: Bool { get }

    /// Rung after every committed write that may have appended to the log, in this process
    /// and, through `relayNews(to:)`, in the store's other server processes (`LiveNews`).
    var commits: CommitBell { get }

    /// Passes other server processes' commits on to `bell` until cancelled (PostgreSQL's
    /// `LISTEN`), reconnecting when the connection drops and ringing once after each
    /// (re)connection, since commits in between were missed. Returns at once when one process
    /// owns the store.
    func relayNews(to bell: CommitBell) async

    /// The highest log sequence a read may publish now (every change at or below it that will
    /// ever commit is visible to a read that starts after this call).
    func newsPosition() async throws -> LogSequence

    /// Whether the log holds, after `after` and up to `through`, an entry `scope` sees that
    /// `replica` did not write (an entry of its record moving in or out of the scope counts):
    /// a device watching for news pulls when it does.
    func hasNews(after: LogSequence, through: LogSequence, scope: AccessScope, excluding replica: ReplicaID) async throws -> Bool

    /// The dots among `changes` that the server already applied (the log holds them or their
    /// record's version covers them), each with the stamp its record holds for it
    /// (`RecordState.stamp(of:)`): a retry of one is a duplicate, whatever else is wrong with
    /// it now, and its device adopts that stamp.
    func appliedDots(among changes: [Change]) async throws -> [Dot: HLC?]

    /// Writes records as the server replica (its own dots and HLC), in one transaction.
    /// Fields whose value is already what `writes` asks for are left alone.
    func applyServerWrites(_ writes: [RecordWrite], physicalTime: Int64) async throws -> ServerWriteSummary

    /// An admin's correction of an account's loyalty points: one `adjust` ledger entry written
    /// as the server, checked against the account's ledger in the same transaction (a negative
    /// one takes at most what no device holds as escrow). Returns the account's ledger after it.
    func adjustLoyaltyPoints(account: RecordID, points: Int64, reason: String, admin: String, physicalTime: Int64) async throws -> LoyaltyLedger

    /// The next page of the log after `cursor` as a device with `scope` may see it, oldest
    /// first: at most `limit` log rows that concern the scope and about `maxBytes` bytes of JSON
    /// (always at least one row when any is left). Entries the scope may not see are skipped,
    /// and the page's cursor still moves past them. Records that left the scope come back as
    /// evictions, records that entered it as arrivals (their current states). See
    /// SyncServer/README.md, "Scope".
    func logPage(after cursor: LogSequence, limit: Int, maxBytes: Int, scope: AccessScope) async throws -> LogPage

    /// One page of the current states of the records in `scope`, at most `limit` records and
    /// about `maxBytes` bytes of JSON (at least one record when any is left), each state as
    /// stored (its canonical JSON, spliced into the answer unparsed).
    ///
    /// On the first page (`position.highWater == nil`) the backend reads the high-water mark
    /// and chooses the priority accounts (`BootstrapPriority`, for `position.day`) in the same
    /// read transaction. The walk then has two phases, each ordered by `(entity, id)` and
    /// resumed after `position.after`: `priority` sends the records whose account is one of
    /// the priority accounts (the accounts themselves included); `rest` sends every other
    /// record in scope, and also a priority record that has a log entry after the high-water
    /// mark (it may have joined the priority set after the first phase passed it). The page's
    /// `next` carries the phase, the priority list and the last key; nil when the walk is done.
    /// See SyncServer/README.md, "Bootstrap".
    func snapshotPage(_ position: SnapshotPosition, limit: Int, maxBytes: Int, scope: AccessScope) async throws -> EncodedSnapshotPage

    /// Records that a device synced (see `SyncNote`), outside the log's lock.
    func noteSync(_ sync: SyncNote) async throws

    // MARK: Compaction

    /// Both ends of the log as one read sees them (`LogBounds`): a sync checks the device's
    /// position against them before it pushes.
    func logBounds() async throws -> LogBounds

    /// Notes that `replica` is bootstrapping from a snapshot taken at `highWater`: until the
    /// device reports a cursor beyond it, compaction keeps every entry after `highWater`.
    /// Also counts as a sign of life for the compaction horizon (`last_seen`).
    func noteBootstrap(replica: ReplicaID, highWater: LogSequence, at time: Int64) async throws

    /// Compacts the log in one write transaction.
    ///
    /// 1. The new floor is the lowest position of the devices that hold compaction back — not
    ///    revoked, seen at or after `activeSince` (ms since 1970), and with a position: the
    ///    greater of their acknowledged cursor and their noted bootstrap high-water mark — or
    ///    the latest sequence when there is none. The floor never moves back.
    /// 2. Every entry at or below the floor that is dead for its record (`LogCompaction`:
    ///    nothing of it is left in the record's current state) is deleted. Live entries, and
    ///    every entry above the floor, stay. Records are never deleted.
    ///
    /// With `reclaimSpace` the backend also reclaims the freed space, outside the transaction
    /// (SQLite `VACUUM` returns the pages to the file system; PostgreSQL `VACUUM change_log`
    /// makes them reusable).
    func compactLog(activeSince: Int64, reclaimSpace: Bool) async throws -> CompactionSummary

    // MARK: Accounts

    /// Creates a user and returns it as stored; throws `user_exists` when the name is taken and
    /// `unknown_territory` for a territory not on a non-empty territory list (a territory may
    /// be typed by its title; the user keeps its key).
    func createUser(_ user: UserAccount, enrollmentCodeHash: String) async throws -> UserAccount

    /// Replaces a user's pending enrollment code; throws `not_found` for an unknown user.
    func setEnrollmentCode(user: String, codeHash: String) async throws

    func user(named name: String) async throws -> UserAccount?

    /// Replaces a user's territories and team; throws `not_found` for an unknown user and
    /// `unknown_territory` as `createUser` does.
    func updateUser(named name: String, territories: [String], team: [String]) async throws -> UserAccount

    func users() async throws -> [UserAccount]

    // MARK: Territories

    /// The territories the server manages, by key.
    func territories() async throws -> TerritoryList

    /// Adds a territory, or gives one of the same key a new title; true when it was new.
    /// Throws `territory_exists` when another territory has the title.
    func addTerritory(_ territory: Territory) async throws -> Bool

    /// Removes a territory (typed by key or title); throws `not_found`, and `territory_in_use`
    /// while a user works in it or an account belongs to it.
    func removeTerritory(named name: String) async throws

    /// Trades a one-time code for a device token, atomically (see SyncServer/README.md,
    /// "Enrollment"):
    ///
    /// - a user's pending code enrolls a new replica, or re-enrolls a replica of the same user
    ///   (revoked or not: it is reactivated); the code is consumed and stays bound to the replica;
    /// - a consumed code re-enrolls the replica it is bound to (until that device's first sync),
    ///   for a retry whose answer was lost;
    /// - every re-enrollment replaces the token hash: the old token stops working.
    ///
    /// Throws `invalid_enrollment_code` for an unknown code or one consumed by another replica,
    /// `replica_already_enrolled` for a replica of another user, `device_revoked` for a consumed
    /// code of a revoked device, and `device_wiped` for a wiped replica. A refused enrollment
    /// changes nothing.
    func enrollDevice(codeHash: String, replica: ReplicaID, name: String, tokenHash: String, at time: Int64) async throws -> UserAccount

    /// The device holding the token with this hash, with the stored hash to compare.
    func device(tokenHash: String) async throws -> StoredDeviceCredential?

    func devices() async throws -> [DeviceAccount]

    /// Marks a device revoked; false when there is no such device.
    func revokeDevice(_ replica: ReplicaID) async throws -> Bool

    /// Marks a device wiped (and revoked), and hands the escrow it held back to the accounts
    /// (a `return` entry per account, written as the server); false when there is no such device.
    func wipeDevice(_ replica: ReplicaID) async throws -> Bool

    /// Moves a revoked device to another user (an admin's approval), so that user's next code
    /// re-enrolls it; it stays revoked until then. Throws `not_found` (no such device or user),
    /// `device_not_revoked` and `device_wiped`.
    func reassignDevice(_ replica: ReplicaID, to user: String) async throws

    // MARK: Inspection

    func record(entity: String, id: RecordID) async throws -> RecordState?

    /// Every record, ordered by `(entity, id)`.
    func records() async throws -> [RecordState]

    /// The changes the log still holds of records of `entities`, in log order: the history
    /// reports read as of a past day (compaction may have dropped superseded ones).
    func loggedChanges(of entities: [String]) async throws -> [Change]

    /// The number of entries in the change log.
    func logCount() async throws -> Int

    func conflicts(openOnly: Bool) async throws -> [ConflictEntry]

    // MARK: Conflicts and audit (admin)

    /// One page of the conflict log matching `filter`, with counts; ages are measured from `now`.
    func conflictList(_ filter: ConflictFilter, now: Int64) async throws -> ConflictList

    /// One conflict-log entry with the record before and after it and the related record.
    func conflictDetail(id: Int64) async throws -> ConflictDetail?

    /// Settles an open entry with server changes whose context covers the competing writes, in
    /// one transaction; the entry becomes `resolved_by_admin`. Throws `conflict_not_open` for
    /// a closed entry and `invalid_request` for an action that does not fit it.
    func resolveConflict(id: Int64, _ resolution: ConflictResolution, by admin: ChangeAuthor) async throws -> ConflictResolutionResult

    /// Marks an open entry dismissed without changing any record.
    func dismissConflict(id: Int64, reason: String, by admin: String, at time: Int64) async throws -> ConflictLogEntry

    /// Merges two duplicate records with server changes: children re-pointed to the survivor,
    /// the survivor's empty fields filled from the duplicate, the duplicate deleted.
    func mergeDuplicates(_ request: DuplicateMergeRequest, by admin: ChangeAuthor) async throws -> DuplicateMergeResult

    /// Every logged change of one record with old → new values; nil when the server never saw it.
    func recordHistory(entity: String, id: RecordID) async throws -> RecordHistory?

    /// Counts for `/metrics`.
    func conflictStatistics(now: Int64) async throws -> ConflictStatistics

    /// Closes the store; later calls fail.
    func close() async throws
}

extension ServerStorage {
    public var logLockStatistics: LogLockStatistics? { nil }

    /// Applies pushed changes with no device note (see `applyChanges(_:author:scope:noting:)`).
    public func applyChanges(_ changes: [Change], author: ChangeAuthor, scope: AccessScope) async throws -> [ChangeResult] {
        try await applyChanges(changes, author: author, scope: scope, noting: nil)
    }

    public func noteSync(replica: ReplicaID, acknowledgedCursor: LogSequence?, replicatedScope: AccessScope?, resync: ResyncNote, at time: Int64) async throws {
        try await noteSync(SyncNote(replica: replica, acknowledgedCursor: acknowledgedCursor, replicatedScope: replicatedScope, resync: resync, time: time))
    }
}

/// What the server records about a device when it syncs: the cursor the device says it has
/// applied, and when; and, when `replicatedScope` is given, that its data is now replicated
/// under that scope. The enrollment code the device's token came from stops working (the
/// answer evidently arrived).
public struct SyncNote: Sendable, Hashable {
    public var replica: ReplicaID
    public var acknowledgedCursor: LogSequence?
    public var replicatedScope: AccessScope?
    public var resync: ResyncNote
    /// Server clock, milliseconds since 1970.
    public var time: Int64

    public init(replica: ReplicaID, acknowledgedCursor: LogSequence?, replicatedScope: AccessScope?, resync: ResyncNote, time: Int64) {
        self.replica = replica
        self.acknowledgedCursor = acknowledgedCursor
        self.replicatedScope = replicatedScope
        self.resync = resync
        self.time = time
    }
}

/// The change log's lock as one store saw it: how many write transactions took it, how long
/// they waited for it and held it (from the grant to the end of COMMIT or ROLLBACK), and how
/// many write transactions ran without it.
public struct LogLockStatistics: Sendable, Hashable, Codable {
    public var lockedTransactions = 0
    public var unlockedTransactions = 0
    public var waitSeconds = 0.0
    public var holdSeconds = 0.0
    public var longestHoldSeconds = 0.0

    public init() {}

    mutating func recordLocked(wait: Duration, hold: Duration) {
        lockedTransactions += 1
        waitSeconds += wait.seconds
        holdSeconds += hold.seconds
        longestHoldSeconds = max(longestHoldSeconds, hold.seconds)
    }
}


/// The scope a read is filtered by (the name the storage API had before scopes existed).
public typealias ReadScope = AccessScope

/// Who sent a batch of changes, for the log.
public struct ChangeAuthor: Sendable, Hashable {
    public var user: String
    /// The sending replica's id text.
    public var device: String
    /// Server clock when the batch arrived, milliseconds since 1970.
    public var receivedAt: Int64

    public init(user: String, device: String, receivedAt: Int64) {
        self.user = user
        self.device = device
        self.receivedAt = receivedAt
    }
}

/// One page of the change log, as one device's scope sees it, changes and states as stored
/// (their canonical JSON, spliced into the answer unparsed).
public struct LogPage: Sendable, Hashable {
    public var entries: [EncodedLogEntry]
    /// The log position the page ends at: the device's next cursor. Past the last entry when
    /// entries the scope may not see follow it.
    public var cursor: LogSequence
    /// More of the log follows `cursor`.
    public var hasMore: Bool
    /// Current states of records that entered the scope in this part of the log.
    public var arrivals: [CanonicalJSON]
    /// Records that left the scope in this part of the log.
    public var evictions: [RecordReference]

    public init(entries: [EncodedLogEntry], cursor: LogSequence, hasMore: Bool, arrivals: [CanonicalJSON] = [], evictions: [RecordReference] = []) {
        self.entries = entries
        self.cursor = cursor
        self.hasMore = hasMore
        self.arrivals = arrivals
        self.evictions = evictions
    }
}

/// Where a snapshot page starts.
public struct SnapshotPosition: Sendable, Hashable {
    /// The log sequence the snapshot started at; nil to start a new snapshot now.
    public var highWater: LogSequence?
    /// The last record already sent in `phase`; nil for the phase's first page.
    public var after: RecordReference?
    /// The phase the page continues; ignored on the first page.
    public var phase: BootstrapCursor.Phase
    /// The priority accounts chosen on the first page; ignored on the first page.
    public var priority: [RecordID]
    /// The device's day the priority accounts are chosen for (`YYYY-MM-DD`), first page only.
    public var day: String?

    public init(
        highWater: LogSequence? = nil, after: RecordReference? = nil, phase: BootstrapCursor.Phase = .rest,
        priority: [RecordID] = [], day: String? = nil
    ) {
        self.highWater = highWater
        self.after = after
        self.phase = phase
        self.priority = priority
        self.day = day
    }
}

/// What one compaction run did.
public struct CompactionSummary: Sendable, Hashable, Codable {
    /// The floor after the run: entries at or below it may be gone.
    public var floor: LogSequence
    /// The floor before the run.
    public var previousFloor: LogSequence
    /// Records whose entries were examined.
    public var recordsExamined: Int
    /// Entries deleted.
    public var entriesRemoved: Int
    /// Entries left in the log.
    public var entriesKept: Int
    /// Devices left out of the floor because they were not seen since the horizon: each must
    /// bootstrap again if its cursor is below the floor.
    public var inactiveDevices: Int

    public init(floor: LogSequence, previousFloor: LogSequence, recordsExamined: Int, entriesRemoved: Int, entriesKept: Int, inactiveDevices: Int) {
        self.floor = floor
        self.previousFloor = previousFloor
        self.recordsExamined = recordsExamined
        self.entriesRemoved = entriesRemoved
        self.entriesKept = entriesKept
        self.inactiveDevices = inactiveDevices
    }
}

/// What a server-side write did.
public struct ServerWriteSummary: Sendable, Hashable, Codable {
    /// The log sequences of the changes written, in input order.
    public var sequences: [LogSequence]
    /// Records that already held every value asked for.
    public var unchanged: Int

    public init(sequences: [LogSequence] = [], unchanged: Int = 0) {
        self.sequences = sequences
        self.unchanged = unchanged
    }

    public var written: Int { sequences.count }
}

/// One entry of the server's conflict log (the wire type of the admin API).
public typealias ConflictEntry = ConflictLogEntry

/// Both ends of the log, read together.
public struct LogBounds: Sendable, Hashable {
    /// The newest entry's sequence (0 for an empty log): no device position may be past it.
    public var latest: LogSequence
    /// The compaction floor: the log may lack entries at or below it (0 before any
    /// compaction). A device whose cursor (or bootstrap high-water mark) is below it cannot
    /// follow the log and is answered `resync`.
    public var floor: LogSequence

    public init(latest: LogSequence, floor: LogSequence) {
        self.latest = latest
        self.floor = floor
    }
}
