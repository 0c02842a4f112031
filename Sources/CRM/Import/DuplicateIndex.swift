import SyncCore

/// The keys that find probable duplicates among records of one entity, and the records that
/// hold each key (查重).
///
/// Keys by entity (all built with `Normalization`, so spelling differences do not hide a
/// duplicate):
/// - account: normalised phone, lowercased e-mail, and `duplicateKey(name, city)`;
/// - contact: normalised phone, lowercased e-mail, and the name's key within its account;
/// - lead: normalised phone, lowercased e-mail, and `duplicateKey(company, city)`;
/// - other entities have no duplicate keys.
struct DuplicateIndex {
    /// A record that holds a key: an existing record or a line of the file.
    struct Holder {
        var description: String
    }

    private(set) var holders: [String: Holder] = [:]

    /// The keys of a record given by its values, most specific first, each with a label
    /// saying what matched.
    static func keys(entity: String, values: [String: Value]) -> [(key: String, label: String)] {
        func text(_ field: String) -> String? {
            guard let text = values[field]?.stringValue, !text.allSatisfy(\.isWhitespace) else { return nil }
            return text
        }
        var keys: [(String, String)] = []
        if let phone = text("phone").map(Normalization.phone), !phone.isEmpty {
            keys.append(("phone:" + phone, "same phone \(phone)"))
        }
        if let email = text("email").map(Normalization.email), !email.isEmpty {
            keys.append(("email:" + email, "same e-mail \(email)"))
        }
        switch entity {
        case CRMSchema.account.name:
            if let name = text("name") {
                keys.append(("name:" + Normalization.duplicateKey(name: name, city: text("city")), "same name and city"))
            }
        case CRMSchema.contact.name:
            if let name = text("name"), let account = text("account") {
                keys.append(("name:" + Normalization.key(name) + "|" + account, "same name at the same account"))
            }
        case CRMSchema.lead.name:
            if let company = text("company") {
                keys.append(("company:" + Normalization.duplicateKey(name: company, city: text("city")), "same company and city"))
            }
        default:
            return []
        }
        return keys
    }

    /// The index of existing records of `entity`.
    init(existing dataSet: CRMDataSet, entity: String) {
        for record in dataSet.records(of: entity) {
            let name = record.text("name") ?? record.text("company") ?? record.text("title") ?? ""
            for (key, _) in Self.keys(entity: entity, values: record.values) where holders[key] == nil {
                holders[key] = Holder(description: "existing \(entity) \(name) (\(record.id))")
            }
        }
    }

    init() {}

    /// The first key of `keys` some holder has, with its holder.
    func match(_ keys: [(key: String, label: String)]) -> (holder: Holder, label: String)? {
        for (key, label) in keys {
            if let holder = holders[key] { return (holder, label) }
        }
        return nil
    }

    /// Records `holder` under every key not taken yet.
    mutating func insert(_ keys: [(key: String, label: String)], holder: Holder) {
        for (key, _) in keys where holders[key] == nil { holders[key] = holder }
    }
}
