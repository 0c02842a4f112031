import CRM
import FieldSyncTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import SyncCore
import Testing

@testable import SyncServer

/// A device of the loyalty tests: a test replica with its unpushed changes, going through the
/// sync service as a real device would (push its outbox, pull until done).
struct LoyaltyDevice {
    var replica: TestReplica
    let fixture: ServerFixture
    var outbox: [Change] = []
    var results: [ChangeResult] = []

    var id: String { replica.replica.rawValue }

    /// The account's ledger as this device sees it (its own unpushed entries included).
    func ledger(_ accountID: RecordID) -> LoyaltyLedger {
        let account = replica.record("account", accountID) ?? RecordState(entity: "account", id: accountID)
        return LoyaltyLedger(account: account, records: replica.records.values)
    }

    /// Creates an account (with `legacyPoints` on its old counter) and queues it.
    mutating func createAccount(legacyPoints: Int64 = 0) throws -> RecordID {
        let id = RecordIDs.make()
        let counter = legacyPoints == 0 ? [] : [FieldOperation(field: "loyalty_points", operation: .counter(increments: legacyPoints, decrements: 0))]
        outbox.append(try replica.write("account", id, accountFields(name: "Acme") + counter))
        return id
    }

    /// Writes a ledger entry locally and queues it.
    @discardableResult
    mutating func write(_ movement: LoyaltyMovement, _ points: Int64, account: RecordID, order: RecordID? = nil) throws -> LoyaltyEntry {
        let entry = LoyaltyEntry(id: RecordIDs.make(), account: account, movement: movement, points: points, device: movement == .earn ? nil : id, order: order)
        outbox.append(try replica.write(CRMSchema.loyaltyEntry.name, entry.id, entry.fields.map { .set($0.name, $0.value) }))
        return entry
    }

    /// A redemption pushed without the device's check (a hostile or stale device): queued, not
    /// applied locally.
    @discardableResult
    mutating func pushUnchecked(_ points: Int64, account: RecordID) -> Change {
        let entry = LoyaltyEntry(id: RecordIDs.make(), account: account, movement: .redeem, points: points, device: id)
        let change = replica.unappliedChange(CRMSchema.loyaltyEntry.name, entry.id, entry.fields.map { .set($0.name, $0.value) })
        outbox.append(change)
        return change
    }

    /// Redeems as the CLI does: refused locally beyond the device's escrow.
    mutating func redeem(_ points: Int64, account: RecordID) throws {
        try ledger(account).checkRedemption(of: points, by: id)
        try write(.redeem, points, account: account)
    }

    /// Pushes the outbox and pulls until the server has nothing more; returns the results of
    /// the push. Rejected changes leave the outbox, as a device lists them in `status`.
    @discardableResult
    mutating func sync(_ service: SyncService<TestStore>) async throws -> [ChangeResult] {
        // The device row as the route authenticates it each round (its resync state moves).
        var response = try await service.sync(replica.request(pushing: outbox), from: try await fixture.device(replica))
        try replica.apply(response)
        let pushed = response.results
        outbox.removeAll()
        var rounds = 0
        while response.hasMore {
            rounds += 1
            try #require(rounds < 1000)
            response = try await service.sync(replica.request(), from: try await fixture.device(replica))
            try replica.apply(response)
        }
        results += pushed
        return pushed
    }
}

extension ServerFixture {
    func loyaltyDevice(_ name: String) async throws -> LoyaltyDevice {
        LoyaltyDevice(replica: try await enroll(name), fixture: self)
    }

    /// The server's ledger of an account.
    func serverLedger(_ accountID: RecordID) async throws -> LoyaltyLedger {
        let records = try await storage.records()
        let account = records.first { $0.entity == "account" && $0.id == accountID } ?? RecordState(entity: "account", id: accountID)
        return LoyaltyLedger(account: account, records: records)
    }
}

@Suite("Loyalty escrow: redemption safe under concurrency")
struct LoyaltyEscrowTests {
    /// Two reps' devices go offline holding the same account; each tries to redeem the same
    /// 100 points. Today's counter takes the balance to −100; with escrow the second is refused
    /// on its device, a hostile push of it is refused by the server, and the balance never
    /// goes below zero.
    @Test("two offline devices cannot redeem the same points", arguments: StorageBackend.all)
    func sameBalanceTwice(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let service = fixture.syncService()
            var alice = try await fixture.loyaltyDevice("alice")
            var bob = try await fixture.loyaltyDevice("bob")
            let accountID = try alice.createAccount()
            try alice.write(.earn, 100, account: accountID)
            try await alice.sync(service)
            try await bob.sync(service)
            #expect(bob.ledger(accountID).balance == 100)

            // Both ask for escrow; the server grants the 100 once.
            try alice.write(.request, 100, account: accountID)
            try await alice.sync(service)
            try bob.write(.request, 100, account: accountID)
            try await bob.sync(service)
            #expect(alice.ledger(accountID).escrow(of: alice.id) == 100)
            #expect(bob.ledger(accountID).escrow(of: bob.id) == 0)

            // Offline: alice redeems; bob's device refuses, saying what it may redeem.
            try alice.redeem(100, account: accountID)
            let refusal = #expect(throws: LoyaltyError.self) { try bob.redeem(100, account: accountID) }
            #expect(refusal?.code == .escrowExceeded)
            #expect(refusal?.message.contains("may redeem 0 of the account's 100 points") == true)

            // A hostile or stale device pushes the redemption anyway: refused whole.
            let before = try await fixture.dump().logCount
            bob.pushUnchecked(100, account: accountID)
            let results = try await bob.sync(service)
            #expect(results.map(\.code) == [LoyaltyErrorCode.escrowExceeded.rawValue])
            #expect(try await fixture.dump().logCount == before)

            try await alice.sync(service)
            try await bob.sync(service)
            let server = try await fixture.serverLedger(accountID)
            #expect(server.balance == 0)
            #expect(server.redeemedPoints == 100)
            #expect(bob.ledger(accountID).balance == 0)
            #expect(alice.ledger(accountID).balance == 0)
        }
    }

    @Test("the server refuses ledger writes only it may make, edits of entries and a rep's change of the legacy counter", arguments: StorageBackend.all)
    func refusals(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let service = fixture.syncService()
            var alice = try await fixture.loyaltyDevice("alice")
            let accountID = try alice.createAccount()
            let earned = try alice.write(.earn, 30, account: accountID)
            try await alice.sync(service)

            try alice.write(.grant, 30, account: accountID)
            alice.outbox.append(try alice.replica.write(CRMSchema.loyaltyEntry.name, earned.id, [.set("points", .int(3000))]))
            alice.outbox.append(try alice.replica.write("account", accountID, [FieldOperation(field: "loyalty_points", operation: .counter(increments: 0, decrements: 50))]))
            let orderID = RecordIDs.make()
            try alice.write(.earn, 5, account: accountID, order: orderID)
            try alice.write(.earn, 5, account: accountID, order: orderID)
            let bobsDevice = ReplicaID().rawValue
            let forOther = LoyaltyEntry(id: RecordIDs.make(), account: accountID, movement: .request, points: 5, device: bobsDevice)
            alice.outbox.append(try alice.replica.write(CRMSchema.loyaltyEntry.name, forOther.id, forOther.fields.map { .set($0.name, $0.value) }))
            let results = try await alice.sync(service)
            #expect(results.map(\.code) == [
                LoyaltyErrorCode.serverOnly.rawValue, LoyaltyErrorCode.entryImmutable.rawValue, ValidationError.Code.workflowOwnedField.rawValue,
                nil, LoyaltyErrorCode.alreadyEarned.rawValue, LoyaltyErrorCode.deviceMismatch.rawValue,
            ])
            #expect(try await fixture.serverLedger(accountID).balance == 35)
        }
    }

    @Test("a request moves the legacy counter into an opening entry before granting", arguments: StorageBackend.all)
    func openingEntry(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let service = fixture.syncService()
            var alice = try await fixture.loyaltyDevice("alice")
            let accountID = try alice.createAccount(legacyPoints: 120)
            try await alice.sync(service)
            #expect(alice.ledger(accountID).balance == 120)
            try alice.write(.request, 500, account: accountID)
            try await alice.sync(service)
            let ledger = alice.ledger(accountID)
            #expect(ledger.legacyPoints == 0)
            #expect(ledger.entries.filter { $0.movement == .opening }.map(\.points) == [120])
            #expect(ledger.balance == 120)
            #expect(ledger.escrow(of: alice.id) == 120)
            #expect(try await fixture.serverLedger(accountID) == ledger)
        }
    }
}

extension LoyaltyEscrowTests {
    @Test("an admin adjustment takes at most the unallocated points; wiping a device hands its escrow back", arguments: StorageBackend.all)
    func adjustmentAndWipe(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let service = fixture.syncService()
            var alice = try await fixture.loyaltyDevice("alice")
            let accountID = try alice.createAccount()
            try alice.write(.earn, 100, account: accountID)
            try alice.write(.request, 60, account: accountID)
            try await alice.sync(service)
            #expect(alice.ledger(accountID).escrow(of: alice.id) == 60)

            let app = try await fixture.app()
            let repToken = alice.replica.token
            try await app.test(.router) { client in
                let admin = try await fixture.enroll("root", role: .admin, territories: [])
                let uri = "/v1/admin/accounts/\(accountID)/points"
                let refused = try await client.postJSON(uri, AdminController<SQLiteServerStorage>.PointsAdjustment(points: -50, reason: "typo"), token: admin.token)
                #expect(refused.status == .conflict)
                #expect(String(buffer: refused.body).contains(ServerError.Code.loyaltyBalanceExceeded.rawValue))
                let noReason = try await client.postJSON(uri, AdminController<SQLiteServerStorage>.PointsAdjustment(points: 5, reason: " "), token: admin.token)
                #expect(noReason.status == .badRequest)
                let adjusted = try await client.adminPost(
                    AdminController<SQLiteServerStorage>.PointsBalance.self, uri, AdminController<SQLiteServerStorage>.PointsAdjustment(points: -40, reason: "double-counted order"),
                    token: admin.token
                )
                #expect(adjusted.balance == 60 && adjusted.unallocated == 0 && adjusted.lifetime == 100)
                let forbidden = try await client.postJSON(uri, AdminController<SQLiteServerStorage>.PointsAdjustment(points: 5, reason: "x"), token: repToken)
                #expect(forbidden.status == .forbidden)
            }
            try await alice.sync(service)
            let adjustment = try #require(alice.ledger(accountID).entries.first { $0.movement == .adjust })
            #expect(adjustment.points == -40 && adjustment.reason == "double-counted order (by root)")

            try await fixture.accounts.wipeDevice(alice.replica.replica)
            let server = try await fixture.serverLedger(accountID)
            #expect(server.escrow(of: alice.id) == 0)
            #expect(server.unallocated == 60)
            #expect(server.balance == 60)
        }
    }
}

@Suite("Property: loyalty balances never go negative")
struct LoyaltyPropertyTests {
    static let seeds: [UInt64] = Array(1...12)

    /// Random offline traces: three devices earn, ask for escrow, redeem within it (and a
    /// hostile one sometimes beyond it), hand escrow back, and sync in random order at random
    /// times. Every replica's balance stays at or above zero at every step, no legitimate
    /// offline redemption is refused by the server, everything converges, no movement is lost,
    /// and redemptions never exceed what was earned.
    @Test("no replica sees a negative balance in any delivery order", arguments: seeds)
    func neverNegative(seed: UInt64) async throws {
        try await withFixture(backend: .sqlite) { (fixture) async throws in
            var random = SeededGenerator(seed: seed)
            let service = fixture.syncService()
            var devices: [LoyaltyDevice] = []
            for name in ["alice", "bob", "carol"] { devices.append(try await fixture.loyaltyDevice(name)) }
            let accountID = try devices[0].createAccount()
            try await devices[0].sync(service)
            var hostile: Set<Dot> = []
            var legitimate: Set<Dot> = []

            for step in 0..<80 {
                let index = Int.random(in: 0..<devices.count, using: &random)
                var device = devices[index]
                let escrow = device.ledger(accountID).escrow(of: device.id)
                switch Int.random(in: 0..<100, using: &random) {
                case 0..<20:
                    if device.replica.record("account", accountID) != nil {
                        try device.write(.earn, Int64.random(in: 1...50, using: &random), account: accountID)
                    }
                case 20..<35:
                    if device.replica.record("account", accountID) != nil {
                        try device.write(.request, Int64.random(in: 1...80, using: &random), account: accountID)
                    }
                case 35..<55:
                    let wanted = Int64.random(in: 1...40, using: &random)
                    do {
                        try device.redeem(wanted, account: accountID)
                        legitimate.insert(device.outbox.last!.dot)
                    } catch let error as LoyaltyError {
                        #expect(error.code == .escrowExceeded && wanted > escrow, "seed \(seed) step \(step)")
                    }
                case 55..<60:
                    // Beyond anything the server can hold for it when this arrives: its escrow
                    // plus what its queued requests could be granted in the same push.
                    let requested = device.outbox.compactMap { change in
                        device.replica.record(change.entity, change.recordID).flatMap(LoyaltyEntry.init)
                    }.filter { $0.movement == .request }.reduce(0) { $0 + $1.points }
                    hostile.insert(device.pushUnchecked(escrow + requested + Int64.random(in: 1...30, using: &random), account: accountID).dot)
                case 60..<65:
                    if escrow > 0 { try device.write(.return, Int64.random(in: 1...escrow, using: &random), account: accountID) }
                default:
                    try await device.sync(service)
                }
                devices[index] = device
                for (number, device) in devices.enumerated() where device.replica.record("account", accountID) != nil {
                    let ledger = device.ledger(accountID)
                    #expect(ledger.balance >= 0, "seed \(seed) step \(step): device \(number) sees \(ledger.balance)")
                    #expect(ledger.escrow(of: device.id) >= 0, "seed \(seed) step \(step)")
                }
                let server = try await fixture.serverLedger(accountID)
                #expect(server.balance >= 0 && server.unallocated >= 0, "seed \(seed) step \(step): server \(server.balance), unallocated \(server.unallocated)")
            }
            for _ in 0..<2 {
                for index in devices.indices { try await devices[index].sync(service) }
            }

            let server = try await fixture.serverLedger(accountID)
            for device in devices {
                let mine = device.ledger(accountID)
                #expect(mine == server, "seed \(seed): \(device.id) did not converge: only here \(Set(mine.entries).subtracting(server.entries)), only on the server \(Set(server.entries).subtracting(mine.entries)), legacy \(mine.legacyPoints)")
                for result in device.results {
                    if legitimate.contains(result.dot) { #expect(result.status == .accepted, "seed \(seed): a legitimate redemption was refused: \(result)") }
                    if hostile.contains(result.dot) { #expect(result.code == LoyaltyErrorCode.escrowExceeded.rawValue, "seed \(seed): \(result)") }
                }
            }
            let accepted = devices.flatMap(\.results).filter { $0.status == .accepted }.count
            // Every accepted movement is in the ledger (plus the account itself and the server's grants).
            let fromDevices = server.entries.filter { $0.movement != .grant }.count
            #expect(fromDevices == accepted - 1, "seed \(seed)")
            let earned = server.entries.filter { $0.movement == .earn }.reduce(0) { $0 + $1.points }
            #expect(server.redeemedPoints <= earned, "seed \(seed)")
            #expect(server.balance == earned - server.redeemedPoints)
        }
    }
}
