import FieldSyncTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SyncCore
import Testing

@testable import SyncServer

@Suite("Live servers on loopback")
struct LiveServerTests {
    /// Over a real socket, with a client that waits 120 s for an answer: HummingbirdTesting's
    /// `.live` framework (its client waits 20 s, not configurable) failed two fresh-clone CI runs
    /// on PostgreSQL with `.readTimeout` while the run's other suites held the cooperative pool.
    @Test("InProcessServer listens on 127.0.0.1 with a free port, serves syncs, refuses a truncated gzip body, and stops", arguments: StorageBackend.all)
    func inProcessServer(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let server = try await InProcessServer.start(fixture.configuration, storage: fixture.storage, logger: fixture.logger)
            #expect(server.port > 0)
            #expect(server.baseURL == "http://127.0.0.1:\(server.port)")
            do {
                // A generous read timeout: this test checks that the server listens, serves and
                // stops, not how fast. Its handlers run on the test process's cooperative pool,
                // which on Linux runs jobs in arrival order, so on a busy run they can wait behind
                // other suites' jobs for longer than HummingbirdTesting's default 15 s.
                try await TestClient.withClient(host: "127.0.0.1", port: server.port, configuration: .init(timeout: .seconds(120))) { client in
                    var alice = try await fixture.enroll("alice")
                    var bob = try await fixture.enroll("bob")
                    let change = try alice.write("account", newRecordID(), accountFields(name: "Live Ltd"))
                    let pushed = try await Self.sync(client, &alice, pushing: [change], gzip: true)
                    #expect(pushed.results.map(\.status) == [.accepted])
                    let pulled = try await Self.sync(client, &bob, pushing: [], gzip: false)
                    #expect(pulled.snapshot?.records.count == 1)
                    let truncated = try await client.post(
                        "/v1/sync", headers: [.contentType: "application/json", .contentEncoding: "gzip", .authorization: "Bearer \(alice.token)"],
                        body: ByteBuffer(bytes: [0x1f, 0x8b, 0x08, 0x00, 0x00])
                    )
                    #expect(truncated.status == .badRequest)
                    let refusal = try JSONDecoder().decode(ErrorBody.self, from: Data((truncated.body ?? ByteBuffer()).readableBytesView))
                    #expect(refusal.error.code == "bad_encoding")
                }
            } catch {
                try await server.stop()
                throw error
            }
            try await server.stop()
            // Stopped: the port no longer answers.
            await #expect(throws: (any Error).self) {
                try await TestClient.withClient(host: "127.0.0.1", port: server.port, configuration: .init(timeout: .seconds(120))) { client in
                    _ = try await client.get("/v1/health")
                }
            }
        }
    }

    @Test("starting on a port in use fails instead of hanging", arguments: StorageBackend.all)
    func portInUse(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let first = try await InProcessServer.start(fixture.configuration, storage: fixture.storage, logger: fixture.logger)
            var taken = fixture.configuration
            taken.port = first.port
            await #expect(throws: (any Error).self) {
                let second = try await InProcessServer.start(taken, storage: fixture.storage, logger: fixture.logger)
                try await second.stop()
            }
            try await first.stop()
        }
    }

    static func sync(_ client: TestClient, _ replica: inout TestReplica, pushing changes: [Change], gzip: Bool) async throws -> SyncResponse {
        var body = ByteBuffer(bytes: try JSONEncoder().encode(replica.request(pushing: changes)))
        var headers: HTTPFields = [.contentType: "application/json", .authorization: "Bearer \(replica.token)", .acceptEncoding: "gzip"]
        if gzip {
            body = try GzipBody.encode(body)
            headers[.contentEncoding] = "gzip"
        }
        let response = try await client.post("/v1/sync", headers: headers, body: body)
        #expect(response.status == .ok)
        #expect(response.headers[.contentEncoding] == "gzip")
        var responseBody = response.body ?? ByteBuffer()
        responseBody = try GzipBody.decode(responseBody, maxBytes: 1 << 24)
        let decoded = try JSONDecoder().decode(SyncResponse.self, from: Data(responseBody.readableBytesView))
        try replica.apply(decoded)
        return decoded
    }
}
