import Foundation
import SyncCore
import Testing

@Suite("Version vectors")
struct VersionVectorTests {
    let a = Fixtures.replicaA
    let b = Fixtures.replicaB
    let c = Fixtures.replicaC

    @Test("An empty vector covers no dot")
    func emptyCoversNothing() {
        let empty = VersionVector()
        #expect(empty.isEmpty)
        #expect(!empty.covers(a.dot(1)))
        #expect(empty[a] == 0)
    }

    @Test("Zero entries are dropped, so equal histories are equal values")
    func zeroEntriesDropped() {
        let vector = VersionVector([a: 0, b: 2])
        #expect(vector == VersionVector([b: 2]))
        #expect(vector.counters.count == 1)
        #expect(VersionVector([a: 0]).isEmpty)
    }

    @Test("Inserting a dot covers it and every earlier dot of its replica, nothing else")
    func insertAndCoverDot() {
        var vector = VersionVector()
        vector.insert(a.dot(3))
        #expect(vector.covers(a.dot(1)))
        #expect(vector.covers(a.dot(3)))
        #expect(!vector.covers(a.dot(4)))
        #expect(!vector.covers(b.dot(1)))
        vector.insert(a.dot(2))
        #expect(vector[a] == 3, "inserting an older dot must not lower the entry")
    }

    @Test(
        "Join is the pointwise maximum",
        arguments: [
            ([:], [:]),
            ([0: 1], [:]),
            ([0: 3, 1: 1], [1: 4, 2: 2]),
            ([0: 5, 1: 5, 2: 5], [0: 1, 1: 9, 2: 5]),
        ] as [([Int: UInt64], [Int: UInt64])]
    )
    func joinIsPointwiseMaximum(left: [Int: UInt64], right: [Int: UInt64]) {
        let replicas = [a, b, c]
        let lhs = VersionVector(Dictionary(uniqueKeysWithValues: left.map { (replicas[$0.key], $0.value) }))
        let rhs = VersionVector(Dictionary(uniqueKeysWithValues: right.map { (replicas[$0.key], $0.value) }))
        let joined = lhs.joined(rhs)
        for replica in replicas {
            #expect(joined[replica] == max(lhs[replica], rhs[replica]))
        }
        #expect(joined == rhs.joined(lhs), "join is commutative")
        #expect(joined.joined(rhs) == joined, "join is idempotent")
        #expect(joined.covers(lhs) && joined.covers(rhs), "join is an upper bound")
        var formed = lhs
        formed.formJoin(rhs)
        #expect(formed == joined)
    }

    @Test("A vector covers another exactly when it is pointwise at least as large")
    func coversVector() {
        let small = VersionVector([a: 1, b: 2])
        let large = VersionVector([a: 3, b: 2, c: 1])
        let sideways = VersionVector([a: 4, b: 1])
        #expect(large.covers(small))
        #expect(!small.covers(large))
        #expect(small.covers(small))
        #expect(!large.covers(sideways))
        #expect(!sideways.covers(large))
        #expect(small.covers(VersionVector()))
        #expect(!VersionVector().covers(small))
    }

    struct ComparisonCase: Sendable, CustomTestStringConvertible {
        var lhs: [ReplicaID: UInt64]
        var rhs: [ReplicaID: UInt64]
        var expected: CausalOrder
        var mirrored: CausalOrder
        var testDescription: String { "\(VersionVector(lhs)) vs \(VersionVector(rhs)) is \(expected)" }
    }

    static let comparisons: [ComparisonCase] = {
        let a = Fixtures.replicaA, b = Fixtures.replicaB
        return [
            ComparisonCase(lhs: [:], rhs: [:], expected: .equal, mirrored: .equal),
            ComparisonCase(lhs: [a: 2, b: 1], rhs: [a: 2, b: 1], expected: .equal, mirrored: .equal),
            ComparisonCase(lhs: [a: 1], rhs: [a: 2], expected: .before, mirrored: .after),
            ComparisonCase(lhs: [:], rhs: [b: 1], expected: .before, mirrored: .after),
            ComparisonCase(lhs: [a: 2, b: 3], rhs: [a: 2], expected: .after, mirrored: .before),
            ComparisonCase(lhs: [a: 2], rhs: [b: 1], expected: .concurrent, mirrored: .concurrent),
            ComparisonCase(lhs: [a: 3, b: 1], rhs: [a: 1, b: 3], expected: .concurrent, mirrored: .concurrent),
        ]
    }()

    @Test("Compare tells equal, before, after and concurrent", arguments: comparisons)
    func compare(_ example: ComparisonCase) {
        let lhs = VersionVector(example.lhs)
        let rhs = VersionVector(example.rhs)
        #expect(lhs.compare(rhs) == example.expected)
        #expect(rhs.compare(lhs) == example.mirrored)
    }

    @Test("Encodes as an object keyed by replica id, with the same bytes whatever the insertion order")
    func stableEncoding() throws {
        var forwards = VersionVector()
        forwards.insert(a.dot(1))
        forwards.insert(b.dot(7))
        forwards.insert(c.dot(2))
        var backwards = VersionVector()
        backwards.insert(c.dot(2))
        backwards.insert(b.dot(7))
        backwards.insert(a.dot(1))
        let text = try stableJSONText(forwards)
        #expect(text == #"{"\#(a)":1,"\#(b)":7,"\#(c)":2}"#)
        #expect(try stableJSON(backwards) == stableJSON(forwards))
        let decoded = try JSONDecoder().decode(VersionVector.self, from: Data(text.utf8))
        #expect(decoded == forwards)
    }

    @Test("Decoding refuses a key that is not a replica id")
    func decodingRefusesBadReplica() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(VersionVector.self, from: Data(#"{"device-7":3}"#.utf8))
        }
    }
}
