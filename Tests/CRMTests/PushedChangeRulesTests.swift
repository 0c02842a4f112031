import CRM
import SyncCore
import Testing

/// `CRMRules.checkPushedChange`, the server's re-check of a pushed change: the device's value
/// rules, judged on what the change's writer saw (its own values and the fields whose every
/// write its context covers), never on a value written concurrently by someone else.
@Suite("CRM rules of a pushed change")
struct PushedChangeRulesTests {
    static let alice = ReplicaID(), bob = ReplicaID()
    static let id = RecordIDs.make()

    static func change(_ replica: ReplicaID, _ counter: UInt64, context: VersionVector, _ fields: [String: Value]) -> Change {
        Change(
            entity: "contract", recordID: id, dot: Dot(replica: replica, counter: counter), hlc: HLC(physical: Int64(counter) * 1000, logical: 0),
            context: context, operations: fields.keys.sorted().map { FieldOperation(field: $0, operation: .assign(fields[$0] ?? .null)) }
        )
    }

    static func check(_ change: Change, _ current: RecordState?) -> ValidationError.Code? {
        do throws(ValidationError) {
            try CRMRules.checkPushedChange(change, current: current, entity: CRMSchema.contract)
            return nil
        } catch {
            return error.code
        }
    }

    @Test("a change is judged on its own values and what its writer saw; a concurrent value is not held against it")
    func judgedOnWhatTheWriterSaw() throws {
        let creation = Self.change(Self.alice, 1, context: VersionVector(), [
            "account": .string(RecordIDs.make()), "title": .string("维保"), "status": .string("active"),
            "starts_on": .string("2026-01-01"), "ends_on": .string("2026-12-31"),
        ])
        #expect(Self.check(creation, nil) == nil)
        var backwards = creation
        backwards.operations = backwards.operations.map { $0.field == "ends_on" ? FieldOperation(field: "ends_on", operation: .assign(.string("2025-12-31"))) : $0 }
        #expect(Self.check(backwards, nil) == .invalidValue, "a creation ending before it starts")
        let created = try RecordState(entity: "contract", id: Self.id).merging(creation).state

        // Bob saw the creation: an end before the start he saw is refused.
        let bobsEdit = Self.change(Self.bob, 1, context: created.version, ["ends_on": .string("2025-06-30")])
        #expect(Self.check(bobsEdit, created) == .invalidValue)
        #expect(Self.check(Self.change(Self.bob, 1, context: created.version, ["ends_on": .string("2026-03-31")]), created) == nil)

        // Alice moved the start to July meanwhile; bob's end in March, made before he saw it,
        // passes: the start he was judged against is not the one he saw.
        let moved = try created.merging(Self.change(Self.alice, 2, context: created.version, ["starts_on": .string("2026-07-01")])).state
        #expect(Self.check(Self.change(Self.bob, 1, context: created.version, ["ends_on": .string("2026-03-31")]), moved) == nil)
        // Once he has seen it, the same end is refused.
        #expect(Self.check(Self.change(Self.bob, 1, context: moved.version, ["ends_on": .string("2026-03-31")]), moved) == .invalidValue)
        // A delete writes no value: not judged.
        #expect(Self.check(Change(entity: "contract", recordID: Self.id, dot: Dot(replica: Self.bob, counter: 1), hlc: HLC(physical: 1, logical: 0), context: moved.version, operations: [.delete]), moved) == nil)
    }

    @Test("payments and invoices: above zero; money not negative", arguments: [("payment", "0"), ("payment", "-500"), ("invoice", "0"), ("invoice", "-1")])
    func amountsAboveZero(entity: String, amount: String) throws {
        let schema = try #require(CRMSchema.schema.entity(entity))
        let change = Change(
            entity: entity, recordID: RecordIDs.make(), dot: Dot(replica: Self.alice, counter: 1), hlc: HLC(physical: 1, logical: 0),
            context: VersionVector(), operations: [FieldOperation(field: "amount", operation: .assign(.string(amount)))]
        )
        #expect(throws: ValidationError.self) { try CRMRules.checkPushedChange(change, current: nil, entity: schema) }
        var paid = change
        paid.operations = [FieldOperation(field: "amount", operation: .assign(.string("0.01")))]
        try CRMRules.checkPushedChange(paid, current: nil, entity: schema)
    }
}
