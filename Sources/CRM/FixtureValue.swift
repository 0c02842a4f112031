import SyncCore

/// A field value in a fixture or scenario file: a register or counter value, or the elements
/// of a set field.
///
/// JSON `null`, booleans, integers and strings decode as `.value`; an array of strings
/// decodes as `.elements`.
public enum FixtureValue: Hashable, Sendable, Codable, CustomStringConvertible {
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

    public var description: String {
        switch self {
        case .value(let value): return value.description
        case .elements(let elements): return "[" + elements.joined(separator: ", ") + "]"
        }
    }

    /// The value a reader of `state` sees in the same form: a register's displayed value, a
    /// counter's total, or a set's members in sorted order.
    public init(_ state: FieldState) {
        switch state {
        case .register(let register): self = .value(register.value)
        case .counter(let counter): self = .value(.int(counter.value))
        case .set(let set): self = .elements(set.members)
        }
    }
}
