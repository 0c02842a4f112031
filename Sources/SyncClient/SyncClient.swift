import Foundation
import Logging
import SyncCore
import SyncStore

/// Progress of a running sync, reported after every round.
public struct SyncProgress: Sendable {
    public var rounds: Int
    public var pushed: Int
    public var pulled: Int
    /// Snapshot records received, those of the pages an interrupted earlier sync wrote included.
    public var snapshotRecords: Int
    /// The records the snapshot holds, when the server said (on a bootstrap's first page,
    /// kept by the device for a sync that resumes the bootstrap).
    public var snapshotTotal: Int?
    public var bootstrapping: Bool
}

/// The device side of the protocol: enrolls, then pushes the outbox and pulls pages until the
/// server has nothing more. Every step may be retried: pushes are idempotent by dot, and a
/// pulled page and its cursor are written in one transaction.
public struct SyncClient: Sendable {
    public let store: DeviceStore
    public let transport: any SyncTransport
    public var retry: RetryPolicy
    public var compressRequests: Bool
    public var batchSize: Int
    public var pageLimit: Int
    let logger: Logger

    public init(
        store: DeviceStore, transport: any SyncTransport, retry: RetryPolicy = RetryPolicy(),
        compressRequests: Bool = true, batchSize: Int = 500, pageLimit: Int = 1000,
        logger: Logger = Logger(label: "fieldsync.client")
    ) {
        self.store = store
        self.transport = transport
        self.retry = retry
        self.compressRequests = compressRequests
        self.batchSize = batchSize
        self.pageLimit = pageLimit
        self.logger = logger
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// Trades a one-time enrollment code for a device token, kept in the device store.
    ///
    /// The enrollment is written to the store before the request leaves: when the answer is
    /// lost (a dropped connection, a killed process), the same call again, or the next `sync`,
    /// sends the same code, and the server re-enrolls this replica with a new token. A refusal
    /// (a bad code, a replica of another user) forgets the enrollment; the device keeps any
    /// earlier one.
    @discardableResult
    public func enroll(code: String, deviceName: String, serverURL: String) async throws -> EnrollResponse {
        let enrollment = PendingEnrollment(serverURL: serverURL, code: code, deviceName: deviceName)
        try store.beginEnrollment(enrollment)
        return try await sendEnrollment(enrollment)
    }

    /// Sends a kept enrollment and stores its answer; forgets it when the server refuses it.
    @discardableResult
    func sendEnrollment(_ enrollment: PendingEnrollment) async throws -> EnrollResponse {
        let body = EnrollRequest(code: enrollment.code, replica: store.replicaID, deviceName: enrollment.deviceName)
        let response: EnrollResponse
        do {
            response = try await exchange(path: "/v1/enroll", body: body, token: nil)
        } catch let error as SyncClientError where error.status != nil && !error.isRetryable {
            try store.clearPendingEnrollment()
            throw error
        }
        try store.recordEnrollment(
            settings: [
                "server_url": enrollment.serverURL, "token": response.token, "user": response.user, "role": response.role,
                "territories": response.territories.joined(separator: ","),
            ],
            clockOffset: response.serverTime - DeviceStore.systemMilliseconds()
        )
        return response
    }

    /// Carries out one action of a sync session on the device store, each in its own
    /// transaction, and tells the session what the store applied.
    public static func perform(_ action: SyncSession.Action, on store: DeviceStore, session: inout SyncSession) throws {
        switch action {
        case .setClockOffset(let offset):
            try store.setClockOffset(offset)
        case .acknowledge(let results):
            try store.acknowledge(results)
        case .resetForResync:
            try store.resetForResync()
        case .applySnapshot(let page):
            let result = try store.applySnapshot(page)
            session.noteApplied(conflictsOpened: result.conflictsOpened.count, conflictsClosed: result.conflictsClosed.count)
        case .applyLog(let entries, let cursor, let evictions, let arrivals):
            let result = try store.applyRemote(entries, cursor: cursor, evictions: evictions, arrivals: arrivals)
            session.noteApplied(conflictsOpened: result.conflictsOpened.count, conflictsClosed: result.conflictsClosed.count)
        }
    }

    /// Runs one sync to completion. An enrollment whose answer never arrived is sent again
    /// first; the first sync that finishes settles it.
    public func sync(progress: @Sendable (SyncProgress) -> Void = { _ in }) async throws -> SyncSummary {
        let pending = try store.pendingEnrollment()
        if let pending, !pending.answered {
            try await sendEnrollment(pending)
        }
        guard let token = try store.setting("token") else { throw SyncClientError.notEnrolled }
        let summary: SyncSummary
        do {
            summary = try await sync(token: token, progress: progress)
        } catch let error as SyncClientError where error.code == "unauthorized" && pending != nil {
            // Two attempts of one enrollment may cross (a retry sent while the server still
            // handled the first): the token kept is then the one the server replaced. The code
            // works until the first sync, so enroll once more and sync with the new token.
            guard let pending, (try? await sendEnrollment(pending)) != nil, let renewed = try store.setting("token") else { throw error }
            summary = try await sync(token: renewed, progress: progress)
        }
        if pending != nil { try store.clearPendingEnrollment() }
        return summary
    }

    private func sync(token: String, progress: @Sendable (SyncProgress) -> Void) async throws -> SyncSummary {
        var session = SyncSession(replica: store.replicaID, batchSize: batchSize, pageLimit: pageLimit)
        session.day = Self.localDay(DeviceStore.systemMilliseconds())
        // A bootstrap an earlier sync began: its progress counts on from the pages written.
        let resumed = try store.bootstrapProgress()
        // The next snapshot page, asked for while the current one is written (see below).
        var prefetched: Task<(answer: SyncResponse, sentAt: Int64), any Error>?
        defer { prefetched?.cancel() }
        while !session.isFinished {
            let response: SyncResponse
            let sentAt: Int64
            if let next = prefetched {
                prefetched = nil
                (response, sentAt) = try await next.value
            } else {
                let request = session.makeRequest(
                    outbox: try store.pendingChanges(limit: batchSize * 4),
                    cursor: try store.cursor(),
                    bootstrap: try store.bootstrapCursor(),
                    clientTime: DeviceStore.systemMilliseconds()
                )
                (response, sentAt) = try await timedExchange(path: "/v1/sync", body: request, token: token)
            }
            let actions = session.receive(response, sentAt: sentAt, receivedAt: DeviceStore.systemMilliseconds())
            // A bootstrap page that only carries records leaves the store exactly where the
            // next request can be built now: the outbox as it is (nothing to acknowledge), no
            // cursor, and the page's `next` as the stored bootstrap cursor. So the next page is
            // asked for while this one is written, and the server reads while the device
            // writes. If writing fails, the prefetched answer is dropped; the stored cursor
            // still names this page, which the next sync asks for again (pages are reads).
            if !session.isFinished, let next = response.snapshot?.next, response.results.isEmpty, !response.resync,
                response.changes.isEmpty, response.evictions.isEmpty, response.arrivals.isEmpty, try store.cursor() == nil
            {
                let request = session.makeRequest(
                    outbox: try store.pendingChanges(limit: batchSize * 4), cursor: nil, bootstrap: next,
                    clientTime: DeviceStore.systemMilliseconds()
                )
                prefetched = Task { try await self.timedExchange(path: "/v1/sync", body: request, token: token) }
            }
            for action in actions {
                try Self.perform(action, on: store, session: &session)
            }
            let summary = session.summary
            progress(SyncProgress(
                rounds: summary.rounds, pushed: summary.pushed, pulled: summary.pulled,
                snapshotRecords: (resumed?.received ?? 0) + summary.snapshotRecords, snapshotTotal: summary.snapshotTotal ?? resumed?.total,
                bootstrapping: try store.bootstrapCursor() != nil
            ))
        }
        // Acknowledged, overwritten history goes once the sync is through; the records written
        // since the last sync are the only ones examined. A failure here loses nothing.
        do {
            try store.compactHistory()
        } catch {
            logger.warning("history compaction failed", metadata: ["error": "\(error)"])
        }
        logger.info("sync finished", metadata: [
            "rounds": "\(session.summary.rounds)", "accepted": "\(session.summary.accepted)",
            "rejected": "\(session.summary.rejected)", "pulled": "\(session.summary.pulled)",
        ])
        return session.summary
    }

    /// The date (`YYYY-MM-DD`) of a time in the device's time zone.
    public static func localDay(_ milliseconds: Int64, timeZone: TimeZone = .current) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
        return String(format: "%04d-%02d-%02d", parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1)
    }

    /// Sends one JSON request with retries and decodes the answer or the server's error.
    func exchange<Body: Encodable, Answer: Decodable>(path: String, body: Body, token: String?) async throws -> Answer {
        try await timedExchange(path: path, body: body, token: token).answer
    }

    /// `exchange`, with the device clock's reading when the attempt that was answered left.
    func timedExchange<Body: Encodable, Answer: Decodable>(path: String, body: Body, token: String?) async throws -> (answer: Answer, sentAt: Int64) {
        var payload = try JSONText.encodedIfSupported(body).map { Data($0) } ?? Self.encoder.encode(body)
        var headers = ["Content-Type": "application/json", "Accept": "application/json", "Accept-Encoding": "gzip"]
        if compressRequests && payload.count > 1024 {
            payload = try Gzip.compress(payload)
            headers["Content-Encoding"] = "gzip"
        }
        if let token { headers["Authorization"] = "Bearer \(token)" }
        let request = TransportRequest(method: "POST", path: path, headers: headers, body: payload)

        var attempt = 1
        while true {
            do {
                let sentAt = DeviceStore.systemMilliseconds()
                let response = try await transport.sendReportingNetworkErrors(request)
                let answer: Answer = try response.answer(unreadableCode: "network_error")
                return (answer, sentAt)
            } catch let error as SyncClientError where error.isRetryable && attempt < retry.maxAttempts {
                attempt += 1
                // A server that limits the rate says how long to wait; never retry sooner.
                let delay = max(retry.delay(beforeAttempt: attempt), error.retryAfter ?? .zero)
                logger.warning("retrying after error", metadata: ["error": "\(error)", "attempt": "\(attempt)", "delay": "\(delay)"])
                try await Task.sleep(for: delay)
            }
        }
    }

}
