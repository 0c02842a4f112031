import NIOCore
import SyncCore

/// A record the server writes as its own replica (reference data, imports): the desired value
/// of some fields.
///
/// JSON: `{"entity": "product", "id": "<uuid>", "fields": {"sku": "P-1", "tags": ["a", "b"],
/// "loyalty_points": 10}}` — registers take a wire value, sets an array of elements (the set
/// becomes exactly these), counters an integer (the total becomes this).
public struct RecordWrite: Sendable, Hashable, Codable {
    public var entity: String
    public var id: RecordID
    public var fields: [String: FieldValue]

    public init(entity: String, id: RecordID, fields: [String: FieldValue]) {
        self.entity = entity
        self.id = id
        self.fields = fields
    }

    /// A desired field value: a scalar for registers and counters, a list for sets.
    public enum FieldValue: Sendable, Hashable, Codable {
        case value(Value)
        case elements([String])

        public init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let elements = try? container.decode([String].self) {
                self = .elements(elements)
            } else {
                self = .value(try container.decode(Value.self))
            }
        }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .value(let value): try container.encode(value)
            case .elements(let elements): try container.encode(elements)
            }
        }
    }

    /// The change that turns `current` into a record holding these values, stamped with the
    /// server's `dot` and `hlc`; nil when nothing would change.
    ///
    /// The context is the record's whole version: the server has seen every write it holds, so
    /// its values replace the current siblings instead of joining them as a conflict.
    public func change(from current: RecordState?, schema: Schema, dot: Dot, hlc: HLC) throws(ValidationError) -> Change? {
        guard let entitySchema = schema.entity(entity) else {
            throw ValidationError(.unknownEntity, .unknownEntityListed, ["entity": entity, "known": schema.entityNames.joined(separator: ", ")])
        }
        let state = current ?? RecordState(entity: entity, id: id)
        var operations: [FieldOperation] = []
        for name in fields.keys.sorted() {
            guard let field = entitySchema.field(name), let desired = fields[name] else {
                throw ValidationError(.unknownField, .noField, ["entity": entity, "field": name])
            }
            switch (field.kind, desired) {
            case (.register, .value(let value)):
                let register = state.fields[name]?.register
                if register?.isConflicted == false && register?.value == value { continue }
                if register == nil && value == .null { continue }
                operations.append(FieldOperation(field: name, operation: .assign(value)))
            case (.counter, .value(.int(let total))):
                let counter = state.fields[name]?.counter ?? CounterState()
                let delta = total - counter.value
                if delta == 0 { continue }
                let mine = counter.entry(for: dot.replica)
                let increments = mine.increments + max(delta, 0)
                let decrements = mine.decrements + max(-delta, 0)
                operations.append(FieldOperation(field: name, operation: .counter(increments: increments, decrements: decrements)))
            case (.set, .elements(let elements)):
                let members = Set(state.fields[name]?.set?.members ?? [])
                let wanted = Set(elements)
                for element in members.subtracting(wanted).sorted() {
                    operations.append(FieldOperation(field: name, operation: .remove(element)))
                }
                for element in wanted.subtracting(members).sorted() {
                    operations.append(FieldOperation(field: name, operation: .add(element)))
                }
            case (.counter, _):
                throw ValidationError(.typeMismatch, .counterTakesInteger, ["field": name])
            case (.set, _):
                throw ValidationError(.typeMismatch, .setTakesStrings, ["field": name])
            case (.register, .elements):
                throw ValidationError(.typeMismatch, .registerTakesOneValue, ["field": name])
            }
        }
        // An existing record that is not deleted and not in a delete conflict needs no write;
        // otherwise the change also re-asserts that the record exists.
        let plainlyExists = state.existence.siblings.map(\.value) == [.bool(true)]
        if operations.isEmpty && plainlyExists {
            return nil
        }
        let change = Change(entity: entity, recordID: id, dot: dot, hlc: hlc, context: state.version, operations: operations)
        try schema.validate(change, allowReadOnly: true)
        return change
    }
}

/// The file `fieldsync-server import` reads: `{"records": [RecordWrite, …]}`.
public struct RecordImport: Sendable, Hashable, Codable {
    public var records: [RecordWrite]
    /// A fixture file's territories: the import adds them to the server's list.
    public var territories: [Territory]?

    public init(records: [RecordWrite], territories: [Territory]? = nil) {
        self.records = records
        self.territories = territories
    }

    /// Decodes an import file, naming the place of any JSON problem.
    public static func decode(from data: [UInt8]) throws(ServerError) -> RecordImport {
        do {
            // An operator's file, not network input: other top-level keys (a fixture's users and
            // territories) are allowed; syntax and depth are still checked first.
            return try RequestBodyReader.decode(RecordImport.self, shape: .any, from: ByteBuffer(bytes: data))
        } catch let error as ServerError {
            throw ServerError(.invalidImport, .reason, ["reason": error])
        } catch {
            throw ServerError(.invalidImport, reason: "\(error)")
        }
    }
}
