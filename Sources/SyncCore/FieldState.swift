/// The mergeable state of one field, by the field's kind.
public enum FieldState: Hashable, Sendable {
    case register(RegisterState)
    case counter(CounterState)
    case set(SetState)

    /// The value a reader sees: the register's winner, the counter's total, or the set's
    /// members joined by commas.
    public var displayValue: Value {
        switch self {
        case .register(let register): return register.value
        case .counter(let counter): return .int(counter.value)
        case .set(let set): return .string(set.members.joined(separator: ","))
        }
    }

    public var kind: FieldKind {
        switch self {
        case .register: return .register
        case .counter: return .counter
        case .set: return .set
        }
    }

    public var register: RegisterState? {
        if case .register(let state) = self { return state }
        return nil
    }

    public var counter: CounterState? {
        if case .counter(let state) = self { return state }
        return nil
    }

    public var set: SetState? {
        if case .set(let state) = self { return state }
        return nil
    }
}

extension FieldState: Codable {
    enum CodingKeys: String, CodingKey {
        case register, counter, set
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let state = try container.decodeIfPresent(RegisterState.self, forKey: .register) {
            self = .register(state)
        } else if let state = try container.decodeIfPresent(CounterState.self, forKey: .counter) {
            self = .counter(state)
        } else if let state = try container.decodeIfPresent(SetState.self, forKey: .set) {
            self = .set(state)
        } else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown field state kind"))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .register(let state): try container.encode(state, forKey: .register)
        case .counter(let state): try container.encode(state, forKey: .counter)
        case .set(let state): try container.encode(state, forKey: .set)
        }
    }
}
