import FieldSyncTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import SyncCore
import Testing

@testable import SyncServer

/// The server's territory list (migration v9): users only in listed territories, devices read
/// the list, and a bootstrap's first page says how many records are coming.
@Suite("Territory list")
struct TerritoryListTests {
    @Test("users work only in territories on the list; the list is read by devices", arguments: StorageBackend.all)
    func usersAndDevices(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            // An empty list restricts nothing (a server from before the list).
            _ = try await fixture.accounts.createUser(name: "early", role: .rep, territories: ["anywhere"])

            #expect(try await fixture.storage.addTerritory(Territory(name: "east", title: "华东")))
            #expect(try await fixture.storage.addTerritory(Territory(name: "north", title: "华北")))
            let retitled = try await fixture.storage.addTerritory(Territory(name: "north", title: "华北 North China"))
            #expect(!retitled, "a second add retitles")
            await #expect(throws: ServerError.self) { _ = try await fixture.storage.addTerritory(Territory(name: "east2", title: "华东")) }

            let created = try await fixture.accounts.createUser(name: "alice", role: .rep, territories: ["华东", "NORTH"])
            #expect(created.user.territories == ["east", "north"], "titles and letter case resolve to the keys")
            #expect(try await fixture.storage.user(named: "alice")?.territories == ["east", "north"])
            do {
                _ = try await fixture.accounts.createUser(name: "bob", role: .rep, territories: ["esat"])
                Issue.record("an unknown territory was taken")
            } catch let error as ServerError {
                #expect(error.code == .unknownTerritory)
                #expect(error.message.contains("did you mean 'east'?"), "\(error.message)")
            }
            #expect(try await fixture.storage.user(named: "bob") == nil, "a refused user is not stored")
            await #expect(throws: ServerError.self) { _ = try await fixture.accounts.updateUser(name: "alice", territories: ["south"], team: []) }

            do {
                try await fixture.storage.removeTerritory(named: "north")
                Issue.record("a territory in use was removed")
            } catch let error as ServerError {
                #expect(error.code == .territoryInUse)
            }
            _ = try await fixture.accounts.updateUser(name: "alice", territories: ["east"], team: [])
            try await fixture.storage.removeTerritory(named: "华北 North China")
            #expect(try await fixture.storage.territories().territories == [Territory(name: "east", title: "华东")])

            let alice = try await fixture.enroll("carol", territories: ["east"])
            let app = try await fixture.app()
            try await app.test(.router) { client in
                let listed = try await client.execute(uri: "/v1/territories", method: .get, headers: [.authorization: "Bearer \(alice.token)"])
                #expect(listed.status == .ok)
                #expect(try decodeBody(TerritoryList.self, listed).territories == [Territory(name: "east", title: "华东")])
                let anonymous = try await client.execute(uri: "/v1/territories", method: .get)
                #expect(anonymous.status == .unauthorized)
            }
        }
    }

    @Test("a pushed change puts a record only in a territory on the list, by its key; a retry of one accepted before stays a duplicate", arguments: StorageBackend.all)
    func pushedTerritories(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let service = fixture.syncService()
            // An admin's device: no scope stands in the way, only the list.
            var alice = LoyaltyDevice(replica: try await fixture.enroll("alice", role: .admin, territories: []), fixture: fixture)
            // Before the server manages a list, any territory is taken.
            let early = RecordIDs.make()
            let earlyChange = try alice.replica.write("account", early, accountFields(name: "早期客户"))
            alice.outbox.append(earlyChange)
            #expect(try await alice.sync(service).map(\.status) == [.accepted])

            #expect(try await fixture.storage.addTerritory(Territory(name: "north", title: "华北")))
            let before = try await fixture.dump()
            alice.outbox.append(alice.replica.unappliedChange("account", RecordIDs.make(), accountFields(name: "Acme", territory: "nrth")))
            alice.outbox.append(alice.replica.unappliedChange("account", RecordIDs.make(), accountFields(name: "华北客户", territory: "华北")))
            alice.outbox.append(alice.replica.unappliedChange("account", early, [.set("territory", "south")]))
            // The answer to the early push was lost: its retry is a duplicate, though east is
            // not on the list now.
            alice.outbox.append(earlyChange)
            let results = try await alice.sync(service)
            #expect(results.map(\.status) == [.rejected, .rejected, .rejected, .duplicate], "\(results)")
            #expect(results.prefix(3).allSatisfy { $0.code == "unknown_territory" }, "\(results)")
            #expect(results[0].message?.contains("did you mean 'north'?") == true, "\(results[0])")
            #expect(results[1].message?.contains("'north', not '华北'") == true, "\(results[1])")
            #expect(try await fixture.dump() == before, "nothing of the refused changes is stored")

            // Other fields of a record in an unlisted territory stay editable, and the key passes.
            alice.outbox.append(try alice.replica.write("account", early, [.set("city", "苏州")]))
            alice.outbox.append(try alice.replica.write("account", RecordIDs.make(), accountFields(name: "北方客户", territory: "north")))
            #expect(try await alice.sync(service).map(\.status) == [.accepted, .accepted])
        }
    }

    @Test("a bootstrap's first page carries the number of records in scope, later pages do not", arguments: StorageBackend.all)
    func snapshotTotal(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            var writes: [RecordWrite] = []
            for index in 0..<7 {
                writes.append(RecordWrite(entity: "account", id: newRecordID(), fields: [
                    "name": .value(.string("East \(index)")), "territory": .value(.string("east")),
                ]))
            }
            writes.append(RecordWrite(entity: "account", id: newRecordID(), fields: [
                "name": .value(.string("West")), "territory": .value(.string("west")),
            ]))
            _ = try await fixture.syncService().writeAsServer(writes)
            let app = try await fixture.app()
            try await app.test(.router) { client in
                var device = try await fixture.enroll("alice", territories: ["east"])
                let first = try await client.sync(&device, limit: 3)
                #expect(first.snapshot?.total == 7, "the east accounts, not the west one")
                #expect(first.snapshot?.records.count == 3)
                let second = try await client.sync(&device, limit: 3)
                #expect(second.snapshot != nil && second.snapshot?.total == nil)
            }
        }
    }
}
