import FieldSyncTestSupport
import CRM
import Foundation
import Hummingbird
import Logging
import HummingbirdTesting
import SyncClient
import SyncCore
import SyncStore
import Testing

@testable import SyncServer

/// Partial replication by scope, one situation at a time, with real device stores.
@Suite("Scope: who sees and writes what")
struct ScopeTests {
    /// Runs `body` with a router-backed world (rate limiting off).
    static func withWorld(_ body: @escaping @Sendable (ScopeWorld) async throws -> Void) async throws {
        try await withFixture(configure: { $0.rateLimitPerSecond = 0 }) { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                let world = ScopeWorld(fixture: fixture, client: client)
                try await body(world)
                #expect(world.audit.violations.isEmpty, "\(world.audit.violations)")
            }
        }
    }

    /// Server-side records: an account in `territory` with a contact and an opportunity.
    @discardableResult
    static func seedAccount(_ world: ScopeWorld, territory: String, name: String = "Acme") async throws -> (account: RecordID, contact: RecordID, opportunity: RecordID) {
        let ids = (account: newRecordID(), contact: newRecordID(), opportunity: newRecordID())
        _ = try await world.fixture.syncService().writeAsServer([
            RecordWrite(entity: "account", id: ids.account, fields: ["name": .value(.string(name)), "territory": .value(.string(territory))]),
            RecordWrite(entity: "contact", id: ids.contact, fields: ["account": .value(.string(ids.account)), "name": .value(.string("Li Lei"))]),
            RecordWrite(entity: "opportunity", id: ids.opportunity, fields: [
                "account": .value(.string(ids.account)), "title": .value(.string("Sensors")), "stage": .value(.string("proposal")),
            ]),
        ])
        return ids
    }

    static func move(_ world: ScopeWorld, account: RecordID, to territory: String) async throws {
        _ = try await world.fixture.syncService().writeAsServer([
            RecordWrite(entity: "account", id: account, fields: ["territory": .value(.string(territory))])
        ])
    }

    static func product(_ world: ScopeWorld) async throws -> RecordID {
        let id = newRecordID()
        _ = try await world.fixture.syncService().writeAsServer([
            RecordWrite(entity: "product", id: id, fields: ["sku": .value(.string("P-1")), "name": .value(.string("Sensor")), "unit_price": .value(.string("9.5"))])
        ])
        return id
    }

    static func ids(_ store: DeviceStore) throws -> Set<RecordID> {
        Set(try store.allStates().map(\.id))
    }

    @Test("a rep's snapshot and log pulls hold their territories' accounts with children, their leads and the products, nothing else")
    func repReceivesOnlyTheirScope() async throws {
        try await Self.withWorld { world in
            let east = try await Self.seedAccount(world, territory: "east")
            let north = try await Self.seedAccount(world, territory: "north")
            let product = try await Self.product(world)
            let alice = try await world.device("alice-phone", user: "alice", territories: ["east"])
            try await alice.sync()
            #expect(try Self.ids(alice.store) == [east.account, east.contact, east.opportunity, product])

            // Later writes: the log page carries only east's, and the cursor still passes north's.
            let eastLater = try await Self.seedAccount(world, territory: "east", name: "Later")
            try await Self.seedAccount(world, territory: "north", name: "Later north")
            _ = try await world.fixture.syncService().writeAsServer([
                RecordWrite(entity: "contact", id: north.contact, fields: ["title": .value(.string("CEO"))])
            ])
            let summary = try await alice.sync()
            #expect(summary.pulled == 3)
            #expect(try Self.ids(alice.store) == [east.account, east.contact, east.opportunity, product, eastLater.account, eastLater.contact, eastLater.opportunity])
            #expect(try alice.store.cursor() == (try await world.fixture.storage.latestSequence()))
            try await world.expectConverged(alice, made: [])
        }
    }

    @Test("pushes outside the user's territories are rejected with out_of_scope and stay on the device")
    func outOfScopePushesStayOnDevice() async throws {
        try await Self.withWorld { world in
            let alice = try await world.device("alice-phone", user: "alice", territories: ["east"])
            try await alice.sync()
            let foreign = try alice.store.apply(.create("account", CRMRecords.account("Northern Star", territory: "north")))
            let own = try alice.store.apply(.create("account", CRMRecords.account("Eastern Star", territory: "east")))
            let child = try alice.store.apply(.create("contact", CRMRecords.contact("Wang Fang", account: foreign.recordID)))
            let summary = try await alice.sync()
            #expect(summary.accepted == 1)
            #expect(summary.rejections == ["out_of_scope": 2])
            let outbox = try alice.store.outbox()
            #expect(outbox.map(\.change.dot) == [foreign.dot, child.dot])
            #expect(outbox.allSatisfy { $0.rejectCode == "out_of_scope" && $0.rejectMessage?.isEmpty == false })
            #expect(try alice.store.status().rejectedChanges == 2)
            #expect(try await world.fixture.storage.record(entity: "account", id: foreign.recordID) == nil)
            #expect(try await world.fixture.storage.record(entity: "account", id: own.recordID) != nil)
            // Retried on every sync, still refused, still kept.
            try await alice.sync()
            #expect(try alice.store.outbox().count == 2)
            try await world.expectConverged(alice, made: [foreign, own, child])
        }
    }

    @Test("an edit of a record the device may not see is refused, however it names it")
    func craftedEditOfForeignRecordIsRefused() async throws {
        try await Self.withWorld { world in
            let north = try await Self.seedAccount(world, territory: "north")
            var alice = try await world.fixture.enroll("alice", territories: ["east"])
            try await world.client.syncUntilDone(&alice)
            let before = try await world.fixture.dump()
            let change = alice.unappliedChange("contact", north.contact, [.set("title", "Hacked")])
            let move = alice.unappliedChange("contact", newRecordID(), [.set("account", north.account), .set("name", "Spy")])
            let response = try await world.client.postJSON("/v1/sync", alice.request(pushing: [change, move]), token: alice.token)
            let results = try decodeBody(SyncResponse.self, response).results
            #expect(results.map(\.code) == ["out_of_scope", "out_of_scope"])
            #expect(try await world.fixture.dump() == before)
        }
    }

    @Test("a reference never crosses into another territory: an east activity naming a north contact and an east order line of a north order are refused with out_of_scope")
    func referencesStayInsideScope() async throws {
        try await Self.withWorld { world in
            let east = try await Self.seedAccount(world, territory: "east")
            let north = try await Self.seedAccount(world, territory: "north", name: "North")
            let northOrder = newRecordID()
            _ = try await world.fixture.syncService().writeAsServer([
                RecordWrite(entity: "order", id: northOrder, fields: ["account": .value(.string(north.account)), "status": .value(.string("draft"))])
            ])
            var alice = try await world.fixture.enroll("alice", territories: ["east"])
            try await world.client.syncUntilDone(&alice)
            let before = try await world.fixture.dump()
            let at = "2026-11-20T01:30:00Z"
            let crossContact = alice.unappliedChange("activity", newRecordID(), [
                .set("account", .string(east.account)), .set("contact", .string(north.contact)), .set("type", "visit"), .set("at", .string(at)),
            ])
            let crossOrder = alice.unappliedChange("order_line", newRecordID(), [
                .set("order", .string(northOrder)), .set("account", .string(east.account)), .set("quantity", .int(1)), .set("unit_price", "9.5"),
            ])
            let response = try await world.client.postJSON("/v1/sync", alice.request(pushing: [crossContact, crossOrder]), token: alice.token)
            let results = try decodeBody(SyncResponse.self, response).results
            #expect(results.map(\.code) == ["out_of_scope", "out_of_scope"])
            #expect(results.first?.message?.contains("'contact'") == true, "\(results.first?.message ?? "")")
            #expect(try await world.fixture.dump() == before)

            // The same activity naming its own account's contact is accepted.
            let own = alice.unappliedChange("activity", newRecordID(), [
                .set("account", .string(east.account)), .set("contact", .string(east.contact)), .set("type", "visit"), .set("at", .string(at)),
            ])
            let accepted = try await world.client.postJSON("/v1/sync", alice.request(pushing: [own]), token: alice.token)
            #expect(try decodeBody(SyncResponse.self, accepted).results.map(\.status) == [.accepted])
        }
    }

    @Test("an account moved away: the losing device pushes its pending edits first (refused, kept), then drops the account with its children; the gaining device receives them")
    func accountMoveConverges() async throws {
        try await Self.withWorld { world in
            let acme = try await Self.seedAccount(world, territory: "east")
            let alice = try await world.device("alice-phone", user: "alice", territories: ["east"])
            let zhang = try await world.device("zhang-phone", user: "zhang", territories: ["north"])
            try await alice.sync()
            try await zhang.sync()
            #expect(try Self.ids(zhang.store).isEmpty)

            // Offline on alice's phone: edits of the account and a child.
            let phone = try alice.store.apply(.update("account", id: acme.account, [.set("phone", .string("021-5555-0101"))]))
            let title = try alice.store.apply(.update("contact", id: acme.contact, [.set("title", .string("Buyer"))]))
            // Meanwhile an admin moves the account to north.
            try await Self.move(world, account: acme.account, to: "north")

            let gained = try await zhang.sync()
            #expect(gained.arrived == 3)
            #expect(try Self.ids(zhang.store) == [acme.account, acme.contact, acme.opportunity])

            let lost = try await alice.sync()
            #expect(lost.rejections == ["out_of_scope": 2])
            #expect(lost.evicted == 1)
            #expect(try Self.ids(alice.store).isEmpty)
            #expect(try alice.store.outbox().map(\.change.dot) == [phone.dot, title.dot])
            #expect(try alice.store.history("account", id: acme.account).isEmpty)
            try await world.expectConverged(alice, made: [phone, title])
            try await world.expectConverged(zhang, made: [])

            // The account comes back: alice's kept edits are pushed again and accepted, she
            // receives the account with its children again, and zhang drops it.
            try await Self.move(world, account: acme.account, to: "east")
            try await alice.sync()
            try await zhang.sync()
            #expect(try alice.store.outbox().isEmpty)
            #expect(try alice.store.record("account", id: acme.account)?.value("phone") == .string("021-5555-0101"))
            #expect(try alice.store.record("contact", id: acme.contact)?.value("title") == .string("Buyer"))
            #expect(try Self.ids(zhang.store).isEmpty)
            try await world.expectConverged(alice, made: [phone, title])
            try await world.expectConverged(zhang, made: [])
        }
    }

    @Test("a child created offline for an account that moved away meanwhile is refused, dropped with the account, and kept in the outbox")
    func childCreatedOfflineForMovedAccount() async throws {
        try await Self.withWorld { world in
            let acme = try await Self.seedAccount(world, territory: "east")
            let alice = try await world.device("alice-phone", user: "alice", territories: ["east"])
            try await alice.sync()
            let contact = try alice.store.apply(.create("contact", CRMRecords.contact("Han Meimei", account: acme.account)))
            let visit = try alice.store.apply(.create("activity", [
                .set("account", .string(acme.account)), .set("contact", .string(contact.recordID)), .set("type", .string("visit")),
                .set("at", .string("2026-03-01T09:00:00Z")),
            ]))
            try await Self.move(world, account: acme.account, to: "north")
            let summary = try await alice.sync()
            #expect(summary.rejections == ["out_of_scope": 2])
            #expect(try alice.store.record("contact", id: contact.recordID) == nil)
            #expect(try alice.store.record("activity", id: visit.recordID) == nil)
            #expect(try alice.store.outbox().map { $0.rejectCode } == ["out_of_scope", "out_of_scope"])
            #expect(try await world.fixture.storage.record(entity: "contact", id: contact.recordID) == nil)
            try await world.expectConverged(alice, made: [contact, visit])
        }
    }

    @Test("children written while a device was offline follow their account when it moves: the gaining device gets them all, the losing one drops them all")
    func childrenFollowAccountWhileOffline() async throws {
        try await Self.withWorld { world in
            let acme = try await Self.seedAccount(world, territory: "east")
            let alice = try await world.device("alice-phone", user: "alice", territories: ["east"])
            let bob = try await world.device("bob-phone", user: "bob", territories: ["east"])
            let zhang = try await world.device("zhang-phone", user: "zhang", territories: ["north"])
            let zhangTablet = try await world.device("zhang-tablet", user: "zhang")
            for device in [alice, bob, zhang, zhangTablet] { try await device.sync() }
            // alice and zhang's phone go offline. bob adds an order; then the account moves
            // north, and zhang's tablet adds a ticket to it.
            let order = try bob.store.apply(.create("order", [.set("account", .string(acme.account)), .set("status", .string("draft"))]))
            try await bob.sync()
            try await Self.move(world, account: acme.account, to: "north")
            try await zhangTablet.sync()
            let ticket = try zhangTablet.store.apply(.create("ticket", [
                .set("account", .string(acme.account)), .set("title", .string("Broken sensor")), .set("category", .string("complaint")),
                .set("severity", .string("high")), .set("status", .string("open")),
            ]))
            try await zhangTablet.sync()
            try await bob.sync()
            // Back online.
            try await alice.sync()
            try await zhang.sync()
            #expect(try Self.ids(alice.store).isEmpty)
            #expect(try Self.ids(bob.store).isEmpty)
            #expect(try Self.ids(zhang.store) == [acme.account, acme.contact, acme.opportunity, order.recordID, ticket.recordID])
            for device in [alice, bob, zhang, zhangTablet] {
                try await world.expectConverged(device, made: device.name == "bob-phone" ? [order] : device.name == "zhang-tablet" ? [ticket] : [])
            }
        }
    }

    @Test("a move by an edit of the territory field on a device: those who lose it evict, those who gain it receive it")
    func moveByDeviceEdit() async throws {
        try await Self.withWorld { world in
            let acme = try await Self.seedAccount(world, territory: "east")
            let bob = try await world.device("bob-phone", user: "bob", territories: ["east", "south"])
            let alice = try await world.device("alice-phone", user: "alice", territories: ["east"])
            let carol = try await world.device("carol-phone", user: "carol", territories: ["south"])
            for device in [bob, alice, carol] { try await device.sync() }
            let move = try bob.store.apply(.update("account", id: acme.account, [.set("territory", .string("south"))]))
            #expect(try await bob.sync().accepted == 1)
            #expect(try await alice.sync().evicted == 1)
            #expect(try await carol.sync().arrived == 3)
            #expect(try Self.ids(alice.store).isEmpty)
            #expect(try Self.ids(carol.store) == [acme.account, acme.contact, acme.opportunity])
            // A rep may not move an account out of their own territories.
            let away = try carol.store.apply(.update("account", id: acme.account, [.set("territory", .string("west"))]))
            #expect(try await carol.sync().rejections == ["out_of_scope": 1])
            try await world.expectConverged(bob, made: [move])
            try await world.expectConverged(alice, made: [])
            #expect(try carol.store.outbox().map(\.change.dot) == [away.dot])
            try await world.expectConverged(carol, made: [away])
        }
    }

    @Test("a child cannot be moved to another account by a device; an admin may, and the move replicates exactly")
    func reparenting() async throws {
        try await Self.withWorld { world in
            let east = try await Self.seedAccount(world, territory: "east")
            let otherEast = try await Self.seedAccount(world, territory: "east", name: "Other")
            let north = try await Self.seedAccount(world, territory: "north")
            let alice = try await world.device("alice-phone", user: "alice", territories: ["east"])
            let zhang = try await world.device("zhang-phone", user: "zhang", territories: ["north"])
            let root = try await world.device("root-laptop", user: "root", role: .admin)
            for device in [alice, zhang, root] { try await device.sync() }
            let refused = try alice.store.apply(.update("contact", id: east.contact, [.set("account", .string(otherEast.account))]))
            #expect(try await alice.sync().rejections == ["immutable_field": 1])
            #expect(try alice.store.outbox().map(\.change.dot) == [refused.dot])
            // The admin moves the contact from an east account to a north one.
            let moved = try root.store.apply(.update("contact", id: east.contact, [.set("account", .string(north.account))]))
            #expect(try await root.sync().accepted == 1)
            try await zhang.sync()
            #expect(try zhang.store.record("contact", id: east.contact)?.value("account") == .string(north.account))
            // Alice loses the contact (her refused move stays in her outbox), not its old account.
            #expect(try await alice.sync().evicted == 1)
            #expect(try alice.store.record("contact", id: east.contact) == nil)
            #expect(try alice.store.record("account", id: east.account) != nil)
            try await world.expectConverged(alice, made: [refused])
            try await world.expectConverged(root, made: [moved])
            try await world.expectConverged(zhang, made: [])
        }
    }

    @Test("a manager sees their own territories and their team's; a team change resyncs their devices")
    func managerTeamScope() async throws {
        try await Self.withWorld { world in
            let east = try await Self.seedAccount(world, territory: "east")
            let north = try await Self.seedAccount(world, territory: "north")
            let west = try await Self.seedAccount(world, territory: "west")
            let product = try await Self.product(world)
            _ = try await world.device("zhang-phone", user: "zhang", territories: ["north"])
            _ = try await world.device("alice-phone", user: "alice", territories: ["east"])
            let manager = try await world.device("mgr-phone", user: "mgr", role: .manager, territories: ["west"], team: ["zhang"])
            try await manager.sync()
            let westAndNorth: Set<RecordID> = [west.account, west.contact, west.opportunity, north.account, north.contact, north.opportunity, product]
            #expect(try Self.ids(manager.store) == westAndNorth)

            // The manager writes in a team member's territory.
            let note = try manager.store.apply(.update("account", id: north.account, [.set("notes", .string("Visited with Zhang"))]))
            #expect(try await manager.sync().accepted == 1)

            // The team changes: alice instead of zhang.
            _ = try await world.fixture.accounts.updateUser(name: "mgr", territories: ["west"], team: ["alice"])
            let summary = try await manager.sync()
            #expect(summary.resyncs == 1)
            #expect(try Self.ids(manager.store) == [west.account, west.contact, west.opportunity, east.account, east.contact, east.opportunity, product])
            // A team member's own territories changing changes the manager's scope too.
            _ = try await world.fixture.accounts.updateUser(name: "alice", territories: ["east", "north"], team: [])
            #expect(try await manager.sync().resyncs == 1)
            #expect(try Self.ids(manager.store).isSuperset(of: westAndNorth))
            try await world.expectConverged(manager, made: [note])
        }
    }

    @Test("teams are for managers, and name existing users", arguments: StorageBackend.all)
    func teamValidation(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            _ = try await fixture.accounts.createUser(name: "alice", role: .rep, territories: ["east"])
            await #expect(throws: ServerError.self) { _ = try await fixture.accounts.createUser(name: "bob", role: .rep, territories: ["east"], team: ["alice"]) }
            await #expect(throws: ServerError.self) { _ = try await fixture.accounts.createUser(name: "m", role: .manager, territories: ["east"], team: ["nobody"]) }
            let manager = try await fixture.accounts.createUser(name: "m", role: .manager, territories: ["west"], team: ["alice", "alice"])
            #expect(manager.user.team == ["alice"])
            #expect(try await fixture.storage.user(named: "m")?.team == ["alice"])
        }
    }

    @Test("an admin's devices hold every record, whatever its territory (or none)")
    func adminSeesEverything() async throws {
        try await Self.withWorld { world in
            for territory in ["east", "north", "central"] { try await Self.seedAccount(world, territory: territory) }
            _ = try await Self.product(world)
            let root = try await world.device("root-laptop", user: "root", role: .admin)
            try await root.sync()
            let server = try await world.fixture.storage.records()
            #expect(try root.store.allStates() == server)
            // An admin may write anywhere, including a territory no one works in.
            let created = try root.store.apply(.create("account", CRMRecords.account("Nowhere Ltd", territory: "antarctica")))
            #expect(try await root.sync().accepted == 1)
            try await world.expectConverged(root, made: [created])
        }
    }

    @Test("a rep whose territories change resyncs: drops what left, receives what entered, keeps the outbox")
    func repTerritoryChangeResyncs() async throws {
        try await Self.withWorld { world in
            let east = try await Self.seedAccount(world, territory: "east")
            let south = try await Self.seedAccount(world, territory: "south")
            let bob = try await world.device("bob-phone", user: "bob", territories: ["east"])
            try await bob.sync()
            let pending = try bob.store.apply(.create("account", CRMRecords.account("Made offline", territory: "east")))
            _ = try await world.fixture.accounts.updateUser(name: "bob", territories: ["south"], team: [])
            let summary = try await bob.sync()
            #expect(summary.resyncs == 1)
            #expect(summary.rejections == ["out_of_scope": 1])
            #expect(try Self.ids(bob.store) == [south.account, south.contact, south.opportunity])
            #expect(try bob.store.outbox().map(\.change.dot) == [pending.dot])
            #expect(!(try Self.ids(bob.store).contains(east.account)))
            try await world.expectConverged(bob, made: [pending])
        }
    }

    @Test("a resync whose answer is lost is still a resync when the device asks again")
    func lostResyncAnswer() async throws {
        try await Self.withWorld { world in
            let east = try await Self.seedAccount(world, territory: "east")
            let south = try await Self.seedAccount(world, territory: "south")
            let bob = try await world.device("bob-phone", user: "bob", territories: ["east"])
            try await bob.sync()
            _ = try await world.fixture.accounts.updateUser(name: "bob", territories: ["south"], team: [])
            // The server answers the first sync after the change with `resync`; the answer is
            // lost on the way back.
            let lossy = SyncClient(
                store: bob.store, transport: LosingAnswerTransport(inner: RouterTransport(client: world.client)),
                retry: RetryPolicy(maxAttempts: 1), logger: Logger(label: "lossy")
            )
            await #expect(throws: SyncClientError.self) { try await lossy.sync() }
            #expect(try Self.ids(bob.store).contains(east.account), "the device applied nothing")
            let summary = try await bob.sync()
            #expect(summary.resyncs == 1)
            #expect(try Self.ids(bob.store) == [south.account, south.contact, south.opportunity])
            try await world.expectConverged(bob, made: [])
        }
    }

    @Test("a retried push that was accepted stays a duplicate after its record left the scope", arguments: StorageBackend.all)
    func retryAfterMoveIsDuplicate(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                var alice = try await fixture.enroll("alice", territories: ["east"])
                try await client.syncUntilDone(&alice)
                let account = newRecordID()
                let change = try alice.write("account", account, accountFields(name: "Acme"))
                #expect(try await client.sync(&alice, pushing: [change]).results.map(\.status) == [.accepted])
                _ = try await fixture.syncService().writeAsServer([RecordWrite(entity: "account", id: account, fields: ["territory": .value(.string("north"))])])
                let retry = try await client.sync(&alice, pushing: [change])
                #expect(retry.results.map(\.status) == [.duplicate])
                #expect(retry.evictions == [RecordReference(entity: "account", id: account)])
                #expect(alice.records.isEmpty)
            }
        }
    }

    @Test("a device whose outbox is larger than one push asks again for a page that evicts until everything was pushed once")
    func evictionWaitsForTheOutbox() {
        var session = SyncSession(replica: ReplicaID(), batchSize: 2)
        let replica = session.replica
        let outbox = (1...3).map { counter in
            Change(entity: "account", recordID: newRecordID(), dot: Dot(replica: replica, counter: UInt64(counter)), hlc: HLC(physical: 1), context: VersionVector(), operations: [])
        }
        let first = session.makeRequest(outbox: outbox, cursor: 5, bootstrap: nil, clientTime: 0)
        #expect(first.changes.count == 2)
        let evicting = SyncResponse(
            serverTime: 0, results: first.changes.map { ChangeResult(dot: $0.dot, status: .accepted) }, changes: [], cursor: 9, hasMore: false,
            evictions: [RecordReference(entity: "account", id: newRecordID())]
        )
        let actions = session.receive(evicting, receivedAt: 0)
        #expect(!actions.contains { if case .applyLog = $0 { return true } else { return false } })
        #expect(session.summary.deferredPages == 1)
        let second = session.makeRequest(outbox: outbox, cursor: 5, bootstrap: nil, clientTime: 0)
        #expect(second.changes.map(\.dot) == [outbox[2].dot])
        #expect(second.cursor == 5)
        let applied = session.receive(evicting, receivedAt: 0)
        #expect(applied.contains { if case .applyLog(_, let cursor, let evictions, _) = $0 { return cursor == 9 && evictions.count == 1 } else { return false } })
        #expect(session.isFinished)
    }
}

/// Delivers every request and loses every answer, as a network that drops the connection after
/// the server has replied.
struct LosingAnswerTransport: SyncTransport {
    let inner: any SyncTransport

    func send(_ request: TransportRequest) async throws -> TransportResponse {
        _ = try await inner.send(request)
        throw URLError(.networkConnectionLost)
    }
}
