import Foundation
import SyncCore
import SyncStore
import Testing

/// A file store survives being closed at any point: identity, dot counter, outbox and cursor
/// come back, and a dot is never reused.
@Suite struct PersistenceTests {
    @Test func reopeningKeepsIdentityDotsOutboxAndCursor() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("device.sqlite")
        let account = RecordIDs.make()
        var replica: ReplicaID
        var before: StoreFingerprint
        var lastDot: UInt64
        do {
            let store = try DeviceStore(path: path, schema: Stores.schema)
            replica = store.replicaID
            try store.apply([Sample.account(account), Sample.contact(account: account)])
            try store.applyRemote([], cursor: 17)
            let change = try store.apply(.update("account", id: account, [.increment("samples_given", by: 7)]))
            try store.acknowledge([ChangeResult(dot: change.dot, status: .rejected, code: "clock_skew", message: "ahead")])
            before = try StoreFingerprint(store)
            lastDot = change.dot.counter
        }
        let reopened = try DeviceStore(path: path, schema: Stores.schema)
        #expect(reopened.replicaID == replica)
        #expect(try StoreFingerprint(reopened) == before)
        #expect(try reopened.cursor() == 17)
        #expect(try reopened.outbox().last?.rejectCode == "clock_skew")
        let next = try reopened.apply(.update("account", id: account, [.increment("samples_given", by: 1)]))
        #expect(next.dot.counter == lastDot + 1)
        // Counter totals continue from the persisted entry.
        #expect(next.operations.map(\.operation) == [.counter(increments: 8, decrements: 0)])
    }

    @Test func aRefusedBatchLeavesNothingAfterReopening() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("device.sqlite")
        let account = RecordIDs.make()
        var before: StoreFingerprint
        do {
            let store = try DeviceStore(path: path, schema: Stores.schema)
            try store.apply(Sample.account(account))
            before = try StoreFingerprint(store)
            // Valid edits followed by an invalid one: the transaction rolls back as a whole.
            _ = storeError {
                try store.apply([
                    .update("account", id: account, [.set("tier", .string("A"))]),
                    Sample.contact(account: account),
                    .update("account", id: account, [.set("tier", .string("bogus"))]),
                ])
            }
        }
        let reopened = try DeviceStore(path: path, schema: Stores.schema)
        #expect(try StoreFingerprint(reopened) == before)
        #expect(try reopened.records("contact").isEmpty)
        let next = try reopened.apply(.update("account", id: account, [.set("tier", .string("B"))]))
        #expect(next.dot.counter == before.status.lastDot + 1)
    }

    @Test func everyDotIsUniqueAcrossReopens() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("device.sqlite")
        let account = RecordIDs.make()
        var dots: [UInt64] = []
        for round in 0..<4 {
            let store = try DeviceStore(path: path, schema: Stores.schema)
            if round == 0 { dots.append(try store.apply(Sample.account(account)).dot.counter) }
            dots.append(try store.apply(.update("account", id: account, [.set("notes", .string("round \(round)"))])).dot.counter)
            try store.acknowledge(try store.outbox().prefix(1).map { ChangeResult(dot: $0.change.dot, status: .accepted) })
        }
        #expect(dots == Array(1...UInt64(dots.count)))
        let history = try DeviceStore(path: path, schema: Stores.schema).history("account", id: account)
        #expect(history.map(\.change.dot.counter) == dots)
    }

    @Test func anInterruptedPageLeavesTheCursorWithItsChanges() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("device.sqlite")
        let source = try Stores.memory()
        let account = RecordIDs.make()
        try source.apply(Sample.account(account))
        let entries = try Sample.logEntries(from: source)
        do {
            let store = try DeviceStore(path: path, schema: Stores.schema)
            try store.applyRemote(entries, cursor: 1)
            // A page whose change cannot merge (a kind mismatch) rolls back with its cursor.
            var broken = entries[0]
            broken.sequence = 2
            broken.change.dot = Dot(replica: broken.change.dot.replica, counter: 99)
            broken.change.operations = [FieldOperation(field: "samples_given", operation: .assign(.int(3)))]
            try store.apply(.update("account", id: account, [.increment("samples_given", by: 1)]))
            #expect(throws: (any Error).self) { try store.applyRemote([broken], cursor: 2) }
        }
        let reopened = try DeviceStore(path: path, schema: Stores.schema)
        #expect(try reopened.cursor() == 1)
        #expect(try reopened.record("account", id: account)?.value("samples_given") == .int(1))
    }
}

/// The store holds the device token: its files are the owner's only, whatever the umask.
@Suite struct StoreFileModeTests {
    static func mode(_ path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    @Test func aNewStoreAndItsWriteAheadLogAreReadableByTheOwnerOnly() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("device.sqlite")
        let store = try DeviceStore(path: path, schema: Stores.schema)
        try store.setSettings(["token": "secret"])
        try store.apply(Sample.account())
        for file in [path, path + "-wal", path + "-shm"] {
            #expect(FileManager.default.fileExists(atPath: file), "\(file)")
            #expect(try Self.mode(file) == 0o600, "\(file)")
        }
    }

    @Test func aStoreLeftWorldReadableIsNarrowedWhenOpened() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("device.sqlite")
        _ = try DeviceStore(path: path, schema: Stores.schema)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        let reopened = try DeviceStore(path: path, schema: Stores.schema)
        #expect(try Self.mode(path) == 0o600)
        #expect(try reopened.setting("token") == nil)
    }
}
