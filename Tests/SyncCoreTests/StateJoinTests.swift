import SyncCore
import Testing

@Suite("State join")
struct StateJoinTests {
    let a = Fixtures.replicaA
    let b = Fixtures.replicaB
    let c = Fixtures.replicaC

    /// A small history touching every field kind, a delete and the classic trap.
    var history: [Change] {
        [
            makeChange(dot: a.dot(1), hlc: 10, [assign("name", .string("1")), add("tags", "vip"), counter("visits", increments: 1)]),
            makeChange(dot: b.dot(1), hlc: 20, [assign("name", .string("2")), counter("visits", increments: 2, decrements: 1)]),
            makeChange(dot: a.dot(2), hlc: 30, context: VersionVector([a: 1]), [assign("name", .string("3")), remove("tags", "vip")]),
            makeChange(dot: c.dot(1), hlc: 25, context: VersionVector([a: 1]), [add("tags", "vip"), assign("stage", .string("Won"))]),
            makeChange(dot: b.dot(2), hlc: 40, context: VersionVector([b: 1]), [.delete]),
        ]
    }

    /// Every split of the history into two causally closed parts (a replica holds a prefix of
    /// each writer's changes).
    static let splits: [([Int], [Int])] = [
        ([0, 2], [1, 4]),
        ([0, 2, 3], [1]),
        ([0, 3], [0, 2, 1]),
        ([1, 4], [0]),
        ([0, 1, 2, 3, 4], []),
        ([0, 2, 1, 4], [0, 3]),
    ]

    @Test("Joining two replicas' states equals applying the union of their changes", arguments: splits)
    func joinEqualsUnion(left: [Int], right: [Int]) throws {
        let changes = history
        let lhs = try applying(left.map { changes[$0] }, to: Fixtures.lead())
        let rhs = try applying(right.map { changes[$0] }, to: Fixtures.lead())
        let union = try applying(changes.indices.filter { left.contains($0) || right.contains($0) }.map { changes[$0] }, to: Fixtures.lead())
        #expect(try stableJSON(lhs.joined(rhs)) == stableJSON(union))
        #expect(try stableJSON(rhs.joined(lhs)) == stableJSON(union))
    }

    @Test("Join is idempotent and has the unseen record as identity")
    func idempotentWithIdentity() throws {
        let state = try applying(history, to: Fixtures.lead())
        #expect(state.joined(state) == state)
        #expect(state.joined(Fixtures.lead()) == state)
        #expect(Fixtures.lead().joined(state) == state)
    }

    @Test("The join keeps B's sibling of the classic trap")
    func joinKeepsTrapSibling() throws {
        let changes = history
        let lhs = try applying([changes[0], changes[2]], to: Fixtures.lead())
        let rhs = try applying([changes[1]], to: Fixtures.lead())
        #expect(Set(siblingValues(lhs.joined(rhs), "name")) == [.string("2"), .string("3")])
        #expect(lhs.joined(rhs).value(of: "visits") == .int(2))
    }
}
