import SyncCore
import Testing

@Suite("Add-wins observed-remove set")
struct SetTests {
    let a = Fixtures.replicaA
    let b = Fixtures.replicaB
    let c = Fixtures.replicaC

    func members(_ state: RecordState) -> [String] {
        state.fields["tags"]?.set?.members ?? []
    }

    @Test("An add makes the element a member; a remove that saw it takes it out")
    func addThenRemove() throws {
        let added = makeChange(dot: a.dot(1), hlc: 1, [add("tags", "vip"), add("tags", "hot")])
        let removed = makeChange(dot: a.dot(2), hlc: 2, context: VersionVector([a: 1]), [remove("tags", "vip")])
        let afterAdd = try applying([added], to: Fixtures.lead())
        #expect(members(afterAdd) == ["hot", "vip"])
        #expect(afterAdd.value(of: "tags") == .string("hot,vip"))
        let afterRemove = try applying([added, removed], to: Fixtures.lead())
        #expect(members(afterRemove) == ["hot"])
        #expect(afterRemove.fields["tags"]?.set?.contains("vip") == false)
    }

    /// Add wins: an element removed on one replica while re-added concurrently on another is
    /// present everywhere once both changes are delivered.
    @Test("Removed on one replica and concurrently re-added on another: present everywhere", arguments: [false, true])
    func addWinsOverConcurrentRemove(removeFirst: Bool) throws {
        let original = makeChange(dot: a.dot(1), hlc: 1, [add("tags", "vip")])
        let removeOnB = makeChange(dot: b.dot(1), hlc: 2, context: VersionVector([a: 1]), [remove("tags", "vip")])
        let readdOnC = makeChange(dot: c.dot(1), hlc: 3, context: VersionVector([a: 1]), [add("tags", "vip")])
        let concurrent = removeFirst ? [removeOnB, readdOnC] : [readdOnC, removeOnB]
        let state = try applying([original] + concurrent, to: Fixtures.lead())
        #expect(members(state) == ["vip"])
        #expect(state.fields["tags"]?.set?.elements["vip"] == [c.dot(1)], "the re-add replaced the add it saw")
        #expect(state.openConflicts.isEmpty, "sets never conflict")
    }

    @Test("A remove only removes the adds its writer had observed")
    func removeOnlyObservedAdds() throws {
        let addOnA = makeChange(dot: a.dot(1), hlc: 1, [add("tags", "vip")])
        let addOnB = makeChange(dot: b.dot(1), hlc: 2, [add("tags", "vip")])
        let removeOnA = makeChange(dot: a.dot(2), hlc: 3, context: VersionVector([a: 1]), [remove("tags", "vip")])
        let state = try applying([addOnA, addOnB, removeOnA], to: Fixtures.lead())
        #expect(state.fields["tags"]?.set?.elements["vip"] == [b.dot(1)])
        let everything = makeChange(dot: c.dot(1), hlc: 4, context: VersionVector([a: 2, b: 1]), [remove("tags", "vip")])
        #expect(members(try applying([addOnA, addOnB, removeOnA, everything], to: Fixtures.lead())).isEmpty)
    }

    @Test("An add replaces the adds of the same element its writer had seen")
    func addReplacesObservedAdds() throws {
        let state = try applying([
            makeChange(dot: a.dot(1), hlc: 1, [add("tags", "vip")]),
            makeChange(dot: b.dot(1), hlc: 2, [add("tags", "vip")]),
            makeChange(dot: c.dot(1), hlc: 3, context: VersionVector([a: 1]), [add("tags", "vip")]),
        ], to: Fixtures.lead())
        #expect(state.fields["tags"]?.set?.elements["vip"] == [b.dot(1), c.dot(1)])
    }

    @Test("Removing an element that was never added changes no membership")
    func removeUnknown() throws {
        let state = try applying([makeChange(dot: a.dot(1), hlc: 1, [remove("tags", "ghost")])], to: Fixtures.lead())
        #expect(members(state).isEmpty)
        #expect(state.fields["tags"]?.set?.elements.isEmpty == true)
    }

    @Test("Re-adding after a seen remove brings the element back")
    func readdAfterRemove() throws {
        let state = try applying([
            makeChange(dot: a.dot(1), hlc: 1, [add("tags", "vip")]),
            makeChange(dot: b.dot(1), hlc: 2, context: VersionVector([a: 1]), [remove("tags", "vip")]),
            makeChange(dot: a.dot(2), hlc: 3, context: VersionVector([a: 1, b: 1]), [add("tags", "vip")]),
        ], to: Fixtures.lead())
        #expect(state.fields["tags"]?.set?.elements["vip"] == [a.dot(2)])
    }

    @Test("Set join keeps unseen adds of both sides and drops removed ones")
    func join() {
        // Left saw a1 (vip) and removed it; right holds a1 and its own concurrent add b1 of vip.
        let left = SetState(elements: ["hot": [a.dot(2)]])
        let leftVersion = VersionVector([a: 3])
        let right = SetState(elements: ["vip": [a.dot(1), b.dot(1)]])
        let rightVersion = VersionVector([a: 1, b: 1])
        let joined = left.joined(right, selfVersion: leftVersion, otherVersion: rightVersion)
        #expect(joined.elements == ["hot": [a.dot(2)], "vip": [b.dot(1)]])
        #expect(joined == right.joined(left, selfVersion: rightVersion, otherVersion: leftVersion))
        #expect(joined.members == ["hot", "vip"])
    }
}
