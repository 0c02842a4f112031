import FieldSyncTestSupport
import CRM
import Foundation
import GRDB
import Logging
import SyncCore
import Testing

@testable import SyncServer

@Suite("Server storage")
struct StorageTests {
    @Test("a failure in the middle of a push rolls back every change of the request")
    func pushIsAtomic() async throws {
        try await withFixture { (fixture) async throws in
            let service = fixture.syncService()
            var alice = try await fixture.enroll("alice")
            let device = try await fixture.device(alice)
            let poisoned = newRecordID()
            // Make the store fail on the second change, after the first was written.
            let queue = try DatabaseQueue(path: fixture.configuration.databasePath)
            try await queue.write { db in
                try db.execute(sql: """
                    CREATE TRIGGER fail_on_poison BEFORE INSERT ON change_log WHEN NEW.record_id = '\(poisoned)'
                    BEGIN SELECT RAISE(ABORT, 'injected failure'); END
                    """)
            }
            let first = try alice.write("account", newRecordID(), accountFields(name: "First"))
            let second = try alice.write("account", poisoned, accountFields(name: "Poisoned"))
            let request = SyncRequest(replica: alice.replica, clientTime: nowMilliseconds(), cursor: 0, changes: [first, second])
            await #expect(throws: DatabaseError.self) {
                _ = try await service.sync(request, from: device)
            }
            #expect(try await fixture.storage.logCount() == 0)
            #expect(try await fixture.storage.records().isEmpty)

            try await queue.write { db in try db.execute(sql: "DROP TRIGGER fail_on_poison") }
            try queue.close()
            let retry = try await service.sync(request, from: device)
            #expect(retry.results.map(\.status) == [.accepted, .accepted])
        }
    }

    @Test("concurrent pushes to one record are serialised: every change lands once, sequences are dense", arguments: StorageBackend.all)
    func concurrentPushes(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let service = fixture.syncService()
            var creator = try await fixture.enroll("creator")
            let account = newRecordID()
            let create = try creator.write("account", account, accountFields(name: "Shared"))
            _ = try await service.sync(SyncRequest(replica: creator.replica, clientTime: 0, cursor: 0, changes: [create]), from: try await fixture.device(creator))
            let created = try #require(creator.record("account", account))

            var batches: [(DeviceAccount, [Change])] = []
            for index in 0..<4 {
                var device = try await fixture.enroll("rep\(index)")
                device.records[TestReplica.key("account", account)] = created
                var changes: [Change] = []
                for step in 0..<10 {
                    changes.append(try device.write("account", account, [.set("notes", "rep \(index) step \(step)"), FieldOperation(field: "loyalty_points", operation: .counter(increments: Int64(step + 1), decrements: 0))]))
                }
                batches.append((try await fixture.device(device), changes))
            }
            let results = try await withThrowingTaskGroup(of: [ChangeResult].self) { group in
                for (device, changes) in batches {
                    group.addTask {
                        var all: [ChangeResult] = []
                        // Several requests per device, interleaving with the others.
                        for chunk in stride(from: 0, to: changes.count, by: 3) {
                            let slice = Array(changes[chunk..<min(chunk + 3, changes.count)])
                            all += try await service.sync(SyncRequest(replica: device.replica, clientTime: 0, cursor: nil, changes: slice, limit: 1), from: device).results
                        }
                        return all
                    }
                }
                var all: [ChangeResult] = []
                for try await results in group { all += results }
                return all
            }
            #expect(results.count == 40)
            #expect(results.allSatisfy { $0.status == .accepted })
            #expect(Set(results.compactMap(\.sequence)) == Set(2...41))
            let record = try #require(try await fixture.storage.record(entity: "account", id: account))
            #expect(record.value(of: "loyalty_points") == .int(4 * 10))
            #expect(record.fields["notes"]?.register?.siblings.count == 4)
            #expect(try await fixture.storage.conflicts(openOnly: true).map(\.key.field) == ["notes"])
        }
    }

    @Test("an acknowledged push is on disk: SQLite syncs its WAL at every commit, PostgreSQL commits synchronously", arguments: StorageBackend.all)
    func commitsAreDurable(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            switch backend {
            case .sqlite:
                // 2 is FULL; GRDB's default for a pool in WAL mode is NORMAL (1).
                let level = try await fixture.storage.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
                #expect(level == 2)
            case .postgres:
                // The test cluster runs with synchronous_commit=off: the server's connections say on.
                let setting = try await fixture.storage.write { db in try String.fetchOne(db, sql: "SHOW synchronous_commit") }
                #expect(setting == "on")
            }
        }
    }

    @Test("the server replica id is created once and survives reopening")
    func serverIdentityPersists() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fieldsync-identity-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("server.sqlite").path
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let first = try SQLiteServerStorage(path: path, logger: logger)
        let replica = try await first.serverReplica()
        try await first.close()
        let second = try SQLiteServerStorage(path: path, logger: logger)
        #expect(try await second.serverReplica() == replica)
        try await second.close()
    }
}

@Suite("Materialised records")
struct MaterializedRecordTests {
    @Test("scope columns: accounts carry territory and their own id, children their account, reference data neither")
    func scopeColumns() throws {
        let writer = ReplicaID()
        func state(_ entity: String, _ fields: [FieldOperation]) throws -> RecordState {
            let id = newRecordID()
            let change = Change(entity: entity, recordID: id, dot: Dot(replica: writer, counter: 1), hlc: HLC(physical: 1), context: VersionVector(), operations: fields)
            return try RecordState(entity: entity, id: id).merging(change).state
        }
        let account = try state("account", [.set("name", "A"), .set("territory", "east")])
        let accountRow = MaterializedRecord(state: account, schema: CRMSchema.schema)
        #expect(accountRow.territory == "east")
        #expect(accountRow.accountID == account.id)
        #expect(!accountRow.isDeleted)

        let contact = try state("contact", [.set("account", account.id), .set("name", "C")])
        let contactRow = MaterializedRecord(state: contact, schema: CRMSchema.schema)
        #expect(contactRow.accountID == account.id)
        #expect(contactRow.territory == nil)

        let product = MaterializedRecord(state: try state("product", [.set("name", "P")]), schema: CRMSchema.schema)
        #expect(product.territory == nil && product.accountID == nil)
    }
}
