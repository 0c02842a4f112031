import SyncCore
import Testing

@Suite("Merging one change")
struct MergeTests {
    let a = Fixtures.replicaA
    let b = Fixtures.replicaB
    let c = Fixtures.replicaC

    @Test(
        "A duplicate change is not applied and leaves the state unchanged",
        arguments: [
            [assign("name", .string("Acme"))],
            [counter("visits", increments: 2, decrements: 1)],
            [add("tags", "vip")],
            [remove("tags", "vip")],
            [FieldOperation.delete],
        ]
    )
    func duplicateIsIgnored(operations: [FieldOperation]) throws {
        let earlier = makeChange(dot: b.dot(1), hlc: 5, [assign("name", .string("B")), add("tags", "vip")])
        let change = makeChange(dot: a.dot(1), hlc: 10, operations)
        let once = try applying([earlier, change], to: Fixtures.lead())
        let again = try once.merging(change)
        #expect(!again.applied)
        #expect(again.state == once)
        #expect(try stableJSON(again.state) == stableJSON(once))
        #expect(again.opened.isEmpty && again.closed.isEmpty)
    }

    @Test("An older dot of a replica the record has moved past is also a duplicate")
    func olderDotIsDuplicate() throws {
        let first = makeChange(dot: a.dot(1), hlc: 1, [assign("name", .string("1"))])
        let second = makeChange(dot: a.dot(2), hlc: 2, context: VersionVector([a: 1]), [assign("name", .string("2"))])
        let state = try applying([first, second], to: Fixtures.lead())
        let replay = try state.merging(first)
        #expect(!replay.applied)
        #expect(replay.state.value(of: "name") == .string("2"))
    }

    @Test("An applied change adds its dot to the version and marks the record as existing")
    func appliedChange() throws {
        let change = makeChange(dot: a.dot(7), hlc: 10, [assign("name", .string("Acme")), counter("visits", increments: 1)])
        let outcome = try Fixtures.lead().merging(change)
        #expect(outcome.applied)
        #expect(outcome.state.version == VersionVector([a: 7]))
        #expect(outcome.state.existence.siblings == [Sibling(value: .bool(true), dot: a.dot(7), hlc: HLC(physical: 10))])
        #expect(outcome.state.fields["name"]?.register?.siblings.map(\.dot) == [a.dot(7)], "every operation shares the change's dot")
        #expect(outcome.state.lastModified == HLC(physical: 10))
    }

    @Test("Merging a change of another record throws recordMismatch")
    func recordMismatch() {
        let change = makeChange(record: Fixtures.otherLeadID, dot: a.dot(1), hlc: 1, [assign("name", .string("x"))])
        #expect(throws: MergeError.recordMismatch(expected: "lead/\(Fixtures.leadID)", got: "lead/\(Fixtures.otherLeadID)")) {
            try Fixtures.lead().merging(change)
        }
        let otherEntity = makeChange(entity: "task", dot: a.dot(1), hlc: 1, [assign("title", .string("x"))])
        #expect(throws: MergeError.self) { try Fixtures.lead().merging(otherEntity) }
    }

    @Test("An operation of the wrong kind for the field's existing state throws kindMismatch")
    func kindMismatch() throws {
        let state = try applying([makeChange(dot: a.dot(1), hlc: 1, [assign("name", .string("x"))])], to: Fixtures.lead())
        let wrong = makeChange(dot: b.dot(1), hlc: 2, [counter("name", increments: 1)])
        #expect(throws: MergeError.kindMismatch(field: "name")) { try state.merging(wrong) }
        let wrongSet = makeChange(dot: b.dot(1), hlc: 2, [add("name", "x")])
        #expect(throws: MergeError.kindMismatch(field: "name")) { try state.merging(wrongSet) }
    }

    @Test("The outcome lists the conflict keys a change opened and closed")
    func openedAndClosed() throws {
        let nameKey = ConflictKey(entity: "lead", recordID: Fixtures.leadID, field: "name", kind: .concurrentValues)
        let stageKey = ConflictKey(entity: "lead", recordID: Fixtures.leadID, field: "stage", kind: .concurrentValues)
        let first = try Fixtures.lead().merging(makeChange(dot: a.dot(1), hlc: 1, [assign("name", .string("A")), assign("stage", .string("New"))]))
        #expect(first.opened.isEmpty && first.closed.isEmpty)

        let second = try first.state.merging(makeChange(dot: b.dot(1), hlc: 2, [assign("name", .string("B")), assign("stage", .string("Won"))]))
        #expect(second.opened == [nameKey, stageKey])
        #expect(second.closed.isEmpty)

        // C saw both and rewrites only name: name closes, stage stays open.
        let third = try second.state.merging(makeChange(dot: c.dot(1), hlc: 3, context: VersionVector([a: 1, b: 1]), [assign("name", .string("C"))]))
        #expect(third.opened.isEmpty)
        #expect(third.closed == [nameKey])
        #expect(third.state.openConflicts == [stageKey])
    }
}
