import SyncCore
import SyncStore
import Testing

/// Every refused edit throws a StoreError with a stable code and leaves the store exactly as
/// it was: records, outbox, history-driven status, conflicts and cursor.
@Suite struct BadInputTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var code: String
        var edit: @Sendable (_ account: RecordID, _ opportunity: RecordID) -> [LocalEdit]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "unknown entity", code: "unknown_entity") { _, _ in
            [.create("customer", [.set("name", .string("x"))])]
        },
        Case(name: "unknown field", code: "unknown_field") { account, _ in
            [.update("account", id: account, [.set("nam", .string("x"))])]
        },
        Case(name: "wrong type", code: "type_mismatch") { _, opportunity in
            [.update("opportunity", id: opportunity, [.set("amount", .int(5))])]
        },
        Case(name: "enum value not allowed", code: "invalid_value") { account, _ in
            [.update("account", id: account, [.set("tier", .string("Z"))])]
        },
        Case(name: "non-canonical decimal", code: "type_mismatch") { _, opportunity in
            [.update("opportunity", id: opportunity, [.set("amount", .string("1200.50"))])]
        },
        Case(name: "missing required field", code: "missing_required_field") { _, _ in
            [.create("account", [.set("name", .string("无区域客户"))])]
        },
        Case(name: "clearing a required field", code: "missing_required_field") { account, _ in
            [.update("account", id: account, [.set("name", .null)])]
        },
        Case(name: "malformed id", code: "invalid_record_id") { _, _ in
            [.create("account", id: "not-a-uuid", [.set("name", .string("x")), .set("territory", .string("east"))])]
        },
        Case(name: "uppercase id", code: "invalid_record_id") { _, _ in
            [.create("account", id: RecordIDs.make().uppercased(), [.set("name", .string("x")), .set("territory", .string("east"))])]
        },
        Case(name: "read-only entity", code: "read_only_entity") { _, _ in
            [.create("product", [.set("sku", .string("X")), .set("name", .string("Y")), .set("unit_price", .string("1"))])]
        },
        Case(name: "unknown reference", code: "unknown_reference") { _, _ in
            [Sample.contact(account: RecordIDs.make())]
        },
        Case(name: "delete combined with edits", code: "malformed_change") { account, _ in
            [.update("account", id: account, [.delete, .set("tier", .string("A"))])]
        },
        Case(name: "counter assigned", code: "kind_mismatch") { account, _ in
            [.update("account", id: account, [.set("samples_given", .int(5))])]
        },
        Case(name: "increment of a register", code: "kind_mismatch") { account, _ in
            [.update("account", id: account, [.increment("tier", by: 1)])]
        },
        Case(name: "edit of a record not on the device", code: "record_not_found") { _, _ in
            [.update("account", id: RecordIDs.make(), [.set("tier", .string("A"))])]
        },
        Case(name: "creation of an existing record", code: "record_exists") { account, _ in
            [Sample.account(account)]
        },
        Case(name: "value too long", code: "value_too_long") { account, _ in
            [.update("account", id: account, [.set("name", .string(String(repeating: "客", count: 201)))])]
        },
        Case(name: "a valid batch whose last edit is invalid", code: "unknown_field") { account, opportunity in
            [
                .update("account", id: account, [.set("tier", .string("B"))]),
                .update("opportunity", id: opportunity, [.set("amount", .string("99"))]),
                Sample.contact(account: account),
                .update("account", id: account, [.set("bogus", .string("x"))]),
            ]
        },
    ]

    @Test(arguments: cases)
    func refusedEditLeavesTheStoreUnchanged(_ testCase: Case) throws {
        let store = try Stores.memory()
        let account = RecordIDs.make(), opportunity = RecordIDs.make()
        try store.apply([Sample.account(account), Sample.opportunity(opportunity, account: account)])
        let before = try StoreFingerprint(store)
        let historyBefore = try store.history("account", id: account)

        let error = storeError { try store.apply(testCase.edit(account, opportunity)) }
        #expect(error?.code == testCase.code, "\(error?.message ?? "")")
        #expect(!(error?.message.isEmpty ?? true))

        #expect(try StoreFingerprint(store) == before)
        #expect(try store.history("account", id: account) == historyBefore)
        // The dot the refused edit would have taken is still the next one.
        let next = try store.apply(.update("account", id: account, [.set("tier", .string("C"))]))
        #expect(next.dot.counter == before.status.lastDot + 1)
    }

    @Test func aRefusingRuleLeavesTheStoreUnchanged() throws {
        let rule: EditRule = { input in
            if input.assignments["tier"] == .string("C") {
                throw ValidationError(.invalidTransition, .enumerationExpected, ["field": "tier", "allowed": "A, B", "text": "C"])
            }
            return input.assignments
        }
        let store = try Stores.memory(rule: rule)
        let account = RecordIDs.make()
        try store.apply(Sample.account(account))
        let before = try StoreFingerprint(store)
        let error = storeError {
            try store.apply([.update("account", id: account, [.set("tier", .string("A"))]), .update("account", id: account, [.set("tier", .string("C"))])])
        }
        #expect(error?.code == "invalid_transition")
        #expect(try StoreFingerprint(store) == before)
    }
}
