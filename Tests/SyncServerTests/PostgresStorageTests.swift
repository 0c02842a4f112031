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
    /// counts (before the admission read, the log entry with its record and the scope keys were
    /// read or written once per change: 12, 13 and 10), so a statement added to the push path
    /// shows here.
    @Test("a push's round trips per change on PostgreSQL, counted by the store: the same for every change of a shape, within its budget", .enabled(if: PostgresTestCluster.shouldRun))
    func roundTripsPerChange() async throws {
        try await withFixture(backend: .postgres) { (fixture) async throws in
            let service = fixture.syncService()
            var alice = try await fixture.enroll("alice")
            let device = try await fixture.device(alice)
            let postgres = try #require(fixture.storage.base as? PostgresServerStorage)
            var cursor: LogSequence? = 0
            func statements(_ changes: [Change]) async throws -> Int {
                let before = postgres.statementsSent
                let response = try await service.sync(
                    SyncRequest(replica: alice.replica, clientTime: nowMilliseconds(), cursor: cursor, changes: changes), from: device
                )
                #expect(response.results.map(\.status) == Array(repeating: .accepted, count: changes.count))
                cursor = response.cursor ?? cursor
                return postgres.statementsSent - before
            }
            let account = newRecordID()
            _ = try await statements([try alice.write("account", account, accountFields(name: "Acme Foods"))])
            // Each shape: new customers (duplicate keys), new contacts of an account (a
            // reference, a scope read through the account), edits of those contacts.
            var contacts: [RecordID] = []
            let shapes: [(name: String, budget: Int, make: (inout TestReplica, Int) throws -> Change)] = [
                ("new account", 10, { replica, n in try replica.write("account", newRecordID(), accountFields(name: "Customer \(n)")) }),
                ("new contact", 10, { replica, n in
                    let id = newRecordID()
                    contacts.append(id)
                    return try replica.write("contact", id, [.set("account", account), .set("name", "Contact \(n)")])
                }),
                ("contact edit", 6, { replica, n in try replica.write("contact", contacts[n], [.set("name", "Renamed \(n)")]) }),
            ]
            for shape in shapes {
                let n = 10
                var small: [Change] = []
                for index in 0..<n { small.append(try shape.make(&alice, index)) }
                var large: [Change] = []
                for index in n..<(3 * n) { large.append(try shape.make(&alice, index)) }
                let once = try await statements(small)
                let twice = try await statements(large)
                let perChange = Double(twice - once) / Double(n)
                print("round trips per change (\(shape.name)): \(perChange); a push of \(n): \(once), of \(2 * n): \(twice)")
                #expect((twice - once) % n == 0, "\(shape.name): every change of the shape costs the same")
                #expect(perChange <= Double(shape.budget), "\(shape.name): \(perChange) round trips per change")
            }
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
        try await again.close()
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
