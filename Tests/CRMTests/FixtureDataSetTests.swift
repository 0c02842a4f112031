import CRM
import Foundation
import SyncCore
import Testing

@Suite("The demo fixture data set")
struct FixtureDataSetTests {
    static let replica = ReplicaID(UUID(uuidString: "00000000-0000-4000-8000-000000000001")!)

    func demo() throws -> FixtureDataSet { try Repository.demo.get() }

    func values(_ record: FixtureDataSet.Record) -> [String: Value] { record.registerValues }

    @Test("crm-demo.json loads and every record validates against CRMSchema")
    func validates() throws {
        let dataSet = try demo()
        #expect(dataSet.format == FixtureDataSet.currentFormat)
        try dataSet.validate(against: CRMSchema.schema)
    }

    @Test("every entity of the schema has records")
    func everyEntity() throws {
        let counts = try demo().recordCounts
        for entity in CRMSchema.schema.entityNames {
            #expect((counts[entity] ?? 0) > 0, "no \(entity) records")
        }
        #expect((190...230).contains(counts["account"] ?? 0))
        #expect((15...25).contains(counts["product"] ?? 0))
    }

    @Test("territories, reps, a manager and an admin")
    func users() throws {
        let dataSet = try demo()
        #expect((3...4).contains(dataSet.territories.count))
        let roles = Dictionary(grouping: dataSet.users, by: \.role)
        #expect((5...8).contains(roles[.rep]?.count ?? 0))
        #expect(roles[.manager]?.first?.team.isEmpty == false)
        #expect(roles[.admin]?.count == 1)
    }

    @Test("every stage, lead status, ticket status and order status occurs", arguments: [
        ("opportunity", "stage", CRMSchema.opportunityStages),
        ("lead", "status", CRMSchema.leadStatuses),
        ("ticket", "status", CRMSchema.ticketStatuses),
        ("order", "status", CRMSchema.orderStatuses),
        ("survey", "kind", ["csat", "nps"]),
        ("activity", "type", CRMSchema.activityTypes),
    ])
    func everyState(entity: String, field: String, expected: [String]) throws {
        let seen = Set(try demo().records(of: entity).compactMap { values($0)[field]?.stringValue })
        #expect(seen == Set(expected))
    }

    @Test("closed deals carry closed_on, lost ones a reason, open ones neither")
    func closedDeals() throws {
        for record in try demo().records(of: "opportunity") {
            let fields = values(record)
            let stage = try #require(fields["stage"]?.stringValue.flatMap(OpportunityStage.init(rawValue:)))
            #expect((fields["closed_on"] != nil) == stage.isClosed, "\(record.id)")
            #expect((fields["lost_reason"] != nil) == (stage == .lost), "\(record.id)")
        }
    }

    @Test("ticket timestamps match their status")
    func ticketTimes() throws {
        for record in try demo().records(of: "ticket") {
            let fields = values(record)
            let status = try #require(fields["status"]?.stringValue.flatMap(TicketStatus.init(rawValue:)))
            #expect(fields["opened_at"] != nil)
            #expect((fields["first_response_at"] != nil) == status.hasResponse, "\(record.id)")
            #expect((fields["resolved_at"] != nil) == status.isResolved, "\(record.id)")
        }
    }

    @Test("some follow-ups are overdue on 2026-11-23 and some are due that day")
    func followUps() throws {
        let open = try demo().records(of: "activity").map(values).filter { $0["follow_up_done"] == .bool(false) }
        let due = open.compactMap { $0["next_follow_up"]?.stringValue }
        #expect(due.filter { $0 < "2026-11-23" }.count >= 10)
        #expect(due.filter { $0 == "2026-11-23" }.count >= 3)
    }

    @Test("order totals are the sum of their lines, at the products' prices")
    func orderTotals() throws {
        let dataSet = try demo()
        let prices = Dictionary(uniqueKeysWithValues: dataSet.records(of: "product").map { ($0.id, values($0)["unit_price"]) })
        var sums: [String: Decimal] = [:]
        for line in dataSet.records(of: "order_line") {
            let fields = values(line)
            let product = try #require(fields["product"]?.stringValue)
            #expect(fields["unit_price"] == prices[product] ?? nil)
            let price = try #require(fields["unit_price"]?.stringValue.flatMap { Decimal(string: $0) })
            let quantity = try #require(fields["quantity"]?.intValue)
            sums[try #require(fields["order"]?.stringValue), default: 0] += price * Decimal(quantity)
        }
        let orders = dataSet.records(of: "order")
        #expect(sums.count == orders.count, "every order has lines")
        for order in orders {
            let total = try #require(values(order)["total"]?.stringValue.flatMap { Decimal(string: $0) })
            #expect(total == sums[order.id], "order \(order.id)")
        }
    }

    @Test("order lines belong to the account of their order")
    func orderLineAccounts() throws {
        let dataSet = try demo()
        let orderAccounts = Dictionary(uniqueKeysWithValues: dataSet.records(of: "order").map { ($0.id, values($0)["account"]) })
        for line in dataSet.records(of: "order_line") {
            let fields = values(line)
            #expect(orderAccounts[fields["order"]?.stringValue ?? ""] == fields["account"])
        }
    }

    @Test("probable duplicate customers are there for the de-duplication demo")
    func probableDuplicates() throws {
        let accounts = try demo().records(of: "account").map(values)
        var byName: [String: Int] = [:]
        var byPhone: [String: Int] = [:]
        for account in accounts {
            byName[Normalization.duplicateKey(name: account["name"]?.stringValue ?? "", city: account["city"]?.stringValue), default: 0] += 1
            if let phone = account["phone"]?.stringValue { byPhone[Normalization.phone(phone), default: 0] += 1 }
        }
        #expect(byName.values.filter { $0 > 1 }.count >= 3)
        #expect(byPhone.values.filter { $0 > 1 }.count >= 1)
    }

    @Test("every record becomes a valid creation change whose merge shows the fixture's values")
    func creationChanges() throws {
        let schema = CRMSchema.schema
        var counter: UInt64 = 0
        for record in try demo().records {
            counter += 1
            let change = Change(
                entity: record.entity, recordID: record.id, dot: Dot(replica: Self.replica, counter: counter),
                hlc: HLC(physical: 1_795_000_000_000 + Int64(counter)), context: VersionVector(),
                operations: try record.operations(in: schema)
            )
            try schema.validate(change, allowReadOnly: true)
            let state = try RecordState(entity: record.entity, id: record.id).merging(change).state
            let shown = state.fields.mapValues(FixtureValue.init)
            let expected = record.fields.mapValues { value -> FixtureValue in
                if case .elements(let elements) = value { return .elements(elements.sorted()) }
                return value
            }
            #expect(shown == expected, "record \(record.entity) \(record.id)")
        }
    }

    @Test("operations use the field kinds: assign, add per element, counter totals")
    func operations() throws {
        let record = FixtureDataSet.Record(entity: "account", id: "0192f0c4-0000-7000-8000-000000000001", fields: [
            "name": .value(.string("杭州恒信科技有限公司")), "territory": .value(.string("east")),
            "tags": .elements(["vip", "electronics"]), "loyalty_points": .value(.int(120)),
        ])
        #expect(try record.operations(in: CRMSchema.schema) == [
            FieldOperation(field: "name", operation: .assign(.string("杭州恒信科技有限公司"))),
            FieldOperation(field: "territory", operation: .assign(.string("east"))),
            FieldOperation(field: "tags", operation: .add("vip")),
            FieldOperation(field: "tags", operation: .add("electronics")),
            FieldOperation(field: "loyalty_points", operation: .counter(increments: 120, decrements: 0)),
        ])
    }
}

@Suite("Fixture validation errors")
struct FixtureValidationTests {
    static let account = FixtureDataSet.Record(entity: "account", id: "0192f0c4-0000-7000-8000-000000000001", fields: [
        "name": .value(.string("Apex Ltd.")), "territory": .value(.string("east")),
    ])

    static func contact(account: String = "0192f0c4-0000-7000-8000-000000000001") -> FixtureDataSet.Record {
        FixtureDataSet.Record(entity: "contact", id: "0192f0c4-0000-7000-8000-000000000002", fields: [
            "account": .value(.string(account)), "name": .value(.string("李娜")),
        ])
    }

    static func check(_ records: [FixtureDataSet.Record], users: [FixtureDataSet.User] = []) -> FixtureError? {
        let dataSet = FixtureDataSet(territories: [.init(name: "east", title: "华东 East China")], users: users, records: records)
        return #expect(throws: FixtureError.self) { try dataSet.validate(against: CRMSchema.schema) }
    }

    static func withField(_ record: FixtureDataSet.Record, _ name: String, _ value: FixtureValue?) -> FixtureDataSet.Record {
        var copy = record
        copy.fields[name] = value
        return copy
    }

    @Test("a valid pair passes")
    func valid() throws {
        let dataSet = FixtureDataSet(territories: [.init(name: "east", title: "East")], users: [], records: [Self.account, Self.contact()])
        try dataSet.validate(against: CRMSchema.schema)
    }

    @Test("each problem is reported with the record's index and a code", arguments: [
        ("unknown entity", [account, FixtureDataSet.Record(entity: "shipment", id: "0192f0c4-0000-7000-8000-000000000003", fields: [:])], 1, ValidationError.Code.unknownEntity),
        ("uppercase id", [FixtureDataSet.Record(entity: "account", id: "0192F0C4-0000-7000-8000-000000000001", fields: account.fields)], 0, .invalidRecordID),
        ("duplicate id", [account, account], 1, .invalidRecordID),
        ("reference to a later record", [contact(), account], 0, .invalidValue),
        ("reference to itself", [account, contact(account: "0192f0c4-0000-7000-8000-000000000002")], 1, .invalidValue),
        ("missing required field", [withField(account, "name", nil)], 0, .missingRequiredField),
        ("enum value not allowed", [withField(account, "tier", .value(.string("D")))], 0, .invalidValue),
        ("set given as a string", [withField(account, "tags", .value(.string("vip")))], 0, .kindMismatch),
        ("register given as an array", [withField(account, "city", .elements(["上海"]))], 0, .kindMismatch),
        ("counter given as a string", [withField(account, "loyalty_points", .value(.string("12")))], 0, .kindMismatch),
        ("non-canonical decimal", [withField(account, "credit_limit", .value(.string("100.50")))], 0, .typeMismatch),
        ("unknown territory", [withField(account, "territory", .value(.string("mars")))], 0, .invalidValue),
        ("unknown field", [withField(account, "fax", .value(.string("1")))], 0, .unknownField),
    ])
    func reported(problem: String, records: [FixtureDataSet.Record], index: Int, code: ValidationError.Code) {
        let error = Self.check(records)
        #expect(error?.recordIndex == index, "\(problem)")
        #expect(error?.code == code, "\(problem): \(error?.description ?? "no error")")
    }

    @Test("a reference to a record of the wrong entity names both")
    func wrongEntityMessage() {
        let contact = Self.contact()
        let visit = FixtureDataSet.Record(entity: "activity", id: "0192f0c4-0000-7000-8000-000000000009", fields: [
            "account": .value(.string(contact.id)), "type": .value(.string("visit")), "at": .value(.string("2026-11-23T01:00:00Z")),
        ])
        let error = Self.check([Self.account, contact, visit])
        #expect(error?.code == .typeMismatch)
        #expect(error?.description.hasPrefix("record 2 (activity 0192f0c4-0000-7000-8000-000000000009)") == true)
    }

    @Test("domain rules apply to fixture records")
    func domainRules() {
        let survey = FixtureDataSet.Record(entity: "survey", id: "0192f0c4-0000-7000-8000-000000000004", fields: [
            "account": .value(.string(Self.account.id)), "kind": .value(.string("csat")), "score": .value(.int(9)),
        ])
        let error = Self.check([Self.account, survey])
        #expect(error?.recordIndex == 1)
        #expect(error?.code == .invalidValue)
    }

    @Test("users must name declared territories and team members")
    func users() {
        let error = Self.check([Self.account], users: [.init(name: "alice", role: .rep, territories: ["west"])])
        #expect(error?.recordIndex == nil)
        let team = Self.check([Self.account], users: [.init(name: "mgr", role: .manager, territories: ["east"], team: ["ghost"])])
        #expect(team?.message.contains("ghost") == true)
    }

    @Test("another format tag is refused")
    func format() {
        let json = Data(#"{"format": "fieldsync-fixture/2", "territories": [], "users": [], "records": []}"#.utf8)
        #expect(throws: FixtureError.self) { try FixtureDataSet.decode(from: json) }
    }
}
