import CRM
import Foundation
import Synchronization
import SyncClient
import SyncCore
import SyncStore
import Testing

/// A transport that answers from a script and counts calls.
final class ScriptedTransport: SyncTransport {
    let answers: Mutex<[Result<TransportResponse, any Error>]>
    let calls = Mutex(0)

    init(_ answers: [Result<TransportResponse, any Error>]) {
        self.answers = Mutex(answers)
    }

    func send(_ request: TransportRequest) async throws -> TransportResponse {
        calls.withLock { $0 += 1 }
        let next = answers.withLock { $0.isEmpty ? nil : $0.removeFirst() }
        guard let next else { throw URLError(.cannotConnectToHost) }
        return try next.get()
    }
}

/// A transport that fails its first `failures` calls with a network error, then answers by
/// `answer`.
final class AnsweringTransport: SyncTransport {
    let failures: Mutex<Int>
    let answer: @Sendable (TransportRequest) -> TransportResponse

    init(failures: Int, answer: @escaping @Sendable (TransportRequest) -> TransportResponse) {
        self.failures = Mutex(failures)
        self.answer = answer
    }

    func send(_ request: TransportRequest) async throws -> TransportResponse {
        let fail = failures.withLock { count in
            defer { count -= 1 }
            return count > 0
        }
        if fail { throw URLError(.networkConnectionLost) }
        return answer(request)
    }
}

@Suite("SyncClient retries and errors")
struct SyncClientRetryTests {
    static func json<T: Encodable>(_ value: T, status: Int = 200) -> TransportResponse {
        TransportResponse(status: status, headers: ["content-type": "application/json"], body: (try? JSONEncoder().encode(value)) ?? Data())
    }

    func enrolledStore() throws -> DeviceStore {
        let store = try DeviceStore(path: nil, schema: CRMSchema.schema)
        try store.setSettings(["token": "t", "server_url": "http://127.0.0.1:1"])
        return store
    }

    let fast = RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(1), maxDelay: .milliseconds(2))

    @Test("network errors and 5xx are retried, then the sync completes")
    func retriesTransientFailures() async throws {
        let store = try enrolledStore()
        try store.setSettings(["cursor": nil])
        let done = SyncResponse(serverTime: 0, results: [], changes: [], cursor: 0, hasMore: false,
                                snapshot: SnapshotPage(records: [], next: nil, highWater: 0))
        let tail = SyncResponse(serverTime: 0, results: [], changes: [], cursor: 0, hasMore: false)
        let transport = ScriptedTransport([
            .failure(URLError(.networkConnectionLost)),
            .success(Self.json(ErrorBody(code: "unavailable", message: "restarting"), status: 503)),
            .success(Self.json(done)),
            .success(Self.json(tail)),
        ])
        let client = SyncClient(store: store, transport: transport, retry: fast)
        let summary = try await client.sync()
        #expect(transport.calls.withLock { $0 } == 4)
        #expect(summary.rounds == 2)
        #expect(try store.cursor() == 0)
    }

    @Test("the clock offset comes from the attempt that was answered: the wait before a retry does not count")
    func offsetIgnoresTheWaitBeforeARetry() async throws {
        let store = try enrolledStore()
        // The first attempt fails at once and the retry waits 2–4 s; the server that answers the
        // retry reads the device's own clock, so the true offset is 0.
        let transport = AnsweringTransport(failures: 1) { _ in
            let now = DeviceStore.systemMilliseconds()
            return Self.json(SyncResponse(serverTime: now, results: [], changes: [], cursor: 0, hasMore: false))
        }
        try store.setSettings(["cursor": "0"])
        let slow = RetryPolicy(maxAttempts: 2, baseDelay: .seconds(4), maxDelay: .seconds(4))
        let summary = try await SyncClient(store: store, transport: transport, retry: slow).sync()
        #expect(abs(summary.clockOffsetMilliseconds) < 500, "offset \(summary.clockOffsetMilliseconds) ms: the wait of at least 2 s would count half")
    }

    @Test("a 4xx is never retried and surfaces the server's code")
    func clientErrorsAreNotRetried() async throws {
        let store = try enrolledStore()
        let transport = ScriptedTransport([
            .success(Self.json(ErrorBody(code: "unauthorized", message: "bad token"), status: 401)),
            .success(Self.json(ErrorBody(code: "unauthorized", message: "bad token"), status: 401)),
        ])
        let client = SyncClient(store: store, transport: transport, retry: fast)
        await #expect(throws: SyncClientError(code: "unauthorized", message: "bad token", status: 401)) {
            try await client.sync()
        }
        #expect(transport.calls.withLock { $0 } == 1)
    }

    @Test("a device that gives up after retries keeps its outbox")
    func givingUpKeepsOutbox() async throws {
        let store = try enrolledStore()
        try store.apply(.create("account", [.set("name", .string("上海华科")), .set("territory", .string("east"))]))
        let transport = ScriptedTransport([])
        let client = SyncClient(store: store, transport: transport, retry: fast)
        await #expect(throws: SyncClientError.self) { try await client.sync() }
        #expect(transport.calls.withLock { $0 } == fast.maxAttempts)
        #expect(try store.pendingChanges().count == 1)
    }

    @Test("not enrolled is a clear error before any request")
    func notEnrolled() async throws {
        let store = try DeviceStore(path: nil, schema: CRMSchema.schema)
        let transport = ScriptedTransport([])
        await #expect(throws: SyncClientError.notEnrolled) { try await SyncClient(store: store, transport: transport).sync() }
        #expect(transport.calls.withLock { $0 } == 0)
    }

    @Test("gzip round trip; every truncation, a changed trailer or last byte, and plain input are refused", arguments: [1, 10, 100_000])
    func gzip(size: Int) throws {
        let data = Data((0..<size).map { UInt8($0 % 251) })
        let compressed = try Gzip.compress(data)
        #expect(Gzip.isCompressed(compressed))
        #expect(try Gzip.decompress(compressed) == data)
        for length in 0..<compressed.count {
            #expect(throws: Gzip.CorruptData.self, "\(length) bytes") { try Gzip.decompress(compressed.prefix(length)) }
        }
        // The last byte of the compressed data, then the CRC-32 (zlib checks it) and the length.
        for position in (compressed.count - 9)..<compressed.count {
            var flipped = compressed
            flipped[position] ^= 0x01
            #expect(throws: Gzip.CorruptData.self, "byte \(position)") { try Gzip.decompress(flipped) }
        }
        #expect(throws: Gzip.CorruptData.self) { try Gzip.decompress(data) }
    }
}
