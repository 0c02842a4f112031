import FieldSyncTestSupport
import CRM
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import SyncClient
import SyncCore
import SyncStore
import Testing

@testable import SyncServer

/// Seconds on a clock the test moves by hand.
final class ManualSecondsClock: Sendable {
    private let seconds = Mutex(0.0)

    func advance(by delta: Double) { seconds.withLock { $0 += delta } }

    var current: Double { seconds.withLock { $0 } }

    var now: @Sendable () -> Double { { self.current } }
}

@Suite("Rate limiting and revoked devices")
struct RateLimitAndRevocationTests {
    @Test("token bucket: a burst, then one request per refill interval, per device")
    func tokenBucket() throws {
        let clock = ManualSecondsClock()
        let limiter = RateLimiter(policy: .init(requestsPerSecond: 2, burst: 3), clock: clock.now)
        for _ in 0..<3 { try limiter.admit("a") }
        do throws(ServerError) {
            try limiter.admit("a")
            Issue.record("the fourth request of a burst of 3 was admitted")
        } catch {
            #expect(error.code == .rateLimited)
            #expect(error.retryAfterSeconds == 1)
        }
        // Another device has its own bucket.
        try limiter.admit("b")
        clock.advance(by: 0.5)
        try limiter.admit("a")
        #expect(throws: ServerError.self) { try limiter.admit("a") }
        clock.advance(by: 10)
        for _ in 0..<3 { try limiter.admit("a") }
        #expect(throws: ServerError.self) { try limiter.admit("a") }
        // Off is off.
        let off = RateLimiter(policy: .disabled, clock: clock.now)
        for _ in 0..<1000 { try off.admit("a") }
    }

    @Test("over HTTP: 429 rate_limited with Retry-After, nothing applied, other devices unaffected", arguments: StorageBackend.all)
    func httpRateLimit(backend: StorageBackend) async throws {
        try await withFixture(backend: backend, configure: { $0.rateLimitPerSecond = 0.01; $0.rateLimitBurst = 2 }) { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                var alice = try await fixture.enroll("alice")
                var bob = try await fixture.enroll("bob")
                try await client.sync(&alice)
                try await client.sync(&alice)
                let before = try await fixture.dump()
                let change = alice.unappliedChange("account", newRecordID(), accountFields(name: "Too fast"))
                let limited = try await client.postJSON("/v1/sync", alice.request(pushing: [change]), token: alice.token)
                #expect(limited.status == .tooManyRequests)
                #expect(try errorCode(limited) == "rate_limited")
                #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 >= 1)
                #expect(try await fixture.dump() == before)
                try await client.sync(&bob)
            }
        }
    }

    @Test("a revoked device gets 401 device_revoked and keeps its local data and outbox")
    func revokedDeviceKeepsItsData() async throws {
        try await ScopeTests.withWorld { world in
            let acme = try await ScopeTests.seedAccount(world, territory: "east")
            let alice = try await world.device("alice-phone", user: "alice", territories: ["east"])
            try await alice.sync()
            let edit = try alice.store.apply(.update("account", id: acme.account, [.set("phone", .string("021-1111-2222"))]))
            let created = try alice.store.apply(.create("contact", CRMRecords.contact("Offline contact", account: acme.account)))
            let dump = try alice.store.canonicalDump()
            let before = try await world.fixture.dump()
            try await world.fixture.accounts.revokeDevice(alice.replica)

            await #expect(throws: SyncClientError(code: "device_revoked", message: "this device was revoked; enroll it again with a new code", status: 401)) {
                try await alice.sync()
            }
            #expect(try alice.store.canonicalDump() == dump)
            #expect(try alice.store.outbox().map(\.change.dot) == [edit.dot, created.dot])
            #expect(try alice.store.outbox().allSatisfy { $0.rejectCode == nil })
            #expect(try await world.fixture.dump() == before)
            // The device lists as revoked, and admin endpoints refuse its token as well.
            #expect(try await world.fixture.storage.devices().first { $0.replica == alice.replica }?.isRevoked == true)
        }
    }
}
