import CRM
import SyncCore
import Testing

@testable import SyncServer

@Suite("Probable-duplicate keys")
struct AdminDuplicateKeysTests {
    static func account(_ fields: [String: String]) throws -> RecordState {
        let replica = ReplicaID()
        let change = Change(
            entity: "account", recordID: "0190a0b0-0000-7000-8000-000000000001", dot: Dot(replica: replica, counter: 1),
            hlc: HLC(physical: 1), context: VersionVector(),
            operations: fields.sorted { $0.key < $1.key }.map { FieldOperation(field: $0.key, operation: .assign(.string($0.value))) }
        )
        return try RecordState(entity: "account", id: change.recordID).merging(change).state
    }

    static func key(_ kind: DuplicateKeys.Kind, _ fields: [String: String]) throws -> String? {
        try DuplicateKeys.keys(of: account(fields)).first { $0.kind == kind }?.key
    }

    @Test(
        "phones typed any way get one key: spaces, dashes, full-width digits, +86 and 0086",
        arguments: ["13812345678", "138 1234 5678", "+86 138-1234-5678", "0086 13812345678", "１３８１２３４５６７８", "(+86) 138.1234.5678"]
    )
    func phones(_ typed: String) throws {
        #expect(try Self.key(.phone, ["phone": typed]) == "13812345678")
    }

    @Test("e-mail keys ignore case, spaces and full-width forms; junk makes no key")
    func emails() throws {
        #expect(try Self.key(.email, ["email": "  Buyer@Acme.CN "]) == "buyer@acme.cn")
        #expect(try Self.key(.email, ["email": "ｂｕｙｅｒ＠ａｃｍｅ．ｃｎ"]) == "buyer@acme.cn")
        #expect(try Self.key(.email, ["email": "n/a"]) == nil)
        #expect(try Self.key(.phone, ["phone": "ext 12"]) == nil)
    }

    @Test("name + city keys ignore punctuation, case and a trailing 市")
    func nameAndCity() throws {
        let first = try Self.key(.nameCity, ["name": "Acme Tea Co., Ltd.", "city": "上海市"])
        let second = try Self.key(.nameCity, ["name": "ACME tea co ltd", "city": "上海"])
        #expect(first != nil)
        #expect(first == second)
        #expect(try Self.key(.nameCity, ["name": "Acme Tea Co., Ltd.", "city": "北京"]) != first)
    }

    @Test("only customers have keys")
    func onlyAccounts() {
        #expect(DuplicateKeys.keys(of: RecordState(entity: "contact", id: "0190a0b0-0000-7000-8000-000000000002")).isEmpty)
    }
}
