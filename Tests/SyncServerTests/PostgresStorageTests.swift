import FieldSyncTestSupport
import Foundation
import Logging
import Synchronization
import SyncCore
import Testing

@testable import SyncServer

/// What only the PostgreSQL backend has: the URL, and several stores
/// (as several servers) writing to one database while devices read the log.
@Suite("PostgreSQL storage")
struct PostgresStorageTests {
    /// The statements a push sends per change on PostgreSQL, each one round trip: the
    /// difference between a push of 2n and one of n changes of a shape, over n. Printed for
    /// SyncServer/README.md ("PostgreSQL", round trips per change); the budgets are today's
    /// counts (none: every per-change statement runs once per push, see `PushBatch`; before it,
    /// 8 to 12), so a statement added to the push path shows here.
    @Test("a push's round trips per change on PostgreSQL, counted by the store: the same for every change of a shape, within its budget", .enabled(if: PostgresTestCluster.shouldRun))
    func roundTripsPerChange() async throws {
        try await withPushCounter { counter in
            for shape in counter.shapes {
                let n = 10
                let once = try await counter.statements(shape, count: n)
                let twice = try await counter.statements(shape, count: 2 * n)
                let perChange = Double(twice - once) / Double(n)
                print("round trips per change (\(shape.name)): \(perChange); a push of \(n): \(once), of \(2 * n): \(twice)")
                #expect((twice - once) % n == 0, "\(shape.name): every change of the shape costs the same")
                #expect(perChange <= Double(shape.budget), "\(shape.name): \(perChange) round trips per change")
            }
        }
    }

    /// Batching per push: every per-change statement of these shapes (admission, merge locks,
    /// log entries and records, reference rows, the conflict log's lookups) runs once per push,
    /// so a push of 50 changes sends no more statements than a push of one, give or take
    /// `slack`. A statement run once per change fails it by 49.
    @Test("a push's statements on PostgreSQL do not grow with its changes: 50 changes of a shape cost at most 2 statements more than 1", .enabled(if: PostgresTestCluster.shouldRun))
    func statementsPerPushDoNotGrow() async throws {
        let slack = 2
        try await withPushCounter { counter in
            for shape in counter.shapes {
                let one = try await counter.statements(shape, count: 1)
                let fifty = try await counter.statements(shape, count: 50)
                print("statements per push (\(shape.name)): 1 change: \(one), 50 changes: \(fifty)")
                #expect(fifty - one <= slack, "\(shape.name): a push of 50 runs \(fifty) statements, a push of 1 \(one)")
            }
        }
    }

    /// What `PushBatch` answers from memory and writes late (admissions, record rows, duplicate
    /// keys, reference rows, open entries) must be what one statement at a time reads: one push
    /// whose changes open, close and refresh entries among themselves, merge into a record twice
    /// and repeat a dot leaves the same results, records and conflict log on PostgreSQL
    /// (batched) as on SQLite (no batch).
    @Test("one push whose changes open and close conflict-log entries among themselves ends the same on PostgreSQL, batched, as on SQLite", .enabled(if: PostgresTestCluster.shouldRun))
    func batchedPushMatchesSQLite() async throws {
        let (twin, other, contact, edited, orphan, unknown, third) = (newRecordID(), newRecordID(), newRecordID(), newRecordID(), newRecordID(), newRecordID(), newRecordID())
        func outcome(_ backend: StorageBackend) async throws -> (statuses: [ChangeResult.Status], records: [String], conflicts: [String]) {
            try await withFixture(backend: backend) { (fixture) async throws in
                var alice = try await fixture.enroll("alice")
                let device = try await fixture.device(alice)
                let newContact = try alice.write("contact", contact, [.set("account", twin), .set("name", "Li Wei")])
                let changes = [
                    try alice.write("account", twin, accountFields(name: "Harbour Trading") + [.set("phone", "13812345678")]),
                    try alice.write("account", other, accountFields(name: "Other Co") + [.set("phone", "138 1234 5678")]),
                    newContact,
                    try alice.write("contact", edited, [.set("account", other), .set("name", "Chen Jie")]),
                    try alice.write("contact", edited, [.set("name", "Chen Jie 2")]),
                    try alice.write("contact", orphan, [.set("account", unknown), .set("name", "Wang Fang")]),
                    try alice.write("account", twin, [.delete]),
                    newContact,
                    try alice.write("account", third, accountFields(name: "Third Co") + [.set("phone", "+86 138-1234-5678")]),
                    try alice.write("account", other, [.set("phone", "13900000000")]),
                ]
                let response = try await fixture.syncService().sync(
                    SyncRequest(replica: alice.replica, clientTime: nowMilliseconds(), cursor: 0, changes: changes), from: device
                )
                let records = try await fixture.storage.records().map { state in
                    "\(state.entity) \(state.id) deleted \(state.isDeleted(policy: .updateWins)) \(state.value(of: "name")) \(state.value(of: "phone"))"
                }
                let conflicts = try await fixture.storage.conflicts(openOnly: false).map { entry in
                    "\(entry.key.kind) \(entry.key.entity) \(entry.key.recordID) \(entry.key.field) -> \(String(describing: entry.related)) \(entry.status) by \(entry.openedBy ?? "-"): \(entry.reason ?? "")"
                }
                return (response.results.map(\.status), records.sorted(), conflicts.sorted())
            }
        }
        let sqlite = try await outcome(.sqlite)
        let postgres = try await outcome(.postgres)
        #expect(sqlite.statuses.contains(.duplicate) && sqlite.statuses.filter { $0 == .accepted }.count >= 8, "\(sqlite.statuses)")
        #expect(sqlite.conflicts.contains { $0.hasPrefix("probableDuplicate") } && sqlite.conflicts.contains { $0.hasPrefix("orphanReference") }, "\(sqlite.conflicts)")
        #expect(postgres.statuses == sqlite.statuses)
        #expect(postgres.records == sqlite.records)
        #expect(postgres.conflicts == sqlite.conflicts)
    }

    /// A server write (an import, an admin's record edit) runs in a batch on PostgreSQL too
    /// (`storeServerWrites`): one write whose records refer to each other, repeat a record,
    /// share a duplicate key, name a missing account, change a stored record and leave one
    /// unchanged ends with the same summary, records and conflict log as on SQLite.
    @Test("one server write whose records refer to each other, repeat a record and share a duplicate key ends the same on PostgreSQL, batched, as on SQLite", .enabled(if: PostgresTestCluster.shouldRun))
    func batchedServerWriteMatchesSQLite() async throws {
        let (stored, same, twin, other, contact, orphan, unknown) = (newRecordID(), newRecordID(), newRecordID(), newRecordID(), newRecordID(), newRecordID(), newRecordID())
        func text(_ value: String) -> RecordWrite.FieldValue { .value(.string(value)) }
        func outcome(_ backend: StorageBackend) async throws -> (written: Int, unchanged: Int, records: [String], conflicts: [String]) {
            try await withFixture(backend: backend) { (fixture) async throws in
                let service = fixture.syncService()
                _ = try await service.writeAsServer([
                    RecordWrite(entity: "account", id: stored, fields: ["name": text("Stored Co"), "territory": text("east"), "phone": text("021-5555-0100")]),
                    RecordWrite(entity: "account", id: same, fields: ["name": text("Same Co"), "territory": text("east")]),
                ])
                let summary = try await service.writeAsServer([
                    RecordWrite(entity: "account", id: twin, fields: ["name": text("Harbour Trading"), "territory": text("east"), "phone": text("13812345678")]),
                    RecordWrite(entity: "contact", id: contact, fields: ["account": text(twin), "name": text("Li Wei")]),
                    RecordWrite(entity: "account", id: other, fields: ["name": text("Other Co"), "territory": text("east"), "phone": text("138 1234 5678")]),
                    RecordWrite(entity: "contact", id: orphan, fields: ["account": text(unknown), "name": text("Wang Fang")]),
                    RecordWrite(entity: "account", id: stored, fields: ["phone": text("+86 138-1234-5678")]),
                    RecordWrite(entity: "account", id: twin, fields: ["name": text("Harbour Trading Ltd")]),
                    RecordWrite(entity: "contact", id: contact, fields: ["account": text(other)]),
                    RecordWrite(entity: "account", id: same, fields: ["name": text("Same Co")]),
                ])
                #expect(summary.sequences == summary.sequences.sorted() && Set(summary.sequences).count == summary.sequences.count)
                // A write that fails names its place, and nothing of its batch stays.
                var refusal = "accepted"
                do {
                    _ = try await service.writeAsServer([
                        RecordWrite(entity: "account", id: newRecordID(), fields: ["name": text("Never Co"), "territory": text("east")]),
                        RecordWrite(entity: "account", id: stored, fields: ["no_such_field": text("x")]),
                    ])
                } catch {
                    refusal = "\(error)"
                }
                #expect(refusal.contains("record 2 (account/\(stored))"), "\(refusal)")
                let records = try await fixture.storage.records().map { state in
                    "\(state.entity) \(state.id) \(state.value(of: "name")) \(state.value(of: "phone")) \(state.value(of: "account"))"
                }
                let conflicts = try await fixture.storage.conflicts(openOnly: false).map { entry in
                    "\(entry.key.kind) \(entry.key.entity) \(entry.key.recordID) \(entry.key.field) -> \(String(describing: entry.related)) \(entry.status) by \(entry.openedBy ?? "-"): \(entry.reason ?? "")"
                }
                return (summary.written, summary.unchanged, records.sorted(), conflicts.sorted())
            }
        }
        let sqlite = try await outcome(.sqlite)
        let postgres = try await outcome(.postgres)
        #expect(sqlite.written == 7 && sqlite.unchanged == 1, "\(sqlite)")
        #expect(sqlite.conflicts.contains { $0.hasPrefix("probableDuplicate") } && sqlite.conflicts.contains { $0.hasPrefix("orphanReference") }, "\(sqlite.conflicts)")
        #expect(!(sqlite.records + postgres.records).contains { $0.contains("Never Co") }, "a refused write leaves nothing")
        #expect(postgres.written == sqlite.written && postgres.unchanged == sqlite.unchanged)
        #expect(postgres.records == sqlite.records)
        #expect(postgres.conflicts == sqlite.conflicts)
    }

    /// A server write's statements on PostgreSQL do not grow with its records either: writing
    /// 50 accounts, each with a contact of it, sends at most `slack` statements more than
    /// writing one (one statement per record would send 98 more). Printed for
    /// SyncServer/README.md ("Statements per push, not per change").
    @Test("a server write's statements on PostgreSQL do not grow with its records: 50 accounts and contacts cost at most 2 statements more than 1", .enabled(if: PostgresTestCluster.shouldRun))
    func serverWriteStatementsDoNotGrow() async throws {
        let slack = 2
        try await withFixture(backend: .postgres) { (fixture) async throws in
            let postgres = try #require(fixture.storage.base as? PostgresServerStorage)
            func statements(accounts count: Int) async throws -> Int {
                let writes = (0..<count).flatMap { n -> [RecordWrite] in
                    let account = newRecordID()
                    return [
                        RecordWrite(entity: "account", id: account, fields: ["name": .value(.string("Account \(count)-\(n)")), "territory": .value(.string("east"))]),
                        RecordWrite(entity: "contact", id: newRecordID(), fields: ["account": .value(.string(account)), "name": .value(.string("Contact \(count)-\(n)"))]),
                    ]
                }
                let before = postgres.statementsSent
                let summary = try await fixture.syncService().writeAsServer(writes)
                #expect(summary.written == writes.count)
                return postgres.statementsSent - before
            }
            let one = try await statements(accounts: 1)
            let fifty = try await statements(accounts: 50)
            print("statements per server write: 1 account and its contact: \(one), 50 of each: \(fifty)")
            #expect(fifty - one <= slack, "a server write of 100 records runs \(fifty) statements, one of 2 \(one)")
        }
    }

    /// The statements every push runs are prepared once per connection and reused
    /// (`PostgresPreparedStatements`): on a store of one connection, after pushes, the
    /// connection's prepared statements are exactly those, each prepared once.
    @Test("the statements every push runs are prepared on the connection once and reused", .enabled(if: PostgresTestCluster.shouldRun))
    func pushStatementsArePrepared() async throws {
        let database = try await PostgresTestCluster.shared().createDatabase()
        defer { database.drop() }
        let storage = try await PostgresServerStorage(url: database.url, maximumConnections: 1, logger: Self.logger)
        var replica = TestReplica(replica: ReplicaID(), token: "")
        let author = ChangeAuthor(user: "alice", device: replica.replica.rawValue, receivedAt: nowMilliseconds())
        // Each round a new customer (exclusive locks, its keys' holders) and a contact of the
        // first one (a shared lock once that customer was pushed before).
        let first = newRecordID()
        for round in 0..<3 {
            let changes = [
                try replica.write("account", round == 0 ? first : newRecordID(), accountFields(name: "Customer \(round)") + [.set("phone", "1380000000\(round)")]),
                try replica.write("contact", newRecordID(), [.set("account", first), .set("name", "Contact \(round)")]),
            ]
            let results = try await storage.applyChanges(changes, author: author, scope: .everything)
            #expect(results.map(\.status) == [.accepted, .accepted])
        }
        let prepared = try await storage.read { db in
            try await String.fetchAll(db, sql: PreparedStatementsSQL.names)
        }
        try await storage.close()
        #expect(prepared == ["fieldsync.Admissions", "fieldsync.ExclusiveMergeLocks", "fieldsync.KeyHolders", "fieldsync.LogLock", "fieldsync.RecordFacts", "fieldsync.SharedMergeLocks", "fieldsync.Write"])
    }

    /// Runs `body` with a device enrolled on a PostgreSQL fixture that pushes batches of one
    /// shape and counts the statements each push sends.
    /// The server reads no snapshot page ahead here: this device's stale account is answered
    /// with snapshot pages, and the reads started after them would land in the next push's count.
    private func withPushCounter(_ body: (PushCounter) async throws -> Void) async throws {
        try await withFixture(backend: .postgres, configure: { $0.maxReadAheadPages = 0 }) { (fixture) async throws in
            let alice = try await fixture.enroll("alice")
            let counter = PushCounter(
                service: fixture.syncService(), device: try await fixture.device(alice), replica: alice,
                postgres: try #require(fixture.storage.base as? PostgresServerStorage)
            )
            try await counter.start()
            try await body(counter)
        }
    }

    /// Pushes batches of changes of one shape and counts the statements each sends.
    private final class PushCounter {
        /// A kind of change: its budget of round trips per change, and how to make its `n`th
        /// change.
        struct Shape {
            var name: String
            var budget: Int
            var make: (PushCounter, Int) throws -> Change
        }

        let service: SyncService<TestStore>
        let device: DeviceAccount
        let postgres: PostgresServerStorage
        var replica: TestReplica
        var cursor: LogSequence? = 0
        let account = newRecordID()
        var accounts: [RecordID] = []
        var contacts: [RecordID] = []
        /// How many changes of each shape have been made.
        var made: [String: Int] = [:]

        init(service: SyncService<TestStore>, device: DeviceAccount, replica: TestReplica, postgres: PostgresServerStorage) {
            self.service = service
            self.device = device
            self.replica = replica
            self.postgres = postgres
        }

        /// Each shape: new accounts (no references; a customer's duplicate key, name and city),
        /// renames of those (the key changes), new customers with a phone too (two keys), new
        /// contacts of an account (a reference, a scope read through the account), edits of
        /// those contacts. Edits edit what the shape before them created, in order.
        let shapes: [Shape] = [
            Shape(name: "new account", budget: 0) { counter, n in
                let id = newRecordID()
                counter.accounts.append(id)
                return try counter.replica.write("account", id, accountFields(name: "Customer \(n)"))
            },
            Shape(name: "account edit", budget: 0) { counter, n in
                try counter.replica.write("account", counter.accounts[n], [.set("name", "Renamed customer \(n)")])
            },
            Shape(name: "new account with a phone", budget: 0) { counter, n in
                try counter.replica.write("account", newRecordID(), accountFields(name: "Phoned \(n)") + [.set("phone", "+1 555 01\(10_000 + n)")])
            },
            Shape(name: "new contact", budget: 0) { counter, n in
                let id = newRecordID()
                counter.contacts.append(id)
                return try counter.replica.write("contact", id, [.set("account", counter.account), .set("name", "Contact \(n)")])
            },
            Shape(name: "contact edit", budget: 0) { counter, n in
                try counter.replica.write("contact", counter.contacts[n], [.set("name", "Renamed \(n)")])
            },
        ]

        /// Creates the account the contacts hang off.
        func start() async throws {
            _ = try await push([try replica.write("account", account, accountFields(name: "Acme Foods"))])
        }

        /// The statements a push of `count` more changes of `shape` sends.
        func statements(_ shape: Shape, count: Int) async throws -> Int {
            let first = made[shape.name, default: 0]
            var changes: [Change] = []
            for index in first..<(first + count) { changes.append(try shape.make(self, index)) }
            made[shape.name] = first + count
            return try await push(changes)
        }

        private func push(_ changes: [Change]) async throws -> Int {
            let before = postgres.statementsSent
            let response = try await service.sync(
                SyncRequest(replica: replica.replica, clientTime: nowMilliseconds(), cursor: cursor, changes: changes), from: device
            )
            #expect(response.results.map(\.status) == Array(repeating: .accepted, count: changes.count))
            cursor = response.cursor ?? cursor
            return postgres.statementsSent - before
        }
    }

    @Test("PostgreSQL statements suspend their task: no blocking wait on a future, no thread pool to run bodies on")
    func noBlockingWaits() throws {
        let sources = try InputHardeningTests.serverSources()
        #expect(sources.contains { $0.name == "PostgresServerStorage.swift" })
        for (name, text) in sources {
            #expect(!text.contains(".wait()"), "\(name) blocks a thread on a future")
            #expect(!text.contains("NIOThreadPool"), "\(name) runs work on a thread pool")
        }
    }

    @Test("connection URLs: TCP with user, password, port and database; unix sockets; bad URLs refused")
    func connectionURLs() throws {
        let tcp = try PostgresURL.configuration(from: "postgres://fs:p%40ss@db.internal:6543/crm?sslmode=disable")
        #expect(tcp.host == "db.internal")
        #expect(tcp.port == 6543)
        #expect(tcp.username == "fs")
        #expect(tcp.password == "p@ss")
        #expect(tcp.database == "crm")
        let socket = try PostgresURL.configuration(from: "postgresql://fs@/crm?host=/run/postgresql")
        #expect(socket.unixSocketPath == "/run/postgresql/.s.PGSQL.5432")
        #expect(throws: ServerError.self) { try PostgresURL.configuration(from: "mysql://fs@db/crm") }
        #expect(throws: ServerError.self) { try PostgresURL.configuration(from: "postgres://fs@db/crm?sslmode=verify-full") }
        #expect(PostgresURL.redacted("postgres://fs:secret@db/crm") == "postgres://fs:***@db/crm")
    }

    @Test("the test cluster starts (it fails here when CI requires PostgreSQL and it is missing)", .enabled(if: PostgresTestCluster.shouldRun))
    func clusterStarts() async throws {
        let database = try await PostgresTestCluster.shared().createDatabase()
        defer { database.drop() }
        let storage = try await PostgresServerStorage(url: database.url, maximumConnections: 2, logger: Self.logger)
        let replica = try await storage.serverReplica()
        try await storage.close()
        // Opening again migrates nothing and keeps the server's identity.
        let again = try await PostgresServerStorage(url: database.url, maximumConnections: 2, logger: Self.logger)
        #expect(try await again.serverReplica() == replica)
        #expect(try await again.latestSequence() == 0)
        // A slow test's note names the database's sessions: the open store's pool has one.
        let sessions = await database.sessions()
        #expect(sessions.hasPrefix("1 session(s): ") || sessions.hasPrefix("2 session(s): "), "\(sessions)")
        try await again.close()
        #expect(again.poolStoppedWhenClosed != nil, "close() notes whether the pool stopped")
        // The pool closes its connections at once, but on a full test run's starved threads
        // the close may take a while to go out (more than 30 s was seen).
        var left = ""
        let closed = try await eventually(within: .seconds(180)) {
            left = await database.sessions()
            if left == "0 session(s)" { return true }
            try await Task.sleep(for: .milliseconds(500))
            return false
        }
        #expect(closed, "after close: \(left)")
    }

    /// A PostgreSQL test store keeps its pool's last events, for the note printed when its pool
    /// does not stop at close.
    @Test("a PostgreSQL test store keeps its pool's recent events", .enabled(if: PostgresTestCluster.shouldRun))
    func testStoreKeepsPoolEvents() async throws {
        let store = try await TestStore.open(.postgres, sqlitePath: "", logger: Self.logger)
        _ = try await store.serverReplica()
        #expect(store.recentEvents.contains("Creating new connection"), "\(store.recentEvents)")
        try await store.close()
        #expect(store.recentEvents.contains("Close connection"), "\(store.recentEvents)")
    }

    /// `close()` waits for the pool to stop at most `poolStopPatience` (`ended(_:within:)`):
    /// a task that ends is seen to end, one that does not end does not hold the wait past its
    /// patience.
    @Test("closing waits for the pool's task to end, but not past its patience")
    func boundedWaitForThePool() async throws {
        let quick = Task<Void, Never> {}
        #expect(await PostgresServerStorage.ended(quick, within: .seconds(30)))
        let release = AsyncStream<Void>.makeStream()
        let stuck = Task<Void, Never> { for await _ in release.stream {} }
        let started = ContinuousClock.now
        #expect(await PostgresServerStorage.ended(stuck, within: .milliseconds(200)) == false)
        #expect(ContinuousClock.now - started < .seconds(20))
        release.continuation.finish()
        #expect(await PostgresServerStorage.ended(stuck, within: .seconds(30)))
    }

    @Test(
        "servers push at once, each commit delayed after its sequences are assigned, while a device pulls small pages: it sees every committed sequence exactly once, in order, and ends equal to the server",
        .enabled(if: PostgresTestCluster.shouldRun)
    )
    func concurrentServersPublishWithoutGaps() async throws {
        let database = try await PostgresTestCluster.shared().createDatabase()
        defer { database.drop() }
        // Every log-appending transaction waits a random moment between its last statement and
        // its COMMIT: sequences assigned early commit late, so commit order differs from
        // sequence order as often as it can. A reader that trusted `MAX(seq)` would skip.
        let delay: @Sendable () async throws -> Void = { try await Task.sleep(for: .milliseconds(Int.random(in: 0...12))) }
        let servers = try await Self.servers(3, on: database, beforeCommit: delay)
        let reader = try await PostgresServerStorage(url: database.url, maximumConnections: 2, logger: Self.logger)
        let batches = 30
        let writers = 6
        // Records every writer edits as well as its own: pushes into one record from several
        // servers at once (each adds its own tag).
        let shared = (0..<3).map { _ in newRecordID() }
        _ = try await Self.createAccounts(shared, through: servers[0])

        let writersDone = Atomic(false)
        let pulled = Task {
            var cursor: LogSequence = 0
            var seen: [LogSequence] = []
            var device = TestReplica(replica: ReplicaID(), token: "")
            device.cursor = 0
            // Pull small pages while the writers run, moving the cursor as a device does; stop
            // at the first empty page read after every writer returned.
            while true {
                let finished = writersDone.load(ordering: .sequentiallyConsistent)
                let page = try await reader.logPage(after: cursor, limit: 3, maxBytes: 1 << 20, scope: .everything)
                seen += page.entries.map(\.sequence)
                try device.apply(
                    EncodedSyncResponse(serverTime: 0, results: [], changes: page.entries, cursor: page.cursor, hasMore: page.hasMore).decoded()
                )
                cursor = page.cursor
                if page.entries.isEmpty {
                    if finished { return (seen, device) }
                    try await Task.sleep(for: .milliseconds(1))
                }
            }
        }
        let accepted = try await withThrowingTaskGroup(of: [LogSequence].self) { group in
            for writer in 0..<writers {
                let storage = servers[writer % servers.count]
                group.addTask {
                    var replica = TestReplica(replica: ReplicaID(), token: "")
                    var sequences: [LogSequence] = []
                    for batch in 0..<batches {
                        var changes = [try replica.write("account", newRecordID(), accountFields(name: "w\(writer) b\(batch)"))]
                        if batch.isMultiple(of: 3) {
                            let tag = FieldOperation(field: "tags", operation: .add("w\(writer)b\(batch)"))
                            changes.append(try replica.write("account", shared[(writer + batch) % shared.count], [tag]))
                        }
                        let author = ChangeAuthor(user: "w\(writer)", device: replica.replica.rawValue, receivedAt: nowMilliseconds())
                        // Half the batches are sent twice: the second copy must be a duplicate.
                        for _ in 0..<(batch.isMultiple(of: 2) ? 2 : 1) {
                            let results = try await storage.applyChanges(changes, author: author, scope: .everything)
                            #expect(results.allSatisfy { $0.status != .rejected }, "\(results)")
                            sequences += results.compactMap(\.sequence)
                        }
                    }
                    return sequences
                }
            }
            return try await group.reduce(into: [LogSequence]()) { $0 += $1 }
        }
        writersDone.store(true, ordering: .sequentiallyConsistent)
        let (seen, device) = try await pulled.value

        let logged = try await reader.logPage(after: 0, limit: 100_000, maxBytes: 1 << 30, scope: .everything).entries.map(\.sequence)
        let expectedChanges = shared.count + writers * (batches + (0..<batches).count(where: { $0.isMultiple(of: 3) }))
        #expect(accepted.count == expectedChanges - shared.count, "a change was lost or accepted twice")
        #expect(Set(accepted).count == accepted.count, "a sequence was assigned twice")
        #expect(logged.count == expectedChanges)
        #expect(Set(accepted).isSubset(of: Set(logged)))
        #expect(seen == logged, "the pulling device missed, repeated or reordered changes")
        #expect(device.sortedRecords == (try await reader.records()), "the pulling device does not equal the server")
        for id in shared {
            let tags = (try await reader.record(entity: "account", id: id))?.fields["tags"]?.set?.members ?? []
            #expect(tags.count == writers * batches / 3 / shared.count, "a tag added concurrently was lost")
        }
        for storage in servers + [reader] {
            try await storage.close()
        }
    }

    @Test(
        "two servers merge into the same records at once: no write is lost (set additions, counter increments, concurrent values)",
        .enabled(if: PostgresTestCluster.shouldRun)
    )
    func concurrentServersMergeIntoOneRecord() async throws {
        let database = try await PostgresTestCluster.shared().createDatabase()
        defer { database.drop() }
        let servers = try await Self.servers(2, on: database)
        let id = newRecordID()
        let creator = try await Self.createAccounts([id], through: servers[0])
        let writers = 8
        let rounds = 10
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<writers {
                let storage = servers[writer % servers.count]
                let base = creator
                group.addTask {
                    // Each writer starts from the created record and never sees the others'
                    // writes: every change is concurrent with every other writer's.
                    var replica = TestReplica(replica: ReplicaID(), token: "")
                    replica.records = base.records
                    for round in 0..<rounds {
                        let change = try replica.write(
                            "account", id,
                            [
                                FieldOperation(field: "tags", operation: .add("w\(writer)r\(round)")),
                                FieldOperation(field: "samples_given", operation: .counter(increments: Int64(round + 1), decrements: 0)),
                                .set("phone", "+86 21 5555 \(1000 + writer)"),
                            ]
                        )
                        let author = ChangeAuthor(user: "w\(writer)", device: replica.replica.rawValue, receivedAt: nowMilliseconds())
                        let results = try await storage.applyChanges([change], author: author, scope: .everything)
                        #expect(results.map(\.status) == [.accepted], "\(results)")
                    }
                }
            }
            try await group.waitForAll()
        }
        let state = try #require(try await servers[1].record(entity: "account", id: id))
        #expect(state.fields["tags"]?.set?.members.count == writers * rounds, "a concurrent set addition was lost")
        #expect(state.fields["samples_given"]?.counter?.value == Int64(writers * rounds), "a concurrent increment was lost")
        // Each writer's last phone value stays as a sibling: none overwrote another.
        #expect(state.fields["phone"]?.register?.siblings.count == writers, "a concurrent value was lost")
        #expect(try await servers[0].logCount() == 1 + writers * rounds)
        for storage in servers {
            try await storage.close()
        }
    }

    /// `count` stores on one database, as as many servers.
    static func servers(
        _ count: Int, on database: PostgresTestDatabase, beforeCommit: (@Sendable () async throws -> Void)? = nil
    ) async throws -> [PostgresServerStorage] {
        var servers: [PostgresServerStorage] = []
        for _ in 0..<count {
            servers.append(try await PostgresServerStorage(url: database.url, maximumConnections: 4, logger: logger, beforeCommit: beforeCommit))
        }
        return servers
    }

    /// Creates an account for each id through `storage`; returns the replica that wrote them.
    static func createAccounts(_ ids: [RecordID], through storage: PostgresServerStorage) async throws -> TestReplica {
        var creator = TestReplica(replica: ReplicaID(), token: "")
        let creations = try ids.enumerated().map { index, id in try creator.write("account", id, accountFields(name: "shared \(index)")) }
        let author = ChangeAuthor(user: "creator", device: creator.replica.rawValue, receivedAt: nowMilliseconds())
        let results = try await storage.applyChanges(creations, author: author, scope: .everything)
        #expect(results.map(\.status) == Array(repeating: .accepted, count: ids.count))
        return creator
    }

    static let logger: Logger = {
        var logger = Logger(label: "fieldsync-postgres-tests")
        logger.logLevel = .critical
        return logger
    }()
}

/// The test's look at a connection's prepared statements (PostgreSQL's own view).
private enum PreparedStatementsSQL: SQLCatalog {
    case names

    var statement: SQLStatement {
        SQLStatement(sqlite: nil, postgres: "SELECT name FROM pg_prepared_statements ORDER BY name")
    }
}
