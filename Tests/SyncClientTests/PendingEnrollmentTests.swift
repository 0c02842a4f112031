import CRM
import Foundation
import SyncClient
import SyncCore
import SyncStore
import Testing

/// The device side of issue 13 item 1: an enrollment is kept in the store before its request
/// leaves, so a lost answer is sent again and never strands the device.
@Suite("SyncClient pending enrollments")
struct PendingEnrollmentTests {
    let fast = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(1), maxDelay: .milliseconds(2))

    /// A whole sync of an empty store: the last snapshot page, then the log's end.
    static var wholeSync: [Result<TransportResponse, any Error>] {
        [
        .success(SyncClientRetryTests.json(SyncResponse(
            serverTime: 0, results: [], changes: [], cursor: 0, hasMore: false, snapshot: SnapshotPage(records: [], next: nil, highWater: 0)
        ))),
        .success(SyncClientRetryTests.json(SyncResponse(serverTime: 0, results: [], changes: [], cursor: 0, hasMore: false))),
        ]
    }

    static func enrolled(_ token: String) -> TransportResponse {
        SyncClientRetryTests.json(EnrollResponse(token: token, user: "alice", role: "rep", territories: ["east"], serverTime: 0), status: 201)
    }

    @Test("an enrollment whose answer never arrives stays in the store; the next sync sends it again, then syncs and settles it")
    func lostAnswerIsSentAgainBySync() async throws {
        let store = try DeviceStore(path: nil, schema: CRMSchema.schema)
        let lost = ScriptedTransport([])
        await #expect(throws: SyncClientError.self) {
            try await SyncClient(store: store, transport: lost, retry: fast).enroll(code: "AAAA-BBBB", deviceName: "phone", serverURL: "http://server")
        }
        #expect(try store.pendingEnrollment() == PendingEnrollment(serverURL: "http://server", code: "AAAA-BBBB", deviceName: "phone", answered: false))
        #expect(try store.setting("token") == nil)

        let transport = ScriptedTransport([.success(Self.enrolled("t2"))] + Self.wholeSync)
        _ = try await SyncClient(store: store, transport: transport, retry: fast).sync()
        #expect(transport.calls.withLock { $0 } == 3)
        #expect(try store.setting("token") == "t2")
        #expect(try store.setting("server_url") == "http://server")
        #expect(try store.pendingEnrollment() == nil)
    }

    @Test("a refused enrollment is forgotten and the device keeps its earlier token")
    func refusedEnrollmentIsForgotten() async throws {
        let store = try DeviceStore(path: nil, schema: CRMSchema.schema)
        try store.setSettings(["token": "t", "server_url": "http://server"])
        let transport = ScriptedTransport([
            .success(SyncClientRetryTests.json(ErrorBody(code: "replica_already_enrolled", message: "another user's"), status: 409))
        ])
        await #expect(throws: SyncClientError(code: "replica_already_enrolled", message: "another user's", status: 409)) {
            try await SyncClient(store: store, transport: transport, retry: fast).enroll(code: "CODE", deviceName: "phone", serverURL: "http://server")
        }
        #expect(try store.pendingEnrollment() == nil)
        #expect(try store.setting("token") == "t")
    }

    @Test("a token replaced by a crossing retry of the same enrollment: the sync enrolls once more with the kept code")
    func replacedTokenEnrollsAgain() async throws {
        let store = try DeviceStore(path: nil, schema: CRMSchema.schema)
        let first = ScriptedTransport([.success(Self.enrolled("replaced"))])
        try await SyncClient(store: store, transport: first, retry: fast).enroll(code: "CODE", deviceName: "phone", serverURL: "http://server")
        #expect(try store.pendingEnrollment()?.answered == true)
        let transport = ScriptedTransport([
            .success(SyncClientRetryTests.json(ErrorBody(code: "unauthorized", message: "the device token is not valid"), status: 401)),
            .success(Self.enrolled("current")),
        ] + Self.wholeSync)
        _ = try await SyncClient(store: store, transport: transport, retry: fast).sync()
        #expect(transport.calls.withLock { $0 } == 4)
        #expect(try store.setting("token") == "current")
        #expect(try store.pendingEnrollment() == nil)
    }

    @Test("without a pending enrollment a 401 is final")
    func unauthorizedWithoutPendingEnrollment() async throws {
        let store = try DeviceStore(path: nil, schema: CRMSchema.schema)
        try store.setSettings(["token": "t", "server_url": "http://server"])
        let transport = ScriptedTransport([
            .success(SyncClientRetryTests.json(ErrorBody(code: "unauthorized", message: "bad token"), status: 401)),
            .success(Self.enrolled("never")),
        ])
        await #expect(throws: SyncClientError(code: "unauthorized", message: "bad token", status: 401)) {
            try await SyncClient(store: store, transport: transport, retry: fast).sync()
        }
        #expect(transport.calls.withLock { $0 } == 1)
        #expect(try store.setting("token") == "t")
    }
}
