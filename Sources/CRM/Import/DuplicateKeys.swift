import SyncCore

/// The keys that make two records probable duplicates (查重), built with `Normalization` so
/// that spelling differences do not hide one. One set of rules for every place that looks:
/// the server's conflict log (customers), the CSV import (against the device's records and
/// earlier lines) and `fieldsync create` (against the device's records).
///
/// - account: the same phone, the same e-mail, or the same name and city;
/// - contact: the same phone, the same e-mail, or the same name at the same account;
/// - lead: the same phone, the same e-mail, or the same company and city;
/// - other entities have no keys.
///
/// Pure, so every replica computes the same keys for the same record.
public enum DuplicateKeys {
    /// The entities the server's conflict log watches for duplicates: customers.
    public static let entities: Set<String> = ["account"]

    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case phone
        case email
        case nameCity = "name_city"
        case nameAccount = "name_account"
        case companyCity = "company_city"
    }

    /// The keys of a record of `entity` given by its values, most specific first.
    public static func keys(entity: String, values: [String: Value]) -> [(kind: Kind, key: String)] {
        keys(entity: entity) { values[$0]?.stringValue }
    }

    /// The keys of a customer's state, for the conflict log; empty for entities outside
    /// `entities`.
    public static func keys(of state: RecordState) -> [(kind: Kind, key: String)] {
        guard entities.contains(state.entity) else { return [] }
        return keys(entity: state.entity) { state.value(of: $0).stringValue }
    }

    private static func keys(entity: String, text field: (String) -> String?) -> [(kind: Kind, key: String)] {
        func text(_ name: String) -> String? {
            guard let text = field(name), !text.allSatisfy(\.isWhitespace) else { return nil }
            return text
        }
        var keys: [(kind: Kind, key: String)] = []
        switch entity {
        case CRMSchema.account.name, CRMSchema.contact.name, CRMSchema.lead.name: break
        default: return []
        }
        if let phone = text("phone") {
            let key = Normalization.phone(phone)
            // Fewer digits than this is an extension or a typo, not a number to match on.
            if key.filter(\.isNumber).count >= 6 { keys.append((.phone, key)) }
        }
        if let email = text("email") {
            let key = Normalization.email(email)
            if key.contains("@") && key.count >= 3 { keys.append((.email, key)) }
        }
        switch entity {
        case CRMSchema.account.name:
            if let name = text("name"), !Normalization.key(name).isEmpty {
                keys.append((.nameCity, Normalization.duplicateKey(name: name, city: text("city"))))
            }
        case CRMSchema.contact.name:
            if let name = text("name"), let account = text("account"), !Normalization.key(name).isEmpty {
                keys.append((.nameAccount, Normalization.key(name) + "|" + account))
            }
        default:
            if let company = text("company"), !Normalization.key(company).isEmpty {
                keys.append((.companyCity, Normalization.duplicateKey(name: company, city: text("city"))))
            }
        }
        return keys
    }

    /// Words for the keys two records share ("same phone 13812345678, same name and city"),
    /// in `language` (the conflict log stores the English).
    public static func reason(_ shared: [(kind: Kind, key: String)], _ language: Language = .english) -> String {
        let chinese = language == .chinese
        return shared.map { item in
            switch item.kind {
            case .phone: return chinese ? "电话相同 \(item.key)" : "same phone \(item.key)"
            case .email: return chinese ? "邮箱相同 \(item.key)" : "same e-mail \(item.key)"
            // The key itself ("acmeteaco|上海") reads badly; the records show the names.
            case .nameCity: return chinese ? "名称和城市相同" : "same name and city"
            case .nameAccount: return chinese ? "同一客户下名称相同" : "same name at the same account"
            case .companyCity: return chinese ? "公司和城市相同" : "same company and city"
            }
        }.joined(separator: chinese ? "，" : ", ")
    }
}
