import Foundation
import Logging
import SyncCore

/// The sync protocol on the server side, with no HTTP inside: one call per `POST /v1/sync`.
///
/// A round trip first pushes, then pulls:
///
/// 1. Request checks: protocol version, replica of the token's device, number of changes, cursor.
///    A failure throws a `ServerError` before anything is stored.
/// 2. Each pushed change, in order, passes the stateless checks (schema, clock skew, dot
///    replica); the survivors go to the storage in one transaction, where `ChangeAdmission`
///    sorts out duplicates and changes whose causes the server lacks, and `ScopeRules` refuses
///    what lies outside the user's scope. Results come back in push order.
/// 3. Pull, filtered by the user's scope: the log after the cursor with evictions and
///    arrivals, bounded by count and bytes; or, for a device without a cursor, the next page of
///    a snapshot (see `SnapshotPage`); or, when the user's scope changed since the device's
///    data was replicated, `resync` and the first page of a new snapshot. See
///    SyncServer/README.md, "Scope".
///
/// ## Why a snapshot bootstrap misses nothing
///
/// The first snapshot page reads `highWater` (the log's highest sequence) and its records in
/// one read transaction. A change is stored in the same transaction as its log entry, so every
/// change up to `highWater` is inside the states of the records that existed then. Records are
/// never removed from the table (a delete is state, a tombstone), and pages walk the unique key
/// `(entity, id)` strictly upwards, so each of those records is sent exactly once, in a state at
/// least as new as at `highWater`. A record created after the first page began has only changes
/// after `highWater`. The device then follows the log from `highWater`: it receives every change
/// after it, including ones already inside a later page's state, which merge as duplicates
/// because merging is idempotent. So the device ends with the join of every change, which is
/// the server's state. The walk has two phases (priority accounts first, then the rest, see
/// `SQLServerStorage+Snapshot.swift`); the second alone is this walk, minus records the
/// first one provably sent.
///
/// A device whose cursor (or bootstrap high-water mark) is below the compaction floor is
/// answered `resync` like a device whose scope changed: the log may lack entries it needs.
public struct SyncService<Storage: ServerStorage>: Sendable {
    public let storage: Storage
    public let schema: Schema
    public let configuration: ServerConfiguration
    let logger: Logger
    let now: @Sendable () -> Int64
    /// The next page of each bootstrap, read while the device receives this one.
    let readAhead: SnapshotReadAhead

    /// - Parameter now: the server clock in milliseconds since 1970; tests pass their own.
    public init(
        storage: Storage,
        schema: Schema,
        configuration: ServerConfiguration,
        logger: Logger,
        now: @escaping @Sendable () -> Int64 = { ServerClock.millisecondsSince1970() }
    ) {
        self.storage = storage
        self.schema = schema
        self.configuration = configuration
        self.logger = logger
        self.now = now
        self.readAhead = SnapshotReadAhead(capacity: configuration.maxReadAheadPages)
    }

    /// How stale a device's last-seen time may be before a snapshot page that changes nothing
    /// else about the device notes it again.
    static var lastSeenResolution: Int64 { 60_000 }

    /// Whether noting this snapshot answer would only move the device's last-seen time forward
    /// by less than `lastSeenResolution`: the pages that continue a bootstrap. Those go unnoted,
    /// since each note is a write transaction of its own (on SQLite it also invalidates every
    /// reader's memory map of the store, which the next page then faults in again).
    static func onlyTimeToNote(_ device: DeviceAccount, replicatedScope: AccessScope?, resync: ResyncNote, at time: Int64) -> Bool {
        guard replicatedScope == nil, resync == .unchanged, !device.enrollmentPending, let lastSeen = device.lastSeen else { return false }
        return time - lastSeen < lastSeenResolution
    }

    /// Runs one sync round trip for an authenticated device: the answer as a device reads it
    /// (the bytes of `answer(_:from:)`, parsed).
    public func sync(_ request: SyncRequest, from device: DeviceAccount) async throws -> SyncResponse {
        try await answer(request, from: device).decoded()
    }

    /// Runs one sync round trip for an authenticated device: the answer as it goes on the
    /// wire, the stored changes and states spliced in unparsed.
    public func answer(_ request: SyncRequest, from device: DeviceAccount) async throws -> EncodedSyncResponse {
        guard request.protocolVersion == SyncProtocol.version else {
            throw ServerError(.unsupportedProtocolVersion, .protocolUnsupported, ["version": request.protocolVersion, "supported": SyncProtocol.version])
        }
        guard request.replica == device.replica else {
            throw ServerError(.replicaMismatch, .replicaMismatch, ["requested": request.replica, "replica": device.replica])
        }
        guard request.changes.count <= configuration.maxChangesPerRequest else {
            throw ServerError(.tooManyChanges, .tooManyChanges, ["limit": configuration.maxChangesPerRequest, "count": request.changes.count])
        }
        let limit = try pageLimit(request.limit)
        if let cursor = request.cursor, cursor < 0 {
            throw ServerError(.invalidRequest, .cursorNegative, ["cursor": cursor])
        }
        if request.cursor == nil, let highWater = request.bootstrap?.highWater, highWater < 0 {
            throw ServerError(.invalidRequest, .highWaterNegative, ["mark": highWater])
        }
        // The device's place in the log (its cursor, or the snapshot it bootstraps from) may be
        // neither past the log's newest entry nor behind the compaction floor: both from one read.
        let position = request.cursor ?? request.bootstrap?.highWater
        let bounds = position == nil ? nil : try await storage.logBounds()
        if let cursor = request.cursor, let bounds, cursor > bounds.latest {
            throw ServerError(.cursorAhead, .cursorAhead, ["cursor": cursor, "latest": bounds.latest])
        }
        if let bootstrap = request.bootstrap, request.cursor == nil {
            if let highWater = bootstrap.highWater, let bounds, highWater > bounds.latest {
                throw ServerError(.invalidRequest, .highWaterBeyondLog, ["mark": highWater])
            }
            if (bootstrap.afterEntity == nil) != (bootstrap.afterID == nil) {
                throw ServerError(.invalidRequest, .bootstrapAfterPair)
            }
            try Self.checkPriority(bootstrap)
        }

        let receivedAt = now()
        let scope = try await AccountService(storage: storage, logger: logger).accessScope(of: device.user)

        // What the answer will be is decided before the push (it depends on the request, the
        // device's row and the scope, not on what the push stores), so that a round answered
        // with a log page notes the device in its push transaction: one commit per round.
        var resync = false
        // The scope this response's data was chosen by, when it starts a new replication base.
        var replicatedScope: AccessScope?
        var resyncNote = ResyncNote.unchanged
        let isFreshBootstrap = request.cursor == nil && request.bootstrap?.afterEntity == nil && request.bootstrap?.highWater == nil
        // A `resync` answer may be lost on its way: until the device comes back bootstrapping
        // from the snapshot it started, it is answered `resync` again (its scope was already
        // recorded as replicated, so the scope comparison alone would let it keep old data).
        let resyncUnconfirmed = device.resyncHighWater.map { highWater in
            !(request.cursor == nil && request.bootstrap?.highWater == highWater)
        } ?? false
        if isFreshBootstrap {
            replicatedScope = scope
            if device.resyncHighWater != nil { resyncNote = .confirmed }
        } else if resyncUnconfirmed {
            logger.notice("resync answer not acted on: resync again", metadata: ["device": "\(device.replica.short)"])
            resync = true
            replicatedScope = scope
        } else if device.replicatedScope != scope {
            // The device holds data chosen under another scope (the user's territories or team
            // changed): it drops every record, keeps its outbox, and bootstraps again.
            resync = true
            replicatedScope = scope
        } else if let behind = position, let bounds, behind < bounds.floor {
            // The log no longer holds every entry after the device's position (it was inactive
            // past the compaction horizon): same answer, the device bootstraps again.
            logger.notice("device behind the compaction floor: resync", metadata: ["device": "\(device.replica.short)", "position": "\(behind)"])
            resync = true
            replicatedScope = scope
        }
        if device.resyncHighWater != nil && !resync && resyncNote == .unchanged {
            resyncNote = .confirmed
        }
        // A log page needs nothing from the pull to be noted; a snapshot answer notes its
        // high-water mark (and a resync that it was answered) after the page is read.
        let answersWithLogPage = request.cursor != nil && !resync
        let note = SyncNote(
            replica: device.replica, acknowledgedCursor: request.cursor, replicatedScope: replicatedScope, resync: resyncNote, time: receivedAt
        )
        let results = try await push(request.changes, from: device, scope: scope, at: receivedAt, noting: answersWithLogPage ? note : nil)

        var response = EncodedSyncResponse(serverTime: receivedAt, results: results, changes: [], cursor: request.cursor, hasMore: false)
        response.resync = resync
        if let cursor = request.cursor, answersWithLogPage {
            let page = try await storage.logPage(after: cursor, limit: limit, maxBytes: configuration.maxPageBytes, scope: scope)
            response.changes = page.entries
            response.arrivals = page.arrivals
            response.evictions = page.evictions
            response.cursor = page.cursor
            response.hasMore = page.hasMore
        } else {
            let position = response.resync
                ? SnapshotPosition(day: request.bootstrap?.day ?? Self.utcDay(request.clientTime))
                : Self.snapshotPosition(request.bootstrap, clientTime: request.clientTime)
            // A page is read from its key alone, so a page read ahead is the page of its key.
            let storage = storage
            let read: @Sendable (SnapshotReadAhead.Key) async throws -> EncodedSnapshotPage = { key in
                try await storage.snapshotPage(key.position, limit: key.limit, maxBytes: key.maxBytes, scope: key.scope)
            }
            let key = SnapshotReadAhead.Key(replica: device.replica, position: position, limit: limit, maxBytes: configuration.maxPageBytes, scope: scope)
            let page: EncodedSnapshotPage
            if let ahead = await readAhead.take(key) {
                page = ahead
            } else {
                page = try await read(key)
            }
            if position.highWater == nil {
                // Compaction keeps the log after this snapshot until the device follows it.
                try await storage.noteBootstrap(replica: device.replica, highWater: page.highWater, at: receivedAt)
            }
            response.snapshot = page
            if response.resync {
                resyncNote = .answered(highWater: page.highWater)
                if response.snapshot?.next == nil {
                    // The device must come back bootstrapping from this snapshot even when it
                    // fits in one page, so that the server sees the answer arrived: the next
                    // page walks the rest again (records the device joins as duplicates).
                    response.snapshot?.next = BootstrapCursor(highWater: page.highWater, phase: .rest)
                }
            }
            if let next = response.snapshot?.next {
                // The device asks for the next page as soon as it has this one: read it now.
                var ahead = key
                ahead.position = Self.snapshotPosition(next, clientTime: request.clientTime)
                readAhead.start(ahead, read: read)
            }
            if response.snapshot?.next == nil {
                // Snapshot complete: the device follows the log from the high-water mark.
                response.cursor = page.highWater
                response.hasMore = try await storage.latestSequence() > page.highWater
            } else {
                response.cursor = nil
                response.hasMore = true
            }
            if !Self.onlyTimeToNote(device, replicatedScope: replicatedScope, resync: resyncNote, at: receivedAt) {
                try await storage.noteSync(
                    replica: device.replica, acknowledgedCursor: request.cursor, replicatedScope: replicatedScope, resync: resyncNote, at: receivedAt
                )
            }
        }
        response.serverTime = now()

        let accepted = results.count(where: { $0.status == .accepted })
        let rejected = results.count(where: { $0.status == .rejected })
        logger.info(
            "sync",
            metadata: [
                "device": "\(device.replica.short)", "user": "\(device.user.name)",
                "pushed": "\(results.count)", "accepted": "\(accepted)", "rejected": "\(rejected)",
                "pulled": "\(response.changes.count)", "snapshot": "\(response.snapshot?.records.count ?? 0)",
                "arrivals": "\(response.arrivals.count)", "evictions": "\(response.evictions.count)", "resync": "\(response.resync)",
                "cursor": "\(response.cursor.map(String.init) ?? "-")", "hasMore": "\(response.hasMore)",
            ]
        )
        return response
    }

    /// Writes records as the server replica, for imports of reference data and records.
    /// Devices receive the changes through the log like any other.
    public func writeAsServer(_ writes: [RecordWrite]) async throws -> ServerWriteSummary {
        let summary = try await storage.applyServerWrites(writes, physicalTime: now())
        logger.info("server write", metadata: ["written": "\(summary.written)", "unchanged": "\(summary.unchanged)"])
        return summary
    }

    /// The checks that need no stored state: schema, clock skew, dot replica and dot shape.
    /// Returns the rejection, or nil when the change may go to the storage.
    public func stateless(_ change: Change, from device: DeviceAccount, at serverTime: Int64) -> ChangeResult? {
        func reject(_ code: String, _ refusal: Refusal) -> ChangeResult {
            ChangeResult(dot: change.dot, rejectedWith: code, refusal)
        }
        do {
            try schema.validate(change)
        } catch {
            return reject(error.code.rawValue, error.refusal)
        }
        let skew = configuration.maxClockSkewMilliseconds
        if change.hlc.physical > serverTime + skew {
            let ahead = Double(change.hlc.physical - serverTime) / 1000
            return reject(RejectionCode.clockSkew.rawValue, Refusal(.clockSkew, ["ahead": String(format: "%.1f", ahead), "limit": skew / 1000]))
        }
        guard change.dot.replica == device.replica else {
            return reject(RejectionCode.replicaMismatch.rawValue, Refusal(.dotOfOtherReplica, ["replica": change.dot.replica, "device": device.replica]))
        }
        guard change.dot.counter <= UInt64(Int64.max) else {
            return reject(ValidationError.Code.malformedChange.rawValue, Refusal(.dotCounterOutOfRange, ["counter": change.dot.counter]))
        }
        guard !change.context.covers(change.dot) else {
            return reject(ValidationError.Code.malformedChange.rawValue, Refusal(.changeCoversOwnDot, ["dot": change.dot]))
        }
        guard change.hlc.physical >= 0 else {
            return reject(ValidationError.Code.malformedChange.rawValue, Refusal(.clockBefore1970, ["hlc": change.hlc]))
        }
        // Field-level rights: a rep writes the stamps workflows own only as their workflow
        // does (see SyncServer/README.md, "Field-level rights"); managers and admins correct them.
        if device.user.role == .rep, let refusal = schema.entity(change.entity)?.workflowRefusal(of: change) {
            return reject(refusal.code.rawValue, refusal.refusal)
        }
        return nil
    }

    /// Applies a push in one write transaction, with the device's note when given.
    func push(_ changes: [Change], from device: DeviceAccount, scope: AccessScope, at receivedAt: Int64, noting note: SyncNote? = nil) async throws -> [ChangeResult] {
        var results = [ChangeResult?](repeating: nil, count: changes.count)
        var candidates: [Change] = []
        var candidateIndices: [Int] = []
        var retriesToCheck: [Int] = []
        for (index, change) in changes.enumerated() {
            if let rejection = stateless(change, from: device, at: receivedAt) {
                results[index] = rejection
                // A rights refusal may also meet the retry of a change accepted before (a
                // manager's correction whose answer was lost, pushed again after a demotion).
                if rejection.code == RejectionCode.clockSkew.rawValue || rejection.code == ValidationError.Code.workflowOwnedField.rawValue {
                    retriesToCheck.append(index)
                }
            } else {
                candidates.append(change)
                candidateIndices.append(index)
            }
        }
        // Territories come from the server's list (`fieldsync-server territory add`), read once
        // for a push that assigns a territory: a device's list may be older than the server's.
        let territorial = candidates.indices.compactMap { index -> (index: Int, entity: EntitySchema)? in
            guard let entity = schema.entity(candidates[index].entity), TerritoryList.assignsTerritory(candidates[index], in: entity) else { return nil }
            return (index, entity)
        }
        if !territorial.isEmpty {
            let territories = try await storage.territories()
            var refused = Set<Int>()
            for (index, entity) in territorial {
                guard let refusal = territories.refusal(of: candidates[index], in: entity) else { continue }
                let original = candidateIndices[index]
                results[original] = ChangeResult(dot: changes[original].dot, rejectedWith: refusal.code.rawValue, refusal.refusal)
                retriesToCheck.append(original)
                refused.insert(index)
            }
            candidates = candidates.indices.filter { !refused.contains($0) }.map { candidates[$0] }
            candidateIndices = candidateIndices.indices.filter { !refused.contains($0) }.map { candidateIndices[$0] }
        }
        // A change refused for clock skew, rights or territory may be the retry of one accepted before (its answer
        // lost, a server clock behind another's): it stays a duplicate, so the device never
        // stamps again a change the server has, and adopts the stamp the server holds.
        if !retriesToCheck.isEmpty {
            let applied = try await storage.appliedDots(among: retriesToCheck.map { changes[$0] })
            for index in retriesToCheck {
                guard let held = applied[changes[index].dot] else { continue }
                results[index] = ChangeResult(dot: changes[index].dot, status: .duplicate, hlc: held)
            }
        }
        let author = ChangeAuthor(user: device.user.name, device: device.replica.rawValue, receivedAt: receivedAt)
        let stored = try await storage.applyChanges(candidates, author: author, scope: scope, noting: note)
        guard stored.count == candidates.count else {
            throw ServerError(.internalError, .storageResultCount, ["stored": stored.count, "changes": candidates.count])
        }
        for (index, result) in zip(candidateIndices, stored) {
            results[index] = result
        }
        return results.compactMap { $0 }
    }

    /// The snapshot position a bootstrap request continues (or starts).
    static func snapshotPosition(_ bootstrap: BootstrapCursor?, clientTime: Int64) -> SnapshotPosition {
        guard let bootstrap, bootstrap.highWater != nil else {
            return SnapshotPosition(day: bootstrap?.day ?? utcDay(clientTime))
        }
        return SnapshotPosition(
            highWater: bootstrap.highWater,
            after: bootstrap.afterEntity.flatMap { entity in bootstrap.afterID.map { RecordReference(entity: entity, id: $0) } },
            phase: bootstrap.phase ?? .rest,
            priority: bootstrap.priority ?? []
        )
    }

    /// Checks the priority part of a bootstrap cursor: a bounded list of record ids and a date.
    static func checkPriority(_ bootstrap: BootstrapCursor) throws {
        if let priority = bootstrap.priority {
            guard priority.count <= BootstrapPriority.maxAccountsInCursor else {
                throw ServerError(.invalidRequest, .bootstrapPriorityTooLong, ["limit": BootstrapPriority.maxAccountsInCursor, "count": priority.count])
            }
            guard priority.allSatisfy({ $0.utf8.count <= 64 }) else {
                throw ServerError(.invalidRequest, .bootstrapPriorityIDTooLong)
            }
        }
        if let day = bootstrap.day, !Dates.isValidDay(day) {
            throw ServerError(.invalidRequest, .bootstrapDayInvalid, ["day": day])
        }
    }

    /// The UTC date (`YYYY-MM-DD`) of a time in milliseconds since 1970.
    static func utcDay(_ milliseconds: Int64) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? .current
        let date = Date(timeIntervalSince1970: Double(max(milliseconds, 0)) / 1000)
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1)
    }

    func pageLimit(_ requested: Int?) throws -> Int {
        guard let requested else { return configuration.defaultPageLimit }
        guard requested > 0 else { throw ServerError(.invalidRequest, .limitNotPositive, ["limit": requested]) }
        return min(requested, configuration.maxPageLimit)
    }
}
