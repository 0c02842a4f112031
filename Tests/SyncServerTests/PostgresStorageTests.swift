import FieldSyncTestSupport
import Foundation
import Logging
import Synchronization
import SyncCore
import Testing

@testable import SyncServer

/// What only the PostgreSQL backend has: the dialect translation, the URL, and several stores
/// (as several servers) writing to one database while devices read the log.
@Suite("PostgreSQL storage")
struct PostgresStorageTests {
    @Test("placeholders become $N, json_each becomes json_array_elements_text, quoted text is left alone")
    func dialectTranslation() {
        #expect(PostgresSQLDatabase.translate("SELECT a FROM t WHERE b = ? AND c = ?") == "SELECT a FROM t WHERE b = $1 AND c = $2")
        #expect(PostgresSQLDatabase.translate("WHERE x = ?3 OR y = ?1") == "WHERE x = $3 OR y = $1")
        #expect(PostgresSQLDatabase.translate("SELECT '?', \"a?\" FROM t WHERE d = ?") == "SELECT '?', \"a?\" FROM t WHERE d = $1")
        // A NULL has no type of its own: one bound for a Swift Int64? or String? is cast.
        #expect(
            PostgresSQLDatabase.translate("WHERE (?1 IS NULL OR id = ?1) AND (?2 IS NULL)", nullTypes: [1: .integer, 2: .text])
                == "WHERE (CAST($1 AS BIGINT) IS NULL OR id = CAST($1 AS BIGINT)) AND (CAST($2 AS TEXT) IS NULL)"
        )
        #expect(PostgresSQLDatabase.translate("VALUES (?, ?)", nullTypes: [2: .text]) == "VALUES ($1, CAST($2 AS TEXT))")
        #expect(
            PostgresSQLDatabase.translate("SELECT value FROM json_each(?1)", nullTypes: [1: .text])
                == "SELECT value FROM json_array_elements_text(CAST(CAST($1 AS TEXT) AS json)) AS json_elements(value)"
        )
        #expect(
            PostgresSQLDatabase.translate("SELECT value FROM json_each(?2)")
                == "SELECT value FROM json_array_elements_text(CAST($2 AS json)) AS json_elements(value)"
        )
        #expect(
            PostgresSQLDatabase.translate("EXISTS (SELECT 1 FROM json_each(conflicts.users) WHERE value = ?)")
                == "EXISTS (SELECT 1 FROM json_array_elements_text(CAST(conflicts.users AS json)) AS json_elements(value) WHERE value = $1)"
        )
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
        "two servers push at once while a device pulls: sequences are unique and dense, and the device misses nothing",
        .enabled(if: PostgresTestCluster.shouldRun)
    )
    func concurrentServersPublishWithoutGaps() async throws {
        let database = try await PostgresTestCluster.shared().createDatabase()
        defer { database.drop() }
        let servers = [
            try await PostgresServerStorage(url: database.url, maximumConnections: 4, logger: Self.logger),
            try await PostgresServerStorage(url: database.url, maximumConnections: 4, logger: Self.logger),
        ]
        let reader = try await PostgresServerStorage(url: database.url, maximumConnections: 2, logger: Self.logger)
        let batches = 40
        let writers = 4

        let writersDone = Atomic(false)
        let pulled = Task {
            var cursor: LogSequence = 0
            var seen: [LogSequence] = []
            // Pull small pages while the writers run, moving the cursor as a device does; stop
            // at the first empty page read after every writer returned.
            while true {
                let finished = writersDone.load(ordering: .sequentiallyConsistent)
                let page = try await reader.logPage(after: cursor, limit: 3, maxBytes: 1 << 20, scope: .everything)
                seen += page.entries.map(\.sequence)
                cursor = page.cursor
                if page.entries.isEmpty {
                    if finished { return seen }
                    try await Task.sleep(for: .milliseconds(2))
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
                        let change = try replica.write("account", newRecordID(), accountFields(name: "w\(writer) b\(batch)"))
                        let author = ChangeAuthor(user: "w\(writer)", device: replica.replica.rawValue, receivedAt: nowMilliseconds())
                        // Half the batches are sent twice: the second copy must be a duplicate.
                        let copies = batch.isMultiple(of: 2) ? [change, change] : [change]
                        for copy in copies {
                            let results = try await storage.applyChanges([copy], author: author, scope: .everything)
                            sequences += results.compactMap(\.sequence)
                        }
                    }
                    return sequences
                }
            }
            return try await group.reduce(into: [LogSequence]()) { $0 += $1 }
        }
        writersDone.store(true, ordering: .sequentiallyConsistent)
        let seen = try await pulled.value

        #expect(accepted.count == writers * batches)
        #expect(Set(accepted).count == accepted.count, "a sequence was assigned twice")
        #expect(accepted.sorted() == Array(1...LogSequence(writers * batches)), "sequences are not dense")
        #expect(seen == accepted.sorted(), "the pulling device missed or reordered changes")
        #expect(try await reader.logCount() == writers * batches)
        for storage in servers + [reader] {
            try await storage.close()
        }
    }

    static let logger: Logger = {
        var logger = Logger(label: "fieldsync-postgres-tests")
        logger.logLevel = .critical
        return logger
    }()
}
