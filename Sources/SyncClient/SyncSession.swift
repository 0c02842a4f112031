import SyncCore

/// What one `fieldsync sync` did.
public struct SyncSummary: Hashable, Sendable, Codable {
    public var rounds = 0
    public var pushed = 0
    public var accepted = 0
    public var duplicates = 0
    public var rejected = 0
    /// Rejections by reason code.
    public var rejections: [String: Int] = [:]
    public var pulled = 0
    public var snapshotRecords = 0
    /// The records the snapshot holds, as the server counted them on its first page (nil
    /// when no bootstrap started in this sync).
    public var snapshotTotal: Int?
    public var conflictsOpened = 0
    public var conflictsClosed = 0
    /// Records dropped because they left the device's scope (with their children).
    public var evicted = 0
    /// Records received because they entered the device's scope.
    public var arrived = 0
    /// Times the server said the device's scope changed and it bootstrapped again.
    public var resyncs = 0
    /// Pages asked for again because they dropped records while outbox changes were unpushed.
    public var deferredPages = 0
    public var cursor: LogSequence?
    public var clockOffsetMilliseconds: Int64 = 0

    public init() {}
}

/// The device side of one sync as a state machine with no I/O: it says what to send, takes
/// the server's answer, and says what to do with it. The driver (`SyncClient`) does the I/O,
/// so the protocol logic is testable without a network.
public struct SyncSession: Sendable {
    /// What the driver must do with a response, in order.
    public enum Action: Sendable, Equatable {
        case setClockOffset(Int64)
        case acknowledge([ChangeResult])
        /// The device's scope changed: drop every record (keep the outbox) before the snapshot
        /// page that follows.
        case resetForResync
        case applySnapshot(SnapshotPage)
        /// Apply `arrivals`, then the entries, then `evictions`, and move the cursor, atomically.
        case applyLog([LogEntry], cursor: LogSequence?, evictions: [RecordReference], arrivals: [RecordState])
    }

    public enum State: Sendable, Equatable {
        case ready
        case awaitingResponse(sentAt: Int64)
        case finished
    }

    public private(set) var state: State = .ready
    public private(set) var summary = SyncSummary()
    public let replica: ReplicaID
    public let batchSize: Int
    public let pageLimit: Int
    public let maxRounds: Int
    /// The device's local date (`YYYY-MM-DD`), sent when a bootstrap starts so the server
    /// sends first the accounts with follow-ups due or visits planned on it.
    public var day: String?
    /// Dots pushed in this session: each is pushed at most once per sync, so a change the
    /// server keeps rejecting cannot loop.
    private var attempted = Set<UInt64>()
    /// Dots pushed a second time in this sync: a change refused for clock skew, which the
    /// store stamps again from the corrected clock, and the changes of the same answer refused
    /// only because they depend on it. Each is pushed again at most once.
    private var retried = Set<UInt64>()
    private var pendingUnattempted = false
    private var needsAnotherRound = false

    public init(replica: ReplicaID, batchSize: Int = 500, pageLimit: Int = 1000, maxRounds: Int = 10_000) {
        self.replica = replica
        self.batchSize = batchSize
        self.pageLimit = pageLimit
        self.maxRounds = maxRounds
    }

    /// Builds the next request from the device's outbox and position.
    public mutating func makeRequest(outbox: [Change], cursor: LogSequence?, bootstrap: BootstrapCursor?, clientTime: Int64) -> SyncRequest {
        precondition(state == .ready, "makeRequest called while \(state)")
        let fresh = outbox.filter { !attempted.contains($0.dot.counter) }
        let batch = Array(fresh.prefix(batchSize))
        pendingUnattempted = fresh.count > batch.count
        for change in batch { attempted.insert(change.dot.counter) }
        state = .awaitingResponse(sentAt: clientTime)
        summary.rounds += 1
        summary.pushed += batch.count
        let bootstrapCursor: BootstrapCursor? = cursor == nil ? (bootstrap ?? BootstrapCursor(day: day)) : nil
        return SyncRequest(
            replica: replica, clientTime: clientTime, cursor: cursor, changes: batch,
            bootstrap: bootstrapCursor, limit: pageLimit
        )
    }

    /// Takes the server's answer, received at `receivedAt` on the device clock.
    ///
    /// - Parameter sentAt: when the attempt that was answered left, on the device clock (a
    ///   driver that retries sends the request more than once); by default the request's
    ///   `clientTime`. The clock offset is estimated from that attempt alone: counting the
    ///   failed attempts, their timeouts and the waits between them would put the estimate
    ///   half of that time ahead, enough on a slow network to stamp edits beyond the server's
    ///   allowed skew.
    public mutating func receive(_ response: SyncResponse, sentAt: Int64? = nil, receivedAt: Int64) -> [Action] {
        guard case .awaitingResponse(let requestedAt) = state else {
            preconditionFailure("receive called while \(state)")
        }
        var actions: [Action] = []
        // The server stamped its time somewhere between send and receive: assume the middle.
        let offset = response.serverTime - ((sentAt ?? requestedAt) + receivedAt) / 2
        summary.clockOffsetMilliseconds = offset
        actions.append(.setClockOffset(offset))

        if !response.results.isEmpty {
            var skewed = false
            for result in response.results {
                switch result.status {
                case .accepted: summary.accepted += 1
                case .duplicate: summary.duplicates += 1
                case .rejected:
                    summary.rejected += 1
                    summary.rejections[result.code ?? "rejected", default: 0] += 1
                    if result.code == ChangeResult.clockSkewCode { skewed = true }
                }
            }
            if skewed {
                let retryable = [ChangeResult.clockSkewCode, ChangeResult.missingDependencyCode]
                for result in response.results
                where result.status == .rejected && result.dot.replica == replica && retryable.contains(result.code ?? "")
                    && retried.insert(result.dot.counter).inserted
                {
                    attempted.remove(result.dot.counter)
                    pendingUnattempted = true
                }
            }
            actions.append(.acknowledge(response.results))
        }
        needsAnotherRound = response.hasMore || pendingUnattempted
        // A page that drops records waits until every change of the outbox has been pushed once
        // in this sync: the server then has decided about each pending change of the records
        // about to go (accepted, or rejected and kept in the outbox) before they leave the
        // device. The page is simply asked for again: the cursor did not move.
        if (response.resync || !response.evictions.isEmpty) && pendingUnattempted {
            summary.deferredPages += 1
            state = summary.rounds < maxRounds ? .ready : .finished
            return actions
        }
        if response.resync {
            summary.resyncs += 1
            actions.append(.resetForResync)
        }
        if let snapshot = response.snapshot {
            summary.snapshotRecords += snapshot.records.count
            if let total = snapshot.total { summary.snapshotTotal = total }
            actions.append(.applySnapshot(snapshot))
            // After the last snapshot page the device follows the log from the high-water mark.
            needsAnotherRound = true
        }
        if !response.changes.isEmpty || !response.evictions.isEmpty || !response.arrivals.isEmpty
            || (response.snapshot == nil && response.cursor != nil)
        {
            summary.pulled += response.changes.count
            summary.evicted += response.evictions.count
            summary.arrived += response.arrivals.count
            actions.append(.applyLog(response.changes, cursor: response.cursor, evictions: response.evictions, arrivals: response.arrivals))
        }
        if let cursor = response.cursor { summary.cursor = cursor }
        state = needsAnotherRound && summary.rounds < maxRounds ? .ready : .finished
        return actions
    }

    /// Records what applying a pulled page did to conflicts.
    public mutating func noteApplied(conflictsOpened: Int, conflictsClosed: Int) {
        summary.conflictsOpened += conflictsOpened
        summary.conflictsClosed += conflictsClosed
    }

    public var isFinished: Bool { state == .finished }
}
