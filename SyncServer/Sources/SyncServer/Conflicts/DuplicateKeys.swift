import CRM
import SyncCore

/// The keys that make two customers probable duplicates: the same normalised phone, the same
/// normalised e-mail, or the same normalised name and city (`CRM.Normalization`).
///
/// Pure, so every server computes the same keys for the same record.
public enum DuplicateKeys {
    /// The entities that are customers.
    public static let entities: Set<String> = ["account"]

    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case phone
        case email
        case nameCity = "name_city"

        /// How the key reads in a reason ("same phone 13812345678").
        public var label: String {
            switch self {
            case .phone: return "phone"
            case .email: return "e-mail"
            case .nameCity: return "name and city"
            }
        }
    }

    /// The keys of a record; empty for entities that are not customers.
    public static func keys(of state: RecordState) -> [(kind: Kind, key: String)] {
        guard entities.contains(state.entity) else { return [] }
        var keys: [(kind: Kind, key: String)] = []
        if let phone = state.value(of: "phone").stringValue {
            let key = Normalization.phone(phone)
            // Fewer digits than this is an extension or a typo, not a number to match on.
            if key.filter(\.isNumber).count >= 6 { keys.append((.phone, key)) }
        }
        if let email = state.value(of: "email").stringValue {
            let key = Normalization.email(email)
            if key.contains("@") && key.count >= 3 { keys.append((.email, key)) }
        }
        if let name = state.value(of: "name").stringValue, !Normalization.key(name).isEmpty {
            keys.append((.nameCity, Normalization.duplicateKey(name: name, city: state.value(of: "city").stringValue)))
        }
        return keys
    }

    /// Words for the keys two records share.
    public static func reason(_ shared: [(kind: Kind, key: String)]) -> String {
        shared.map { item in
            switch item.kind {
            // The key itself ("acmeteaco|上海") reads badly; the records show the names.
            case .nameCity: return "same name and city"
            case .phone, .email: return "same \(item.kind.label) \(item.key)"
            }
        }.joined(separator: ", ")
    }
}
