import SyncCore
import Testing

@Suite("PN-counter")
struct CounterTests {
    let a = Fixtures.replicaA
    let b = Fixtures.replicaB
    let c = Fixtures.replicaC

    @Test("Each replica entry keeps the maximum of the totals it published")
    func perReplicaMaximum() {
        var counter = CounterState()
        counter.apply(replica: a, increments: 3, decrements: 0)
        counter.apply(replica: a, increments: 5, decrements: 1)
        counter.apply(replica: a, increments: 3, decrements: 0)
        #expect(counter.entry(for: a) == CounterEntry(increments: 5, decrements: 1))
        #expect(counter.value == 4)
        #expect(counter.entry(for: b) == CounterEntry())
    }

    @Test("The value is the sum of increments minus the sum of decrements over replicas")
    func valueIsDifferenceOfSums() {
        var counter = CounterState()
        counter.apply(replica: a, increments: 5, decrements: 1)
        counter.apply(replica: b, increments: 2, decrements: 4)
        counter.apply(replica: c, increments: 0, decrements: 7)
        #expect(counter.value == (5 + 2 + 0) - (1 + 4 + 7))
    }

    @Test("Later totals from one replica replace its earlier ones instead of adding to them")
    func totalsNotDeltas() throws {
        let first = makeChange(dot: a.dot(1), hlc: 1, [counter("visits", increments: 2)])
        let second = makeChange(dot: a.dot(2), hlc: 2, context: VersionVector([a: 1]), [counter("visits", increments: 3, decrements: 1)])
        let other = makeChange(dot: b.dot(1), hlc: 3, [counter("visits", increments: 10)])
        let state = try applying([first, other, second], to: Fixtures.lead())
        #expect(state.value(of: "visits") == .int(3 - 1 + 10))
        #expect(state.fields["visits"]?.counter?.entries.count == 2)
    }

    @Test("A duplicated counter change does not count twice")
    func duplicateDoesNotDoubleCount() throws {
        let change = makeChange(dot: a.dot(1), hlc: 1, [counter("visits", increments: 4, decrements: 1)])
        let once = try applying([change], to: Fixtures.lead())
        let outcome = try once.merging(change)
        #expect(!outcome.applied)
        #expect(outcome.state == once)
        #expect(outcome.state.value(of: "visits") == .int(3))
        // The same totals under a new dot (a retried publish) still count once.
        let republished = makeChange(dot: a.dot(2), hlc: 2, context: VersionVector([a: 1]), [counter("visits", increments: 4, decrements: 1)])
        #expect(try applying([change, republished], to: Fixtures.lead()).value(of: "visits") == .int(3))
    }

    @Test("A counter never conflicts")
    func neverConflicts() throws {
        let state = try applying([
            makeChange(dot: a.dot(1), hlc: 1, [counter("visits", increments: 1)]),
            makeChange(dot: b.dot(1), hlc: 1, [counter("visits", increments: 1)]),
        ], to: Fixtures.lead())
        #expect(state.openConflicts.isEmpty)
        #expect(state.value(of: "visits") == .int(2))
    }

    @Test("Counter join is a per-replica maximum: commutative and idempotent")
    func join() {
        let left = CounterState(entries: [a: CounterEntry(increments: 5, decrements: 0), b: CounterEntry(increments: 1, decrements: 3)])
        let right = CounterState(entries: [b: CounterEntry(increments: 2, decrements: 1), c: CounterEntry(increments: 4, decrements: 4)])
        let joined = left.joined(right)
        #expect(joined.entries == [
            a: CounterEntry(increments: 5, decrements: 0),
            b: CounterEntry(increments: 2, decrements: 3),
            c: CounterEntry(increments: 4, decrements: 4),
        ])
        #expect(joined == right.joined(left))
        #expect(joined.joined(right) == joined)
        #expect(joined.value == 5 + 2 + 4 - 0 - 3 - 4)
    }
}
