import CRM
import Foundation
import SyncClient
import SyncCore
import SyncStore
import Testing

@Suite("SyncClient and rate limits")
struct RetryAfterTests {
    @Test("a 429 is retried no sooner than the server's Retry-After")
    func honoursRetryAfter() async throws {
        let store = try DeviceStore(path: nil, schema: CRMSchema.schema)
        try store.setSettings(["token": "t", "server_url": "http://127.0.0.1:1"])
        let limited = TransportResponse(
            status: 429, headers: ["content-type": "application/json", "retry-after": "1"],
            body: try JSONEncoder().encode(ErrorBody(code: "rate_limited", message: "too many requests"))
        )
        let done = SyncResponse(serverTime: 0, results: [], changes: [], cursor: 0, hasMore: false, snapshot: SnapshotPage(records: [], next: nil, highWater: 0))
        let transport = ScriptedTransport([
            .success(limited),
            .success(TransportResponse(status: 200, headers: [:], body: try JSONEncoder().encode(done))),
            .success(TransportResponse(status: 200, headers: [:], body: try JSONEncoder().encode(SyncResponse(serverTime: 0, results: [], changes: [], cursor: 0, hasMore: false)))),
        ])
        let client = SyncClient(store: store, transport: transport, retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(1), maxDelay: .milliseconds(2)))
        let start = ContinuousClock.now
        _ = try await client.sync()
        #expect(ContinuousClock.now - start >= .seconds(1))
        #expect(transport.calls.withLock { $0 } == 3)
    }
}
