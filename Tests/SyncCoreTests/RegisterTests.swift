import SyncCore
import Testing

@Suite("Multi-value register")
struct RegisterTests {
    let a = Fixtures.replicaA
    let b = Fixtures.replicaB
    let c = Fixtures.replicaC

    @Test("One write is the displayed value, with no conflict")
    func singleWrite() throws {
        let state = try applying([makeChange(dot: a.dot(1), hlc: 10, [assign("name", .string("Acme"))])], to: Fixtures.lead())
        #expect(state.value(of: "name") == .string("Acme"))
        #expect(state.fields["name"]?.register?.isConflicted == false)
        #expect(state.openConflicts.isEmpty)
        #expect(state.value(of: "stage") == .null, "an unwritten field reads as null")
    }

    @Test("Concurrent writes keep both siblings and show the greater HLC, in either delivery order")
    func concurrentWritesKeepSiblings() throws {
        // B's HLC is larger although B's replica id is larger too; A's is larger in the second pair.
        for (hlcA, hlcB, winner) in [(10, 20, "B"), (30, 20, "A")] as [(Int64, Int64, String)] {
            let writeA = makeChange(dot: a.dot(1), hlc: hlcA, [assign("name", .string("A"))])
            let writeB = makeChange(dot: b.dot(1), hlc: hlcB, [assign("name", .string("B"))])
            let forwards = try applying([writeA, writeB], to: Fixtures.lead())
            let backwards = try applying([writeB, writeA], to: Fixtures.lead())
            #expect(forwards == backwards)
            #expect(try stableJSON(forwards) == stableJSON(backwards))
            #expect(Set(siblingValues(forwards, "name")) == [.string("A"), .string("B")])
            #expect(forwards.value(of: "name") == .string(winner))
            #expect(forwards.fields["name"]?.register?.isConflicted == true)
        }
    }

    @Test("Concurrent writes of one value keep both writes but open no conflict; a third, different value opens one")
    func identicalConcurrentValuesAreNoConflict() throws {
        let writeA = makeChange(dot: a.dot(1), hlc: 10, [assign("name", .string("Acme"))])
        let writeB = makeChange(dot: b.dot(1), hlc: 20, [assign("name", .string("Acme"))])
        for order in [[writeA, writeB], [writeB, writeA]] {
            var state = Fixtures.lead()
            for change in order {
                let outcome = try state.merging(change)
                #expect(outcome.opened.isEmpty, "nothing to choose between two writes of the same value")
                state = outcome.state
            }
            #expect(state.fields["name"]?.register?.siblings.count == 2, "both writes are kept, so replicas still converge")
            #expect(state.fields["name"]?.register?.isConflicted == false)
            #expect(state.openConflicts.isEmpty)
            let writeC = makeChange(dot: c.dot(1), hlc: 5, [assign("name", .string("Acme Ltd"))])
            let outcome = try state.merging(writeC)
            #expect(outcome.opened.map(\.field) == ["name"])
            #expect(outcome.state.fields["name"]?.register?.isConflicted == true)
        }
    }

    @Test("Equal HLCs break the tie on the greater replica id")
    func replicaTieBreak() throws {
        #expect(a < b && b < c)
        let writes = [
            makeChange(dot: b.dot(4), hlc: 50, [assign("name", .string("from B"))]),
            makeChange(dot: c.dot(1), hlc: 50, [assign("name", .string("from C"))]),
            makeChange(dot: a.dot(9), hlc: 50, [assign("name", .string("from A"))]),
        ]
        for order in [[0, 1, 2], [2, 1, 0], [1, 2, 0]] {
            let state = try applying(order.map { writes[$0] }, to: Fixtures.lead())
            #expect(state.value(of: "name") == .string("from C"))
            #expect(state.fields["name"]?.register?.winner?.dot == c.dot(1))
        }
    }

    @Test("A logical counter decides between writes of the same millisecond")
    func logicalCounterDecides() throws {
        let early = Change(entity: "lead", recordID: Fixtures.leadID, dot: c.dot(1), hlc: HLC(physical: 50, logical: 1),
                           context: VersionVector(), operations: [assign("name", .string("early"))])
        let late = Change(entity: "lead", recordID: Fixtures.leadID, dot: a.dot(1), hlc: HLC(physical: 50, logical: 2),
                          context: VersionVector(), operations: [assign("name", .string("late"))])
        #expect(try applying([early, late], to: Fixtures.lead()).value(of: "name") == .string("late"))
    }

    @Test("A later write whose writer saw both siblings resolves the conflict")
    func coveringWriteResolves() throws {
        let writeA = makeChange(dot: a.dot(1), hlc: 10, [assign("name", .string("A"))])
        let writeB = makeChange(dot: b.dot(1), hlc: 20, [assign("name", .string("B"))])
        // C has seen both and writes an older-looking HLC: causality, not time, decides.
        let resolve = makeChange(dot: c.dot(1), hlc: 5, context: VersionVector([a: 1, b: 1]), [assign("name", .string("C"))])
        let state = try applying([writeA, writeB, resolve], to: Fixtures.lead())
        #expect(siblingValues(state, "name") == [.string("C")])
        #expect(state.value(of: "name") == .string("C"))
        #expect(state.openConflicts.isEmpty)
    }

    @Test("A write that saw only one sibling replaces that one and keeps the other")
    func partialCoverKeepsUnseen() throws {
        let writeA = makeChange(dot: a.dot(1), hlc: 10, [assign("name", .string("A"))])
        let writeB = makeChange(dot: b.dot(1), hlc: 20, [assign("name", .string("B"))])
        let writeC = makeChange(dot: c.dot(1), hlc: 30, context: VersionVector([b: 1]), [assign("name", .string("C"))])
        let state = try applying([writeA, writeB, writeC], to: Fixtures.lead())
        #expect(state.fields["name"]?.register?.siblings.map(\.dot) == [a.dot(1), c.dot(1)])
    }

    /// The classic trap: A writes x=1, B writes x=2 concurrently, then A writes x=3 without
    /// having seen B's write. A last-writer-wins register that had already let x=3 replace the
    /// pair would lose B's write; the multi-value register must keep it as a sibling.
    @Test(
        "The classic trap: B's concurrent write survives A's overwrite of its own value",
        arguments: [[0, 1, 2], [1, 0, 2], [0, 2, 1]]
    )
    func classicTrap(order: [Int]) throws {
        let x1 = makeChange(dot: a.dot(1), hlc: 100, [assign("name", .string("1"))])
        let x2 = makeChange(dot: b.dot(1), hlc: 200, [assign("name", .string("2"))])
        let x3 = makeChange(dot: a.dot(2), hlc: 300, context: VersionVector([a: 1]), [assign("name", .string("3"))])
        let changes = [x1, x2, x3]
        let state = try applying(order.map { changes[$0] }, to: Fixtures.lead())
        let siblings = state.fields["name"]?.register?.siblings ?? []
        #expect(siblings.map(\.dot) == [a.dot(2), b.dot(1)])
        #expect(siblings.map(\.value) == [.string("3"), .string("2")])
        #expect(state.value(of: "name") == .string("3"), "x=3 has the greatest HLC")
        #expect(state.openConflicts == [ConflictKey(entity: "lead", recordID: Fixtures.leadID, field: "name", kind: .concurrentValues)])
        #expect(state.version == VersionVector([a: 2, b: 1]))
    }

    @Test("Writing one field leaves the siblings of another field alone")
    func fieldsAreIndependent() throws {
        let writeA = makeChange(dot: a.dot(1), hlc: 10, [assign("name", .string("A"))])
        let writeB = makeChange(dot: b.dot(1), hlc: 20, [assign("name", .string("B"))])
        let stage = makeChange(dot: c.dot(1), hlc: 30, context: VersionVector([a: 1, b: 1]), [assign("stage", .string("Won"))])
        let state = try applying([writeA, writeB, stage], to: Fixtures.lead())
        #expect(siblingValues(state, "name").count == 2, "a write to stage must not resolve name")
        #expect(state.value(of: "stage") == .string("Won"))
    }

    @Test("Register join keeps unseen siblings of both sides and drops overwritten ones")
    func registerJoin() {
        let sibling = { (value: String, dot: Dot, hlc: Int64) in Sibling(value: .string(value), dot: dot, hlc: HLC(physical: hlc)) }
        // Left saw a1 then b1 and overwrote a1 with a2; right still holds a1 and its own c1.
        let left = RegisterState(siblings: [sibling("2", a.dot(2), 20), sibling("b", b.dot(1), 15)])
        let right = RegisterState(siblings: [sibling("1", a.dot(1), 10), sibling("c", c.dot(1), 12)])
        let leftVersion = VersionVector([a: 2, b: 1])
        let rightVersion = VersionVector([a: 1, c: 1])
        let joined = left.joined(right, selfVersion: leftVersion, otherVersion: rightVersion)
        #expect(joined.siblings.map(\.dot) == [a.dot(2), b.dot(1), c.dot(1)])
        #expect(joined == right.joined(left, selfVersion: rightVersion, otherVersion: leftVersion))
        #expect(joined.value == .string("2"))
    }
}
