import FieldSyncTestSupport
import CRM
import Foundation
import GRDB
import Logging
import SyncCore
import Synchronization
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
                    changes.append(try device.write("account", account, [.set("notes", "rep \(index) step \(step)"), FieldOperation(field: "samples_given", operation: .counter(increments: Int64(step + 1), decrements: 0))]))
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
            #expect(record.value(of: "samples_given") == .int(4 * 10))
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
                let level = try await fixture.storage.write { db in try await Int.fetchOne(db, sql: TestSQL.durabilitySetting) }
                #expect(level == 2)
            case .postgres:
                // The test cluster runs with synchronous_commit=off: the server's connections say on.
                let setting = try await fixture.storage.write { db in try await String.fetchOne(db, sql: TestSQL.durabilitySetting) }
                #expect(setting == "on")
            }
        }
    }

    /// Group commit's savepoints journal every page they change; past 64 KiB SQLite spills that
    /// journal into a temporary file unless temporary storage is in memory (2), on the writer
    /// and on the readers alike (their sorts and materialized subqueries).
    @Test("the SQLite store keeps its savepoint journals and temporary tables in memory")
    func temporaryStorageInMemory() async throws {
        try await withFixture(backend: .sqlite) { (fixture) async throws in
            let writer = try await fixture.storage.write { db in try await Int.fetchOne(db, sql: TestSQL.tempStore) }
            let reader = try await fixture.storage.read { db in try await Int.fetchOne(db, sql: TestSQL.tempStore) }
            #expect(writer == 2 && reader == 2, "temp_store: writer \(String(describing: writer)), reader \(String(describing: reader))")
        }
    }

    @Test("SQLite group commit: writes that wait for the writer share one commit, and each stays atomic — one that fails rolls back alone")
    func groupCommit() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fieldsync-group-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let storage = try SQLiteServerStorage(path: directory.appendingPathComponent("server.sqlite").path, logger: logger)
        struct Refused: Error {}
        // The first write holds the writer until the twenty others wait behind it.
        let gate = DispatchSemaphore(value: 0)
        let holding = Mutex(false)
        let first = Task {
            try await storage.write { db in
                holding.withLock { $0 = true }
                gate.wait()
                try await db.execute(sql: TestSQL.createProbe)
            }
        }
        var polls = 0
        while !holding.withLock({ $0 }) && polls < 2_000 {
            try await Task.sleep(for: .milliseconds(5))
            polls += 1
        }
        let writes = (1...20).map { n in
            Task {
                try await storage.write { db in
                    try await db.execute(sql: TestSQL.insertProbe, arguments: [n])
                    if n == 7 { throw Refused() }
                }
            }
        }
        polls = 0
        repeat {
            try await Task.sleep(for: .milliseconds(5))
            polls += 1
        } while storage.groupCommit.counts.waiting < 20 && polls < 2_000
        #expect(storage.groupCommit.counts.waiting == 20, "the writes queue behind the busy writer")
        gate.signal()
        try await first.value
        var refused = 0
        for write in writes {
            do { try await write.value } catch is Refused { refused += 1 }
        }
        #expect(refused == 1)
        let numbers = try await storage.read { db in try await Int.fetchAll(db, sql: TestSQL.probeNumbers) }
        #expect(numbers == Array(1...20).filter { $0 != 7 })
        let counts = storage.groupCommit.counts
        #expect(counts.transactions == 2, "one commit for the first write, one for the twenty that waited")
        #expect(counts.writes == 21)
        try await storage.close()
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
