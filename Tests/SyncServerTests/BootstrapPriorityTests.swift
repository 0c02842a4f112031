import CRM
import FieldSyncTestSupport
import Foundation
import GRDB
import Hummingbird
import Logging
import HummingbirdTesting
import SyncClient
import SyncCore
import SyncStore
import Synchronization
import Testing

@testable import SyncServer

/// A bootstrap sends first the accounts a rep acts on today, stays exact, resumes, and lets the
/// rep work while the rest arrives.
@Suite("Bootstrap in priority order")
struct BootstrapPriorityTests {
    /// Runs `body` with a router-backed fixture (rate limiting off).
    static func withRouter(backend: StorageBackend = .sqlite, _ body: @escaping @Sendable (ServerFixture, any TestClientProtocol) async throws -> Void) async throws {
        try await withFixture(backend: backend, configure: { $0.rateLimitPerSecond = 0 }) { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in try await body(fixture, client) }
        }
    }

    struct Territory {
        /// Accounts in the order made; `priority` are the ones due today, earliest first.
        var accounts: [RecordID] = []
        var priority: [RecordID] = []
        /// Each account's records (the account itself, a contact, an opportunity, an activity).
        var records: [RecordID: [String]] = [:]

        /// The id of `account`'s record of `entity`.
        func id(of entity: String, at account: RecordID) throws -> RecordID {
            let key = try #require(records[account]?.first { $0.hasPrefix("\(entity)/") })
            return String(key.dropFirst(entity.count + 1))
        }
    }

    static func day(_ offset: Int) -> String {
        SyncClient.localDay(nowMilliseconds() + Int64(offset) * 86_400_000)
    }

    /// Twelve accounts in `east`, each with a contact, an opportunity and an activity. Priority:
    /// account 0 (follow-up overdue), 1 (due today), 3 (a visit today). Not: 2 (due, but done),
    /// the others (follow-up in the future). One `west` account with a follow-up due.
    static func seed(_ fixture: ServerFixture) async throws -> Territory {
        var territory = Territory()
        var writes: [RecordWrite] = []
        func add(territory name: String, _ activity: [String: RecordWrite.FieldValue]) -> RecordID {
            let account = newRecordID(), contact = newRecordID(), opportunity = newRecordID(), visit = newRecordID()
            writes += [
                RecordWrite(entity: "account", id: account, fields: ["name": .value(.string("Acct \(writes.count)")), "territory": .value(.string(name))]),
                RecordWrite(entity: "contact", id: contact, fields: ["account": .value(.string(account)), "name": .value(.string("Li"))]),
                RecordWrite(entity: "opportunity", id: opportunity, fields: [
                    "account": .value(.string(account)), "title": .value(.string("Tea")), "stage": .value(.string("proposal")),
                ]),
                RecordWrite(entity: "activity", id: visit, fields: activity.merging([
                    "account": .value(.string(account)), "type": .value(.string("visit")),
                ]) { mine, _ in mine }),
            ]
            territory.records[account] = ["account/\(account)", "contact/\(contact)", "opportunity/\(opportunity)", "activity/\(visit)"]
            return account
        }
        let past = "\(day(-30))T09:00:00Z"
        for index in 0..<12 {
            let activity: [String: RecordWrite.FieldValue]
            switch index {
            case 0: activity = ["at": .value(.string(past)), "next_follow_up": .value(.string(day(-2)))]
            case 1: activity = ["at": .value(.string(past)), "next_follow_up": .value(.string(day(0)))]
            case 2: activity = ["at": .value(.string(past)), "next_follow_up": .value(.string(day(-1))), "follow_up_done": .value(.bool(true))]
            case 3: activity = ["at": .value(.string("\(day(0))T10:00:00Z"))]
            default: activity = ["at": .value(.string(past)), "next_follow_up": .value(.string(day(5)))]
            }
            territory.accounts.append(add(territory: "east", activity))
        }
        _ = add(territory: "west", ["at": .value(.string(past)), "next_follow_up": .value(.string(day(-1)))])
        territory.priority = [territory.accounts[0], territory.accounts[1], territory.accounts[3]]
        _ = try await fixture.syncService().writeAsServer(writes)
        return territory
    }

    /// The records a device received in snapshot pages, in order.
    static func snapshotKeys(_ responses: [SyncResponse]) -> [String] {
        responses.flatMap { $0.snapshot?.records ?? [] }.map { TestReplica.key($0.entity, $0.id) }
    }

    static func expectEqualToServer(_ device: TestDevice, _ fixture: ServerFixture, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let serverStates = try await fixture.states()
        let expected = serverStates.filter { ScopeWorld.key(of: $0.value, in: serverStates) == .territory("east") }
        let held = try device.states()
        #expect(held == expected, "device: \(held.count) records, server in scope: \(expected.count)", sourceLocation: sourceLocation)
    }

    @Test("the first pages hold the accounts with follow-ups due or visits today with their records; the device ends equal to the server", arguments: StorageBackend.all)
    func priorityFirst(backend: StorageBackend) async throws {
        try await Self.withRouter(backend: backend) { fixture, client in
            let territory = try await Self.seed(fixture)
            let device = try await TestDevice.enroll(fixture, client, user: "alice", pageLimit: 5)
            try await device.sync()

            let first = try #require(device.transport.responses.first?.snapshot?.next)
            #expect(first.phase == .priority)
            #expect(first.priority?.first == territory.priority[0], "earliest due first")
            #expect(Set(first.priority ?? []) == Set(territory.priority), "done follow-ups and other territories left out")
            let keys = Self.snapshotKeys(device.transport.responses)
            let priorityKeys = Set(territory.priority.flatMap { territory.records[$0] ?? [] })
            #expect(priorityKeys.count == 12)
            #expect(Set(keys.prefix(priorityKeys.count)) == priorityKeys, "the priority records come first")
            #expect(keys.count == Set(keys).count, "no record is sent twice")
            #expect(keys.count == 48, "every east record once")
            try await Self.expectEqualToServer(device, fixture)
        }
    }

    @Test("today's visit plans make their accounts priority accounts; plans of other days do not", arguments: StorageBackend.all)
    func todaysPlanFirst(backend: StorageBackend) async throws {
        try await Self.withRouter(backend: backend) { fixture, client in
            let territory = try await Self.seed(fixture)
            // Account 4 has only a future follow-up, but a visit planned today; account 5 one tomorrow.
            let today = newRecordID(), tomorrow = newRecordID()
            _ = try await fixture.syncService().writeAsServer([
                RecordWrite(entity: "visit_plan", id: today, fields: [
                    "account": .value(.string(territory.accounts[4])), "planned_on": .value(.string(Self.day(0))), "owner": .value(.string("alice")),
                ]),
                RecordWrite(entity: "visit_plan", id: tomorrow, fields: [
                    "account": .value(.string(territory.accounts[5])), "planned_on": .value(.string(Self.day(1))), "owner": .value(.string("alice")),
                ]),
            ])
            let device = try await TestDevice.enroll(fixture, client, user: "alice", pageLimit: 5)
            try await device.sync()

            let first = try #require(device.transport.responses.first?.snapshot?.next)
            #expect(Set(first.priority ?? []) == Set(territory.priority + [territory.accounts[4]]))
            let keys = Self.snapshotKeys(device.transport.responses)
            let planned = (territory.records[territory.accounts[4]] ?? []) + ["visit_plan/\(today)"]
            let priorityCount = territory.priority.count * 4 + planned.count
            #expect(Set(keys.prefix(priorityCount)).isSuperset(of: planned), "today's plan and its account's records come in the priority pages")
            #expect(!keys.prefix(priorityCount).contains("visit_plan/\(tomorrow)"))
            #expect(keys.count == 50 && Set(keys).count == 50)
            try await Self.expectEqualToServer(device, fixture)
        }
    }

    @Test("the priority accounts follow the rep's edits: a follow-up marked done or deleted leaves, one moved to today joins", arguments: StorageBackend.all)
    func priorityFollowsEdits(backend: StorageBackend) async throws {
        try await Self.withRouter(backend: backend) { fixture, client in
            let territory = try await Self.seed(fixture)
            let rep = try await TestDevice.enroll(fixture, client, user: "alice", pageLimit: 100)
            try await rep.sync()
            func activity(_ index: Int) throws -> RecordID { try territory.id(of: "activity", at: territory.accounts[index]) }
            try rep.store.apply(.update("activity", id: try activity(1), [.set("follow_up_done", .bool(true))]))
            try rep.store.apply(.delete("activity", id: try activity(3)))
            try rep.store.apply(.update("activity", id: try activity(5), [.set("next_follow_up", .string(Self.day(0)))]))
            try await rep.sync()
            #expect(try rep.store.pendingChanges().isEmpty)

            let second = try await TestDevice.enroll(fixture, client, user: "alice", pageLimit: 5)
            try await second.sync()
            let first = try #require(second.transport.responses.first?.snapshot?.next)
            #expect(first.priority == [territory.accounts[0], territory.accounts[5]], "account 0 (due two days ago), then 5 (due today)")
            try await Self.expectEqualToServer(second, fixture)
        }
    }

    @Test("the first page's total is the number of records the walk sends, whatever their kind", arguments: StorageBackend.all)
    func totalIsWhatArrives(backend: StorageBackend) async throws {
        try await Self.withRouter(backend: backend) { fixture, client in
            let territory = try await Self.seed(fixture)
            let unplaced = newRecordID(), gone = newRecordID()
            _ = try await fixture.syncService().writeAsServer([
                // Reference data everyone sees; a lead in each territory.
                RecordWrite(entity: "product", id: newRecordID(), fields: [
                    "sku": .value(.string("P-1")), "name": .value(.string("Sensor")), "unit_price": .value(.string("9.5")),
                ]),
                RecordWrite(entity: "lead", id: newRecordID(), fields: [
                    "name": .value(.string("Wu")), "company": .value(.string("East Lead")), "status": .value(.string("new")), "territory": .value(.string("east")),
                ]),
                RecordWrite(entity: "lead", id: newRecordID(), fields: [
                    "name": .value(.string("Xu")), "company": .value(.string("West Lead")), "status": .value(.string("new")), "territory": .value(.string("west")),
                ]),
                // A contact of an account that does not exist, an account without a territory with
                // a contact, and a contact of an east account.
                RecordWrite(entity: "contact", id: newRecordID(), fields: ["account": .value(.string(newRecordID())), "name": .value(.string("Orphan"))]),
                RecordWrite(entity: "account", id: unplaced, fields: ["name": .value(.string("Nowhere"))]),
                RecordWrite(entity: "contact", id: newRecordID(), fields: ["account": .value(.string(unplaced)), "name": .value(.string("Lost"))]),
                RecordWrite(entity: "contact", id: gone, fields: ["account": .value(.string(territory.accounts[2])), "name": .value(.string("Gone"))]),
            ])
            // Deleted on a device: its tombstone is a record of the scope too.
            let rep = try await TestDevice.enroll(fixture, client, user: "alice", pageLimit: 100)
            try await rep.sync()
            try rep.store.apply(.delete("contact", id: gone))
            try await rep.sync()

            for (user, role) in [("bob", Role.rep), ("root", Role.admin)] {
                let device = try await TestDevice.enroll(fixture, client, user: user, role: role, pageLimit: 7)
                try await device.sync()
                let keys = Self.snapshotKeys(device.transport.responses)
                let total = try #require(device.transport.responses.first?.snapshot?.total)
                #expect(total == keys.count && Set(keys).count == keys.count, "\(user): total \(total), received \(keys.count)")
                let expected = role == .admin ? try await fixture.states().count : 48 + 3
                #expect(keys.count == expected, "\(user): east's 48 seeded records, the product, the east lead and the deleted contact of an east account")
            }
        }
    }

    @Test("a store made before the priority columns gets them filled when it opens, and chooses the same accounts")
    func priorityColumnsBackfilled() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fieldsync-priority-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("server.sqlite").path
        let due = newRecordID(), planned = newRecordID(), later = newRecordID()
        do {
            let queue = try DatabaseQueue(path: path)
            try SQLiteServerStorage.migrator.migrate(queue, upTo: "v9-territories")
            let replica = ReplicaID()
            var counter: UInt64 = 0
            func state(_ entity: String, _ id: RecordID, _ fields: [String: Value]) throws -> RecordState {
                counter += 1
                return try RecordState(entity: entity, id: id).merging(Change(
                    entity: entity, recordID: id, dot: Dot(replica: replica, counter: counter), hlc: HLC(physical: Int64(counter)), context: VersionVector(),
                    operations: fields.sorted { $0.key < $1.key }.map { FieldOperation(field: $0.key, operation: .assign($0.value)) }
                )).state
            }
            var rows: [(RecordState, String?, RecordID)] = []
            for (account, name) in [(due, "Due"), (planned, "Planned"), (later, "Later")] {
                rows.append((try state("account", account, ["name": .string(name), "territory": .string("east")]), "east", account))
            }
            rows.append((try state("activity", newRecordID(), ["account": .string(due), "type": .string("call"), "next_follow_up": .string(Self.day(-1))]), nil, due))
            rows.append((try state("visit_plan", newRecordID(), ["account": .string(planned), "planned_on": .string(Self.day(0)), "owner": .string("alice")]), nil, planned))
            rows.append((try state("activity", newRecordID(), ["account": .string(later), "type": .string("call"), "next_follow_up": .string(Self.day(3))]), nil, later))
            try await queue.write { [rows] db in
                for (record, territory, account) in rows {
                    try db.execute(
                        sql: "INSERT INTO records (entity, id, state, territory, account_id, deleted, updated_seq) VALUES (?, ?, ?, ?, ?, 0, 1)",
                        arguments: [record.entity, record.id, try ServerJSON.encodeString(record), territory, account]
                    )
                }
            }
            try queue.close()
        }
        var logger = Logger(label: "priority-migration-test")
        logger.logLevel = .critical
        let storage = try SQLiteServerStorage(path: path, schema: CRMSchema.schema, logger: logger)
        let page = try await storage.snapshotPage(SnapshotPosition(day: Self.day(0)), limit: 100, maxBytes: 1 << 20, scope: .territories(["east"]))
        #expect(page.next?.priority == nil && page.records.count == 6, "one page holds the six records")
        let first = try await storage.snapshotPage(SnapshotPosition(day: Self.day(0)), limit: 1, maxBytes: 1 << 20, scope: .territories(["east"]))
        #expect(first.next?.priority == [due, planned], "the overdue follow-up first, then today's plan; not the later follow-up")
        try await storage.close()
    }

    @Test("an interrupted bootstrap resumes where it stopped; the rep lists and edits what arrived, and the edit survives the later pages", arguments: StorageBackend.all)
    func interruptedBootstrapWithEdit(backend: StorageBackend) async throws {
        try await Self.withRouter(backend: backend) { fixture, client in
            let territory = try await Self.seed(fixture)
            let device = try await TestDevice.enroll(fixture, client, user: "alice", pageLimit: 5)
            await #expect(throws: (any Error).self) { try await device.sync(failingAfter: 2) }
            #expect(try device.store.bootstrapCursor() != nil, "the bootstrap is under way")
            #expect(try device.store.cursor() == nil)
            // Usable meanwhile: the priority accounts are there to list and edit.
            let listed = Set(try device.store.records("account").map(\.id))
            #expect(listed.isSuperset(of: territory.priority))
            let edited = territory.priority[0]
            try device.store.apply(.update("account", id: edited, [.set("phone", .string("021-5555-0100"))]))
            let received = Self.snapshotKeys(device.transport.responses)
            #expect(received.count == 10)
            let interrupted = try #require(try device.store.bootstrapProgress())
            #expect(interrupted.received == 10 && interrupted.total == 48, "\(interrupted)")

            // The resumed sync's progress counts on from the 10 records, of the 48 the first
            // page announced.
            let reports = Mutex<[SyncProgress]>([])
            try await device.sync { report in reports.withLock { $0.append(report) } }
            let progress = reports.withLock { $0 }
            #expect(progress.first.map { $0.snapshotRecords >= 10 && $0.snapshotTotal == 48 } == true, "\(progress.prefix(2))")
            #expect(progress.filter(\.bootstrapping).allSatisfy { $0.snapshotTotal == 48 && $0.snapshotRecords > 10 })
            #expect(try device.store.bootstrapProgress() == nil)
            let all = Self.snapshotKeys(device.transport.responses)
            var counts: [String: Int] = [:]
            for key in all { counts[key, default: 0] += 1 }
            let twice = Set(counts.filter { $0.value > 1 }.keys)
            // Only the record written during the bootstrap (the edit) may come again: it has a log
            // entry after the high-water mark, and a state sent twice merges as a duplicate.
            #expect(twice.isSubset(of: ["account/\(edited)"]), "\(twice)")
            #expect(Set(all).count == 48, "nothing missing")
            #expect(try device.store.record("account", id: edited)?.value("phone") == .string("021-5555-0100"))
            #expect(try await fixture.storage.record(entity: "account", id: edited)?.value(of: "phone") == .string("021-5555-0100"))
            #expect(try device.store.pendingChanges().isEmpty)
            try await Self.expectEqualToServer(device, fixture)
        }
    }

    @Test("a record that joins a priority account after the priority phase passed still arrives", arguments: StorageBackend.all)
    func recordJoiningThePrioritySetArrives(backend: StorageBackend) async throws {
        try await Self.withRouter(backend: backend) { fixture, client in
            let territory = try await Self.seed(fixture)
            let device = try await TestDevice.enroll(fixture, client, user: "alice", pageLimit: 20)
            // First page: the 12 priority records and 8 of the rest (accounts come first).
            await #expect(throws: (any Error).self) { try await device.sync(failingAfter: 1) }
            #expect(try device.store.bootstrapCursor()?.phase == .rest)
            // An admin re-parents the last contact of a later account to a priority account.
            let contact = try territory.id(of: "contact", at: territory.accounts[11])
            _ = try await fixture.syncService().writeAsServer([
                RecordWrite(entity: "contact", id: contact, fields: ["account": .value(.string(territory.priority[0]))])
            ])
            try await device.sync()
            #expect(try device.store.record("contact", id: contact)?.value("account") == .string(territory.priority[0]))
            try await Self.expectEqualToServer(device, fixture)
        }
    }

    @Test("a bootstrap cursor from before phases (no phase, no priority) still walks to the end", arguments: StorageBackend.all)
    func legacyCursor(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { fixture in
            _ = try await Self.seed(fixture)
            var replica = try await fixture.enroll("alice")
            let service = fixture.syncService()
            var seen: [String] = []
            let start = try await service.sync(replica.request(limit: 7), from: try await fixture.device(replica))
            try replica.apply(start)
            // What an older device would send back: the high-water mark and no phase.
            replica.bootstrap = BootstrapCursor(highWater: try #require(start.snapshot?.highWater))
            while replica.cursor == nil {
                let response = try await service.sync(replica.request(limit: 7), from: try await fixture.device(replica))
                #expect(!response.resync)
                seen += Self.snapshotKeys([response])
                try replica.apply(response)
            }
            #expect(seen.count == 48 && Set(seen).count == 48)
        }
    }
}
