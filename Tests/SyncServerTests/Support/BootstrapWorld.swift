import CRM
import Foundation
import GRDB
import HummingbirdTesting
import Logging
import Synchronization
import SyncClient
import SyncCore
import SyncStore
import Testing

@testable import SyncServer

/// Real devices syncing through the router with a small page size, every sync answer kept, and
/// a switch that makes the transport fail after a number of requests (an interrupted sync).
final class RecordingTransport: SyncTransport {
    let inner: RouterTransport
    private let state = Mutex<(responses: [SyncResponse], requestsLeft: Int?)>(([], nil))

    init(client: any TestClientProtocol) {
        let box = ResponseBox()
        inner = RouterTransport(client: client) { response in box.append(response) }
        self.box = box
    }

    private let box: ResponseBox

    /// Every sync answer received, in order.
    var responses: [SyncResponse] { box.all }

    /// After `count` more requests, every request fails (as a dropped connection would).
    func failAfter(_ count: Int?) { state.withLock { $0.requestsLeft = count } }

    func send(_ request: TransportRequest) async throws -> TransportResponse {
        let allowed = state.withLock { state -> Bool in
            guard let left = state.requestsLeft else { return true }
            guard left > 0 else { return false }
            state.requestsLeft = left - 1
            return true
        }
        guard allowed else { throw URLError(.networkConnectionLost) }
        return try await inner.send(request)
    }
}

/// A thread-safe list of sync answers.
final class ResponseBox: Sendable {
    private let responses = Mutex<[SyncResponse]>([])
    func append(_ response: SyncResponse) { responses.withLock { $0.append(response) } }
    var all: [SyncResponse] { responses.withLock { $0 } }
}

/// A device for bootstrap and compaction tests.
struct TestDevice: Sendable {
    let store: DeviceStore
    let client: SyncClient
    let transport: RecordingTransport

    static func enroll(_ fixture: ServerFixture, _ client: any TestClientProtocol, user: String, role: Role = .rep, territories: [String] = ["east"], pageLimit: Int = 5) async throws -> TestDevice {
        let code: String
        if try await fixture.storage.user(named: user) == nil {
            code = try await fixture.accounts.createUser(name: user, role: role, territories: territories).enrollmentCode
        } else {
            code = try await fixture.accounts.issueEnrollmentCode(for: user)
        }
        let store = try DeviceStore(path: nil, schema: CRMSchema.schema, logger: fixture.logger)
        let transport = RecordingTransport(client: client)
        var logger = Logger(label: "test-device")
        logger.logLevel = .critical
        let syncClient = SyncClient(
            store: store, transport: transport, retry: RetryPolicy(maxAttempts: 1), compressRequests: true,
            batchSize: 500, pageLimit: pageLimit, logger: logger
        )
        try await syncClient.enroll(code: code, deviceName: user, serverURL: "http://router")
        return TestDevice(store: store, client: syncClient, transport: transport)
    }

    /// Syncs to the end; with `failingAfter`, the transport drops every request after that many
    /// and the sync throws.
    @discardableResult
    func sync(failingAfter count: Int? = nil, progress: @Sendable (SyncProgress) -> Void = { _ in }) async throws -> SyncSummary {
        transport.failAfter(count)
        defer { transport.failAfter(nil) }
        return try await client.sync(progress: progress)
    }

    /// Every record on the device by `entity/id`.
    func states() throws -> [String: RecordState] {
        var states: [String: RecordState] = [:]
        for state in try store.allStates() { states[TestReplica.key(state.entity, state.id)] = state }
        return states
    }
}

extension ServerFixture {
    /// The server's records by `entity/id`.
    func states() async throws -> [String: RecordState] {
        var states: [String: RecordState] = [:]
        for state in try await storage.records() { states[TestReplica.key(state.entity, state.id)] = state }
        return states
    }

    /// Every log sequence, ascending.
    func logSequences() async throws -> [LogSequence] {
        try await storage.read { db in try await LogSequence.fetchAll(db, sql: "SELECT seq FROM change_log ORDER BY seq") }
    }
}
