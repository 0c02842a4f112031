import SyncCore
import SyncStore
import Testing

/// The device's history keeps what is pending or still shown, and lets go of the rest.
@Suite struct HistoryCompactionTests {
    @Test func acknowledgedOverwrittenRowsGoPendingAndLiveOnesStay() throws {
        let clock = Stores.ManualClock()
        let store = try Stores.memory(clock: clock)
        let account = RecordIDs.make()
        var changes = [try store.apply(Sample.account(account))]
        for round in 1...10 {
            clock.advance()
            changes.append(try store.apply(.update("account", id: account, [.set("phone", .string("021-5555-01\(round)"))])))
        }
        #expect(try store.history("account", id: account).count == 11)

        // Nothing acknowledged yet: every row is still waiting for the server.
        #expect(try store.compactHistory().rowsRemoved == 0)
        #expect(try store.history("account", id: account).count == 11)

        // Acknowledged: the phone writes 1…9 were overwritten by 10; the creation still holds
        // the name and territory, and the last write holds the phone.
        try store.acknowledge(changes.map { ChangeResult(dot: $0.dot, status: .accepted) })
        clock.advance()
        _ = try store.apply(.update("account", id: account, [.set("city", .string("Shanghai"))]))
        let result = try store.compactHistory()
        #expect(result.rowsRemoved == 9)
        let kept = try store.history("account", id: account).map(\.change.dot)
        #expect(kept == [changes[0].dot, changes[10].dot] + [try #require(try store.outbox().last?.change.dot)])
        #expect(try store.record("account", id: account)?.value("phone") == .string("021-5555-0110"))

        // A second run finds nothing new.
        #expect(try store.compactHistory().rowsRemoved == 0)
    }
}
