import SyncCore

/// Which schema field each CSV column fills.
///
/// Columns are named by their header text. A column mapped to no field is ignored (and
/// reported). For a reference field (a contact's `account`), the column may hold the
/// referenced record's id or its name: names are looked up among existing records.
public struct CSVColumnMapping: Hashable, Sendable, Codable {
    /// The field of each mapped header.
    public var fieldsByHeader: [String: String]

    public init(_ fieldsByHeader: [String: String] = [:]) {
        self.fieldsByHeader = fieldsByHeader
    }

    /// The field a header fills, if any.
    public func field(forHeader header: String) -> String? {
        fieldsByHeader[header]
    }

    /// The mapping a spreadsheet's headers most likely mean for `entity`.
    ///
    /// A header maps to a field when, compared by `Normalization.key` (case, width, spaces and
    /// punctuation ignored), it is the field's name ("credit_limit", "Credit Limit") or one of
    /// the common English and Chinese headers for it (`synonyms`): 客户名称 / 公司名称 → name,
    /// 电话 / 手机 → phone, 邮箱 → email, 城市 → city, 行业 → industry, 地址 → address; for
    /// contacts 联系人 / 姓名 → name and 客户名称 / 公司名称 → account. Each field is taken by
    /// the first header that names it; later ones stay unmapped.
    public static func automatic(headers: [String], entity: EntitySchema) -> CSVColumnMapping {
        automatic(headers: headers, fields: entity.fields.map(\.name), synonyms: synonyms[entity.name] ?? [:])
    }

    static func automatic(headers: [String], fields: [String], synonyms: [String: String]) -> CSVColumnMapping {
        var byKey: [String: String] = [:]
        for field in fields { byKey[Normalization.key(field)] = field }
        for (header, field) in synonyms where fields.contains(field) { byKey[Normalization.key(header)] = field }
        var mapping: [String: String] = [:]
        var taken = Set<String>()
        for header in headers {
            guard mapping[header] == nil, let field = byKey[Normalization.key(header)], !taken.contains(field) else { continue }
            mapping[header] = field
            taken.insert(field)
        }
        return CSVColumnMapping(mapping)
    }
}
