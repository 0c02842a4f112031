import CRM
import Foundation
import SyncCore
import Testing

/// Small hand-made CRM records for report tests.
enum Sample {
    /// A valid lowercase UUID made from a number, so tests can name records by number.
    static func id(_ number: Int) -> String {
        let digits = String(number)
        return "00000000-0000-4000-8000-" + String(repeating: "0", count: max(0, 12 - digits.count)) + digits
    }

    static func record(_ entity: String, _ number: Int, _ values: [String: Value], sets: [String: [String]] = [:]) -> CRMDataSet.Record {
        CRMDataSet.Record(entity: entity, id: id(number), values: values, sets: sets)
    }

    static func account(_ number: Int, _ name: String, city: String? = nil, tier: String? = nil, lifecycle: String? = nil, owner: String? = nil) -> CRMDataSet.Record {
        var values: [String: Value] = ["name": .string(name), "territory": .string("east")]
        if let city { values["city"] = .string(city) }
        if let tier { values["tier"] = .string(tier) }
        if let lifecycle { values["lifecycle"] = .string(lifecycle) }
        if let owner { values["owner"] = .string(owner) }
        return record("account", number, values)
    }

    static func opportunity(
        _ number: Int, account: Int = 1, stage: String, amount: String? = nil, currency: String? = "CNY",
        probability: Int64? = nil, created: String? = nil, closed: String? = nil, owner: String? = nil, expectedClose: String? = nil
    ) -> CRMDataSet.Record {
        var values: [String: Value] = ["account": .string(id(account)), "title": .string("deal \(number)"), "stage": .string(stage)]
        if let expectedClose { values["expected_close"] = .string(expectedClose) }
        if let amount { values["amount"] = .string(amount) }
        if let currency { values["currency"] = .string(currency) }
        if let probability { values["probability"] = .int(probability) }
        if let created { values["created_on"] = .string(created) }
        if let closed { values["closed_on"] = .string(closed) }
        if let owner { values["owner"] = .string(owner) }
        return record("opportunity", number, values)
    }

    static func order(_ number: Int, account: Int, on day: String, total: String = "100", status: String = "delivered", currency: String = "CNY") -> CRMDataSet.Record {
        record("order", number, [
            "account": .string(id(account)), "status": .string(status), "total": .string(total),
            "currency": .string(currency), "ordered_on": .string(day),
        ])
    }

    static func activity(
        _ number: Int, account: Int, at: String, type: String = "visit", owner: String? = "alice",
        followUp: String? = nil, done: Bool? = nil
    ) -> CRMDataSet.Record {
        var values: [String: Value] = ["account": .string(id(account)), "type": .string(type), "at": .string(at), "subject": .string("s\(number)")]
        if let owner { values["owner"] = .string(owner) }
        if let followUp { values["next_follow_up"] = .string(followUp) }
        if let done { values["follow_up_done"] = .bool(done) }
        return record("activity", number, values)
    }

    static func ticket(
        _ number: Int, severity: String = "high", status: String = "resolved", opened: String,
        responded: String? = nil, resolved: String? = nil, category: String = "complaint"
    ) -> CRMDataSet.Record {
        var values: [String: Value] = [
            "account": .string(id(1)), "title": .string("t\(number)"), "category": .string(category),
            "severity": .string(severity), "status": .string(status), "opened_at": .string(opened),
        ]
        if let responded { values["first_response_at"] = .string(responded) }
        if let resolved { values["resolved_at"] = .string(resolved) }
        return record("ticket", number, values)
    }

    static func survey(_ number: Int, kind: String, score: Int64, at: String = "2026-11-01T02:00:00Z") -> CRMDataSet.Record {
        record("survey", number, ["account": .string(id(1)), "kind": .string(kind), "score": .int(score), "answered_at": .string(at)])
    }

    static func lead(_ number: Int, status: String, source: String = "web", opportunity: Int? = nil) -> CRMDataSet.Record {
        var values: [String: Value] = [
            "name": .string("n\(number)"), "company": .string("c\(number)"), "status": .string(status), "territory": .string("east"), "source": .string(source),
        ]
        if status == "converted" { values["converted_account"] = .string(id(1)) }
        if let opportunity { values["converted_opportunity"] = .string(id(opportunity)) }
        return record("lead", number, values)
    }

    static func day(_ text: String) throws -> CalendarDay { try #require(CalendarDay(text)) }

    static func instant(_ text: String) throws -> Instant { try #require(Instant(text)) }

    static func amount(_ text: String) throws -> Amount { try #require(Amount(text)) }
}

/// Turns displayed records into merged record states, the way a replica holds them.
enum StateBuilder {
    static let replica = ReplicaID(UUID(uuidString: "00000000-0000-4000-8000-0000000000aa") ?? UUID())

    /// One creation change per record, merged into a fresh state.
    static func states(_ records: [CRMDataSet.Record], schema: Schema = CRMSchema.schema) throws -> [RecordState] {
        try records.enumerated().map { index, record in
            try state(record, counter: UInt64(index + 1), schema: schema)
        }
    }

    static func state(_ record: CRMDataSet.Record, counter: UInt64, schema: Schema = CRMSchema.schema) throws -> RecordState {
        let entity = try #require(schema.entity(record.entity))
        var operations: [FieldOperation] = []
        for field in entity.fields {
            switch field.kind {
            case .register:
                if let value = record.values[field.name] { operations.append(FieldOperation(field: field.name, operation: .assign(value))) }
            case .counter:
                if let total = record.values[field.name]?.intValue {
                    operations.append(FieldOperation(field: field.name, operation: .counter(increments: max(total, 0), decrements: max(-total, 0))))
                }
            case .set:
                for member in record.sets[field.name] ?? [] {
                    operations.append(FieldOperation(field: field.name, operation: .add(member)))
                }
            }
        }
        let change = Change(
            entity: record.entity, recordID: record.id, dot: Dot(replica: replica, counter: counter),
            hlc: HLC(physical: 1_795_000_000_000 + Int64(counter)), context: VersionVector(), operations: operations
        )
        return try RecordState(entity: record.entity, id: record.id).merging(change).state
    }

    /// A delete change applied after everything the state has seen.
    static func deleted(_ state: RecordState, counter: UInt64) throws -> RecordState {
        let change = Change(
            entity: state.entity, recordID: state.id, dot: Dot(replica: replica, counter: counter),
            hlc: HLC(physical: 1_796_000_000_000), context: state.version, operations: [.delete]
        )
        return try state.merging(change).state
    }
}

/// A deterministic shuffle for order-independence tests.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
