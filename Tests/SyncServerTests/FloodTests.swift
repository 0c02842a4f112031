import FieldSyncTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SyncCore
import Testing

@testable import SyncServer

/// Floods of authenticated requests: every authenticated endpoint counts against its device's
/// rate limit, and expensive reads cannot take the turns sync rounds need.
@Suite("Floods and expensive reads")
struct FloodTests {
    /// A burst of 10 and a refill so slow that no token comes back during a test.
    static func limited(_ configuration: inout ServerConfiguration) {
        configuration.rateLimitPerSecond = 0.001
        configuration.rateLimitBurst = 10
    }

    /// Sends `count` GETs of `uri` with `token`; the statuses, in order.
    static func flood(_ client: some TestClientProtocol, _ uri: String, token: String, count: Int) async throws -> [HTTPResponse.Status] {
        var statuses: [HTTPResponse.Status] = []
        for _ in 0..<count {
            let response = try await client.getJSON(uri, token: token)
            if response.status == .tooManyRequests {
                #expect(try errorCode(response) == "rate_limited")
                #expect(Int(response.headers[.retryAfter] ?? "") ?? 0 >= 1)
            }
            statuses.append(response.status)
        }
        return statuses
    }

    @Test("a flood of report requests gets 429 rate_limited once the device's burst is spent", arguments: StorageBackend.all)
    func reportFlood(backend: StorageBackend) async throws {
        try await withFixture(backend: backend, configure: Self.limited) { fixture in
            let manager = try await fixture.enroll("mgr", role: .manager, territories: ["east"])
            let rep = try await fixture.enroll("alice")
            try await fixture.app().test(.router) { client in
                let statuses = try await Self.flood(client, "/v1/reports/pipeline", token: manager.token, count: 30)
                #expect(statuses.filter { $0 == .ok }.count == 10)
                #expect(statuses.filter { $0 == .tooManyRequests }.count == 20)
                // The chart counts too, and other devices keep their own buckets.
                #expect(try await client.getJSON("/v1/reports/pipeline.svg", token: manager.token).status == .tooManyRequests)
                var alice = rep
                try await client.sync(&alice)
            }
        }
    }

    @Test(
        "on PostgreSQL, servers sharing the database share each device's rate limit and the admin web sessions",
        .enabled(if: PostgresTestCluster.shouldRun)
    )
    func limitsAndSessionsHoldAcrossServers() async throws {
        try await withFixture(backend: .postgres, configure: Self.limited) { fixture in
            let second = try await fixture.storage.reopen(sqlitePath: fixture.configuration.databasePath, logger: fixture.logger)
            let manager = try await fixture.enroll("mgr", role: .manager, territories: ["east"])
            _ = try await fixture.enroll("root", role: .admin, territories: [])
            let other = try ServerFixture.routerApplication(fixture.configuration, storage: second, logger: fixture.logger)
            try await fixture.app().test(.router) { first in
                try await other.test(.router) { otherServer in
                    // A load balancer sends the manager's requests to both servers in turn.
                    var statuses: [HTTPResponse.Status] = []
                    for index in 0..<16 {
                        let response = index % 2 == 0
                            ? try await first.getJSON("/v1/reports/pipeline", token: manager.token)
                            : try await otherServer.getJSON("/v1/reports/pipeline", token: manager.token)
                        statuses.append(response.status)
                    }
                    #expect(statuses.filter { $0 == .ok }.count == 10, "one burst of 10 for both servers together: \(statuses)")
                    #expect(statuses.suffix(6).allSatisfy { $0 == .tooManyRequests })

                    // Signed in on one server, the session works on the other, and signing out
                    // on the other ends it on both.
                    let cookie = try await AdminWebTests.signIn(first, fixture, as: "root")
                    #expect(try await otherServer.getPage("/admin/conflicts", cookie: cookie).status == .ok)
                    let page = String(buffer: try await otherServer.getPage("/admin/conflicts", cookie: cookie).body)
                    let out = try await otherServer.postForm("/admin/logout", ["csrf": try AdminWebTests.csrf(in: page)], cookie: cookie)
                    #expect(out.status == .seeOther)
                    #expect(try await first.getPage("/admin/conflicts", cookie: cookie).status == .seeOther)
                }
            }
            try await second.close()
        }
    }

    @Test("a flood of conflict-log and history requests gets 429 rate_limited", arguments: StorageBackend.all)
    func conflictFlood(backend: StorageBackend) async throws {
        try await withFixture(backend: backend, configure: Self.limited) { fixture in
            let admin = try await fixture.enroll("root", role: .admin, territories: [])
            try await fixture.app().test(.router) { client in
                let conflicts = try await Self.flood(client, "/v1/admin/conflicts", token: admin.token, count: 6)
                let history = try await Self.flood(client, "/v1/admin/records/account/\(newRecordID())/history", token: admin.token, count: 6)
                #expect(conflicts.allSatisfy { $0 == .ok })
                #expect(history.prefix(4).allSatisfy { $0 != .tooManyRequests })
                #expect(history.suffix(2).allSatisfy { $0 == .tooManyRequests })
                #expect(try await client.getJSON("/v1/admin/conflicts/1", token: admin.token).status == .tooManyRequests)
            }
        }
    }

    @Test("admin web pages count against the rate limit of the sign-in's device")
    func adminPageFlood() async throws {
        try await withFixture(configure: Self.limited) { fixture in
            _ = try await fixture.enroll("root", role: .admin, territories: [])
            try await fixture.app().test(.router) { client in
                let cookie = try await AdminWebTests.signIn(client, fixture, as: "root")
                var statuses: [HTTPResponse.Status] = []
                for _ in 0..<12 { statuses.append(try await client.getPage("/admin/conflicts", cookie: cookie).status) }
                #expect(statuses.prefix(10).allSatisfy { $0 == .ok })
                #expect(statuses.suffix(2).allSatisfy { $0 == .tooManyRequests })
            }
        }
    }

    @Test("a sync round is served while expensive reads are saturated; reads past the queue get 503 server_busy", arguments: StorageBackend.all)
    func syncServedWhileReadsSaturated(backend: StorageBackend) async throws {
        try await withFixture(backend: backend, configure: { $0.maxConcurrentExpensiveReads = 1; $0.maxQueuedExpensiveReads = 1 }) { fixture in
            let manager = try await fixture.enroll("mgr", role: .manager, territories: ["east"])
            let admin = try await fixture.enroll("root", role: .admin, territories: [])
            let rep = try await fixture.enroll("alice")
            let guards = RequestGuards(fixture.configuration, storage: fixture.storage)
            let app = try ServerFixture.routerApplication(fixture.configuration, storage: fixture.storage, logger: fixture.logger, guards: guards)
            try await app.test(.router) { client in
                // The one turn is taken by a read that lasts until the test lets it go.
                let (release, releaser) = AsyncStream<Void>.makeStream()
                let holder = Task {
                    try await guards.expensiveReads.run {
                        for await _ in release { break }
                    }
                }
                #expect(try await SlowClientTests.eventually { guards.expensiveReads.load.running == 1 })
                let queued = Task { try await client.getJSON("/v1/reports/pipeline", token: manager.token).status }
                #expect(try await SlowClientTests.eventually { guards.expensiveReads.load.waiting == 1 })

                for uri in ["/v1/reports/pipeline", "/v1/reports/pipeline.svg", "/v1/admin/conflicts"] {
                    let busy = try await client.getJSON(uri, token: uri.contains("admin") ? admin.token : manager.token)
                    #expect(busy.status == .serviceUnavailable, "\(uri)")
                    #expect(try errorCode(busy) == "server_busy")
                    #expect(busy.headers[.retryAfter] == "1")
                }
                // Sync rounds do not queue behind reports.
                var alice = rep
                let change = try alice.write("account", newRecordID(), accountFields(name: "Served Ltd"))
                let results = try await client.syncUntilDone(&alice, pushing: [change])
                #expect(results.map(\.status) == [.accepted])

                releaser.finish()
                try await holder.value
                #expect(try await queued.value == .ok, "the queued report was served once the turn was free")
                #expect(guards.expensiveReads.load.running == 0)
                #expect(try await client.getJSON("/v1/reports/pipeline", token: manager.token).status == .ok)
            }
        }
    }
}
