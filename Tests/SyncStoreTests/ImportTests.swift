import Synchronization
import SyncCore
import SyncStore
import Testing

/// `importRecords` creates complete records, reference data included, in one all-or-nothing
/// transaction, as this replica's changes.
@Suite struct ImportTests {
    static let product = RecordIDs.make()

    static func productRecord(_ id: RecordID = product) -> LocalEdit {
        .create("product", id: id, [.set("sku", .string("FS-PLC-010")), .set("name", .string("小型PLC控制器")), .set("unit_price", .string("4200"))])
    }

    @Test func progressIsReportedEveryNRecordsAndAfterTheLast() throws {
        let store = try Stores.memory()
        let reports = Mutex<[[Int]]>([])
        let records = (1...5).map { _ in Self.productRecord(RecordIDs.make()) }
        try store.importRecords(records, progress: ImportProgress(every: 2) { written, total in
            reports.withLock { $0.append([written, total]) }
        })
        #expect(reports.withLock { $0 } == [[2, 5], [4, 5], [5, 5]])
        #expect(try store.status().records == ["product": 5])
    }

    @Test func importsReferenceDataAndChildrenInOrder() throws {
        let rule: EditRule = { _ in throw ValidationError(.invalidTransition, .reopenWrongEntity, ["entity": "account"]) }
        let store = try Stores.memory(rule: rule)
        let account = RecordIDs.make()
        let changes = try store.importRecords([
            Self.productRecord(),
            .create("account", id: account, [
                .set("name", .string("杭州恒信科技有限公司")), .set("territory", .string("east")),
                .add("tags", "vip"), .increment("loyalty_points", by: 120),
            ]),
            Sample.contact(account: account),
        ])
        #expect(changes.count == 3)
        #expect(try store.status().records == ["product": 1, "account": 1, "contact": 1])
        // Reference data stays local: the server owns it and would refuse it.
        #expect(try store.outbox().map(\.change.entity) == ["account", "contact"])
        #expect(changes.allSatisfy { $0.dot.replica == store.replicaID })
        let imported = try #require(try store.record("account", id: account))
        #expect(imported.value("loyalty_points") == .int(120))
        #expect(imported.sets["tags"] == ["vip"])
    }

    @Test func oneBadRecordImportsNothing() throws {
        let store = try Stores.memory()
        let account = RecordIDs.make()
        try store.apply(Sample.account())
        let before = try StoreFingerprint(store)
        let error = storeError {
            try store.importRecords([
                Self.productRecord(),
                Sample.account(account),
                Sample.contact(account: account),
                .create("contact", [.set("account", .string(account)), .set("name", .string("x")), .set("birthday", .string("1990-02-30"))]),
            ])
        }
        #expect(error?.code == "type_mismatch")
        #expect(error?.message.contains("record 3 (contact") == true, "\(error?.message ?? "")")
        #expect(try StoreFingerprint(store) == before)
    }

    @Test func importingTwiceIsRefused() throws {
        let store = try Stores.memory()
        try store.importRecords([Self.productRecord()])
        let before = try StoreFingerprint(store)
        let error = storeError { try store.importRecords([Self.productRecord()]) }
        #expect(error?.code == "record_exists")
        #expect(try StoreFingerprint(store) == before)
    }

    @Test func onlyCreationsImport() throws {
        let store = try Stores.memory()
        let account = RecordIDs.make()
        try store.apply(Sample.account(account))
        let error = storeError { try store.importRecords([.update("account", id: account, [.set("tier", .string("A"))])]) }
        #expect(error?.code == "malformed_change")
    }

    @Test func editsOfImportedReferenceDataAreStillRefused() throws {
        let store = try Stores.memory()
        try store.importRecords([Self.productRecord()])
        let error = storeError { try store.apply(.update("product", id: Self.product, [.set("unit_price", .string("1"))])) }
        #expect(error?.code == "read_only_entity")
    }
}
