import SyncCore
import SyncStore
import Testing

/// Counter edits publish this replica's cumulative totals, so merging is a maximum and a
/// retried change cannot count twice.
@Suite struct CounterTests {
    @Test func incrementsPublishCumulativeTotals() throws {
        let store = try Stores.memory()
        let id = RecordIDs.make()
        try store.apply(Sample.account(id))
        let changes = try store.apply([
            .update("account", id: id, [.increment("samples_given", by: 5)]),
            .update("account", id: id, [.increment("samples_given", by: 3)]),
            .update("account", id: id, [.increment("samples_given", by: -2)]),
        ])
        let published = changes.flatMap(\.operations).map(\.operation)
        #expect(published == [
            .counter(increments: 5, decrements: 0),
            .counter(increments: 8, decrements: 0),
            .counter(increments: 8, decrements: 2),
        ])
        #expect(try store.record("account", id: id)?.value("samples_given") == .int(6))
    }

    @Test func incrementsInOneEditCombine() throws {
        let store = try Stores.memory()
        let id = RecordIDs.make()
        let change = try store.apply(.create("account", id: id, [
            .set("name", .string("x")), .set("territory", .string("east")),
            .increment("samples_given", by: 10), .increment("samples_given", by: -4),
        ]))
        #expect(change.operations.filter { $0.field == "samples_given" }.map(\.operation) == [.counter(increments: 10, decrements: 4)])
        #expect(try store.record("account", id: id)?.value("samples_given") == .int(6))
    }

    @Test func countersFromTwoReplicasAddUp() throws {
        let alice = try Stores.memory(), bob = try Stores.memory()
        let id = RecordIDs.make()
        try alice.apply(Sample.account(id))
        try bob.applyRemote(try Sample.logEntries(from: alice), cursor: 1)
        try alice.apply(.update("account", id: id, [.increment("samples_given", by: 10)]))
        try bob.apply(.update("account", id: id, [.increment("samples_given", by: 25)]))
        try bob.apply(.update("account", id: id, [.increment("samples_given", by: 5)]))
        let fromAlice = try alice.outbox().dropFirst().map(\.change)
        let fromBob = try bob.outbox().map(\.change)
        try alice.applyRemote(fromBob.enumerated().map { LogEntry(sequence: 10 + Int64($0.offset), change: $0.element) }, cursor: 20)
        try bob.applyRemote(fromAlice.enumerated().map { LogEntry(sequence: 30 + Int64($0.offset), change: $0.element) }, cursor: 40)
        #expect(try alice.record("account", id: id)?.value("samples_given") == .int(40))
        #expect(try alice.canonicalDump() == bob.canonicalDump())
    }
}
